import test from 'ava';
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { getToken } from '../../src/middleware/csrf.ts';
import { unmaskCipherToken } from '../../src/middleware/csrf-token.ts';
import { path } from '../../src/urls/index.ts';
import { csrfProtect, ensureCsrfCookie, requiresCsrfToken } from '../../src/views/csrf.ts';
import { csrfExempt } from '../../src/views/decorators.ts';
import { Client, testSettings } from '../helpers/client.ts';
import { factory, MASKED_TEST_SECRET1, plainView, tokenView } from '../middleware/csrf-helpers.ts';

test('csrfProtect(view) refuses a POST without a token, with no middleware installed', async (t) => {
  const view = plainView();
  const protectedView = csrfProtect(view);
  const response = await protectedView(await factory().post('/'), {});
  t.is(response.statusCode, 403);
  t.true(response.text.includes('CSRF token missing.'));
  t.is(view.calls, 0);
});

test('csrfProtect(view) runs the view for a POST with a good token, and keeps its name', async (t) => {
  function contact() {
    return new HttpResponse('sent');
  }
  const protectedView = csrfProtect(contact);
  t.is(protectedView.name, 'contact');
  const response = await protectedView(
    await factory().post('/', { csrfmiddlewaretoken: MASKED_TEST_SECRET1 }),
    {},
  );
  t.is(response.text, 'sent');
});

test('csrfProtect(view) sends the cookie when the view used a token', async (t) => {
  const response = await csrfProtect(tokenView())(await factory({}, null).get('/'), {});
  t.is(response.cookies.get('csrftoken')?.value, unmaskCipherToken(response.text));
});

test('csrfProtect(csrfExempt(view)) still lets the exempt view through', async (t) => {
  const response = await csrfProtect(csrfExempt(plainView()))(await factory({}, null).post('/'), {});
  t.is(response.statusCode, 200);
});

test('requiresCsrfToken(view) never refuses, and sends the cookie when a token was used', async (t) => {
  const view = tokenView();
  const response = await requiresCsrfToken(view)(await factory({}, null).post('/'), {});
  t.is(response.statusCode, 200);
  t.is(view.calls, 1);
  t.is(response.cookies.get('csrftoken')?.value, unmaskCipherToken(response.text));
});

test('requiresCsrfToken(view) sends no cookie when the view used no token', async (t) => {
  const response = await requiresCsrfToken(plainView())(await factory({}, null).get('/'), {});
  t.is(response.cookies.size, 0);
});

test('ensureCsrfCookie(view) always sends the cookie and Vary: Cookie, without refusing', async (t) => {
  const get = await ensureCsrfCookie(plainView())(await factory({}, null).get('/'), {});
  t.regex(get.cookies.get('csrftoken')?.value ?? '', /^[a-zA-Z0-9]{32}$/);
  t.is(get.get('Vary'), 'Cookie');
  const post = await ensureCsrfCookie(plainView())(await factory({}, null).post('/'), {});
  t.is(post.statusCode, 200);
  t.true(post.cookies.has('csrftoken'));
});

test('ensureCsrfCookie(view) through the Koa app: the page gets the cookie, and a script can post with it', async (t) => {
  const page = ensureCsrfCookie(() => new HttpResponse('<script src="app.js"></script>'));
  const api = csrfProtect((request: HttpRequest) => new HttpResponse(`ok ${getToken(request).length}`));
  const urls = { urlpatterns: [path('', page), path('api/', api)] };
  const browser = await Client.create(testSettings({ ROOT_URLCONF: urls }));
  const first = await browser.get('/');
  t.is(first.status, 200);
  const cookie = browser.cookies.get('csrftoken') ?? '';
  t.is(cookie.length, 32);
  const posted = await browser.post('/api/', undefined, { headers: { 'X-CSRFToken': cookie } });
  t.is(posted.status, 200);
  t.is(posted.text, 'ok 64');
  const forged = await browser.post('/api/', undefined, { headers: { 'X-CSRFToken': 'b'.repeat(32) } });
  t.is(forged.status, 403);
});
