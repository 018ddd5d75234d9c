import test from 'ava';
import { SessionMiddleware } from '../../src/contrib/sessions/index.ts';
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { CsrfViewMiddleware, getToken } from '../../src/middleware/csrf.ts';
import { path } from '../../src/urls/index.ts';
import { csrfExempt } from '../../src/views/decorators.ts';
import { Client, testSettings } from '../helpers/client.ts';

const form = (request: HttpRequest) =>
  new HttpResponse(
    `<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="${getToken(request)}"></form>`,
  );
const submit = (request: HttpRequest) => new HttpResponse(`saved ${request.POST.get('name') ?? ''}`);
const hook = csrfExempt((request: HttpRequest) => new HttpResponse(`hook ${request.method}`));

const urls = { urlpatterns: [path('form/', form), path('submit/', submit), path('hook/', hook)] };

function client(overrides = {}) {
  return Client.create(testSettings({ ROOT_URLCONF: urls, MIDDLEWARE: [CsrfViewMiddleware], ...overrides }));
}

function tokenIn(html: string): string {
  return /value="([a-zA-Z0-9]{64})"/.exec(html)?.[1] ?? '';
}

test('CsrfViewMiddleware through the Koa app: a GET hands out a token and the cookie, a POST with it succeeds', async (t) => {
  const browser = await client();
  const page = await browser.get('/form/');
  t.is(page.status, 200);
  t.true(
    page.setCookies.some((line) =>
      /^csrftoken=[a-zA-Z0-9]{32}; expires=.*; Max-Age=31449600; Path=\/; SameSite=Lax$/.test(line),
    ),
  );
  t.is(page.headers.vary, 'Cookie');
  const token = tokenIn(page.text);
  t.is(token.length, 64);

  const saved = await browser.post('/submit/', { csrfmiddlewaretoken: token, name: 'Ada' });
  t.is(saved.status, 200);
  t.is(saved.text, 'saved Ada');
});

test('CsrfViewMiddleware through the Koa app: a POST without the token gets the 403 page', async (t) => {
  const browser = await client();
  await browser.get('/form/');
  const refused = await browser.post('/submit/', { name: 'Mallory' });
  t.is(refused.status, 403);
  t.true(refused.text.includes('CSRF verification failed. Request aborted.'));
  t.true(refused.text.includes('CSRF token missing.'));
});

test('CsrfViewMiddleware through the Koa app: a POST without the cookie is refused even with a token', async (t) => {
  const browser = await client();
  const token = tokenIn((await browser.get('/form/')).text);
  const stranger = await client();
  const refused = await stranger.post('/submit/', { csrfmiddlewaretoken: token });
  t.is(refused.status, 403);
  t.true(refused.text.includes('CSRF cookie not set.'));
});

test('CsrfViewMiddleware through the Koa app: the X-CSRFToken header, and the bare cookie value, are accepted', async (t) => {
  const browser = await client();
  const token = tokenIn((await browser.get('/form/')).text);
  const viaHeader = await browser.request('PUT', '/submit/', { headers: { 'X-CSRFToken': token } });
  t.is(viaHeader.status, 200);
  const cookie = browser.cookies.get('csrftoken') ?? '';
  const viaCookieValue = await browser.post('/submit/', undefined, { headers: { 'X-CSRFToken': cookie } });
  t.is(viaCookieValue.status, 200);
});

test('CsrfViewMiddleware through the Koa app: a foreign Origin is refused, a trusted one accepted', async (t) => {
  const browser = await client({ CSRF_TRUSTED_ORIGINS: ['https://*.example.com'] });
  const token = tokenIn((await browser.get('/form/')).text);
  const foreign = await browser.post(
    '/submit/',
    { csrfmiddlewaretoken: token },
    { headers: { Origin: 'https://evil.example' } },
  );
  t.is(foreign.status, 403);
  t.true(
    foreign.text.includes(
      'Origin checking failed - https://evil.example does not match any trusted origins.',
    ),
  );
  const trusted = await browser.post(
    '/submit/',
    { csrfmiddlewaretoken: token },
    { headers: { Origin: 'https://app.example.com' } },
  );
  t.is(trusted.status, 200);
});

test('CsrfViewMiddleware through the Koa app: HTTPS behind a proxy needs a same-site Referer', async (t) => {
  const browser = await client({ SECURE_PROXY_SSL_HEADER: ['HTTP_X_FORWARDED_PROTO', 'https'] });
  const token = tokenIn((await browser.get('/form/')).text);
  const proto = { 'X-Forwarded-Proto': 'https' };
  const none = await browser.post('/submit/', { csrfmiddlewaretoken: token }, { headers: proto });
  t.is(none.status, 403);
  t.true(none.text.includes('Referer checking failed - no Referer.'));
  const good = await browser.post(
    '/submit/',
    { csrfmiddlewaretoken: token },
    { headers: { ...proto, Referer: 'https://testserver/form/' } },
  );
  t.is(good.status, 200);
});

test('CsrfViewMiddleware through the Koa app: a csrfExempt view takes a POST with no cookie or token', async (t) => {
  const response = await (await client()).post('/hook/', { Body: 'hi' });
  t.is(response.status, 200);
  t.is(response.text, 'hook POST');
});

test('CsrfViewMiddleware through the Koa app: a malformed cookie is a 403, never a 500', async (t) => {
  const browser = await client();
  for (const cookie of ['x', '%', 'é'.repeat(32), `${'a'.repeat(31)};`]) {
    const response = await browser.post(
      '/submit/',
      { csrfmiddlewaretoken: 'a'.repeat(64) },
      { headers: { Cookie: `csrftoken=${cookie}` } },
    );
    t.is(response.status, 403, cookie);
  }
});

test('CsrfViewMiddleware with CSRF_USE_SESSIONS through the Koa app: the secret rides in the session, no csrftoken cookie', async (t) => {
  const browser = await client({
    MIDDLEWARE: [SessionMiddleware, CsrfViewMiddleware],
    CSRF_USE_SESSIONS: true,
    SESSION_ENGINE: 'signed_cookies',
  });
  const page = await browser.get('/form/');
  t.false(browser.cookies.has('csrftoken'));
  t.true(browser.cookies.has('sessionid'));
  const token = tokenIn(page.text);
  t.is((await browser.post('/submit/', { csrfmiddlewaretoken: token, name: 'Ada' })).text, 'saved Ada');
  t.is((await browser.post('/submit/', { csrfmiddlewaretoken: 'a'.repeat(64) })).status, 403);
});
