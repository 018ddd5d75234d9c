import test from 'ava';
import { SessionMiddleware } from '../../../src/contrib/sessions/index.ts';
import type { HttpRequest } from '../../../src/http/request.ts';
import { HttpResponse } from '../../../src/http/response.ts';
import { SignedCookiesMiddleware } from '../../../src/middleware/signed-cookies.ts';
import { path } from '../../../src/urls/index.ts';
import { decoratorFromMiddlewareWithArgs } from '../../../src/views/decorators.ts';
import { Client, testSettings } from '../../helpers/client.ts';

const signedCookies = decoratorFromMiddlewareWithArgs(SignedCookiesMiddleware);

const urls = {
  urlpatterns: [
    path('login/', async (request: HttpRequest) => {
      request.session.set('userId', 7);
      return new HttpResponse('logged in');
    }),
    // A view with its own signed cookies: its SignedCookiesMiddleware drops the session cookie
    // (not signed with its salt) from request.COOKIES before the view runs.
    path(
      'logout/',
      signedCookies({ salt: 'prefs' })(async (request: HttpRequest) => {
        await request.session.flush();
        return new HttpResponse('logged out');
      }),
    ),
    path('whoami/', async (request: HttpRequest) => new HttpResponse(String(request.session.get('userId')))),
  ],
};

test('SessionMiddleware#processResponse(request, response) deletes the cookie of a flushed session even if an inner middleware removed it from request.COOKIES', async (t) => {
  const browser = await Client.create(
    testSettings({ SESSION_ENGINE: 'signed_cookies', MIDDLEWARE: [SessionMiddleware], ROOT_URLCONF: urls }),
  );
  await browser.get('/login/');
  t.is((await browser.get('/whoami/')).text, '7');
  const out = await browser.get('/logout/');
  t.is(out.text, 'logged out');
  t.true(
    out.setCookies.some((line) =>
      /^sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=\//.test(line),
    ),
    out.setCookies.join('\n'),
  );
  t.is(out.headers.vary, 'Cookie');
  // With signed_cookies the cookie IS the session: kept, it would keep the user logged in.
  t.is((await browser.get('/whoami/')).text, 'undefined');
});
