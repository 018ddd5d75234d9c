import test from 'ava';
import { SessionMiddleware } from '../../../src/contrib/sessions/index.ts';
import { HttpResponse } from '../../../src/http/index.ts';
import type { HttpRequest } from '../../../src/http/request.ts';
import { CsrfViewMiddleware, getToken } from '../../../src/middleware/index.ts';
import { path } from '../../../src/urls/index.ts';
import { Client, testSettings } from '../../helpers/client.ts';

const app = () =>
  Client.create(
    testSettings({
      MIDDLEWARE: [SessionMiddleware, CsrfViewMiddleware],
      CSRF_USE_SESSIONS: true,
      SESSION_ENGINE: 'signed_cookies',
      ROOT_URLCONF: {
        urlpatterns: [
          path('form/', async (request: HttpRequest) =>
            request.method === 'POST' ? new HttpResponse('accepted') : new HttpResponse(getToken(request)),
          ),
        ],
      },
    }),
  );

test('SessionMiddleware + CsrfViewMiddleware with CSRF_USE_SESSIONS: the CSRF secret lives in request.session', async (t) => {
  const client = await app();
  const form = await client.get('/form/');
  t.deepEqual(
    form.setCookies.map((c) => c.split('=')[0]),
    ['sessionid'],
    'no csrftoken cookie: the secret went into the session',
  );
  const token = form.text;
  t.is((await client.post('/form/', { csrfmiddlewaretoken: token })).text, 'accepted');
  t.is((await client.post('/form/', { csrfmiddlewaretoken: 'x'.repeat(64) })).status, 403);
  client.cookies.clear();
  t.is(
    (await client.post('/form/', { csrfmiddlewaretoken: token })).status,
    403,
    'another session, another secret',
  );
});
