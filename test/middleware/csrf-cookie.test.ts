import test from 'ava';
import { checkSettings } from '../../src/conf/checks.ts';
import { defineSettings } from '../../src/conf/index.ts';
import { ImproperlyConfigured } from '../../src/exceptions.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { CsrfViewMiddleware, getToken, rotateToken } from '../../src/middleware/csrf.ts';
import { unmaskCipherToken } from '../../src/middleware/csrf-token.ts';
import { decoratorFromMiddleware } from '../../src/views/decorators.ts';
import { factory, MASKED_TEST_SECRET1, plainView, runCsrf, TEST_SECRET, tokenView } from './csrf-helpers.ts';

test('getToken(request) creates a secret, returns a fresh 64-character masking of it on every call', async (t) => {
  const request = await factory({}, null).get('/');
  const first = getToken(request);
  const second = getToken(request);
  t.regex(first, /^[a-zA-Z0-9]{64}$/);
  t.not(first, second);
  t.is(request.META.CSRF_COOKIE, unmaskCipherToken(first));
  t.is(request.META.CSRF_COOKIE, unmaskCipherToken(second));
});

test('CsrfViewMiddleware#processResponse(request, response) sets the cookie after the first getToken, with the default attributes', async (t) => {
  const request = await factory({}, null).get('/');
  const response = await runCsrf(request, tokenView());
  const cookie = response.cookies.get('csrftoken');
  t.regex(cookie?.value ?? '', /^[a-zA-Z0-9]{32}$/);
  t.is(cookie?.value, unmaskCipherToken(response.text));
  t.is(cookie?.get('max-age'), 31449600);
  t.is(cookie?.get('path'), '/');
  t.is(cookie?.get('samesite'), 'Lax');
  t.falsy(cookie?.get('secure'));
  t.falsy(cookie?.get('httponly'));
  t.falsy(cookie?.get('domain'));
  t.is(response.get('Vary'), 'Cookie');
});

test('CsrfViewMiddleware#processResponse(request, response) sets the cookie with the configured CSRF_COOKIE_* attributes', async (t) => {
  const rf = factory(
    {
      CSRF_COOKIE_NAME: '__Host-csrf',
      CSRF_COOKIE_AGE: 3600,
      CSRF_COOKIE_DOMAIN: '.example.com',
      CSRF_COOKIE_PATH: '/app/',
      CSRF_COOKIE_SECURE: true,
      CSRF_COOKIE_HTTPONLY: true,
      CSRF_COOKIE_SAMESITE: 'Strict',
    },
    null,
  );
  const response = await runCsrf(await rf.get('/'), tokenView());
  const line = response.cookies.get('__Host-csrf')?.outputString() ?? '';
  t.regex(
    line,
    /^__Host-csrf=[a-zA-Z0-9]{32}; Domain=\.example\.com; expires=[^;]+; HttpOnly; Max-Age=3600; Path=\/app\/; SameSite=Strict; Secure$/,
  );
  t.false(response.cookies.has('csrftoken'));
});

test('CsrfViewMiddleware#processResponse(request, response) sends a session cookie with CSRF_COOKIE_AGE null and no SameSite when false', async (t) => {
  const rf = factory({ CSRF_COOKIE_AGE: null, CSRF_COOKIE_SAMESITE: false }, null);
  const line = (await runCsrf(await rf.get('/'), tokenView())).cookies.get('csrftoken')?.outputString() ?? '';
  t.regex(line, /^csrftoken=[a-zA-Z0-9]{32}; Path=\/$/);
});

test('CsrfViewMiddleware#processResponse(request, response) sends no cookie when no token was used', async (t) => {
  const response = await runCsrf(await factory({}, null).get('/'), plainView());
  t.is(response.cookies.size, 0);
  t.false(response.has('Vary'));
});

test('CsrfViewMiddleware#processResponse(request, response) resends the same secret when a token is used again', async (t) => {
  const response = await runCsrf(await factory().get('/'), tokenView());
  t.is(response.cookies.get('csrftoken')?.value, TEST_SECRET);
  t.is(unmaskCipherToken(response.text), TEST_SECRET);
});

test('CsrfViewMiddleware#processResponse(request, response) adds Cookie to an existing Vary header', async (t) => {
  const view = tokenView();
  const varying = (request: Parameters<typeof view>[0]) => {
    const response = new HttpResponse(getToken(request));
    response.set('Vary', 'Accept-Encoding');
    return response;
  };
  const response = await runCsrf(await factory({}, null).get('/'), varying);
  t.is(response.get('Vary'), 'Accept-Encoding, Cookie');
});

test('rotateToken(request) replaces the secret: the response carries a new cookie, old tokens stop matching', async (t) => {
  const rotating = (request: Parameters<ReturnType<typeof tokenView>>[0]) => {
    rotateToken(request);
    return new HttpResponse('logged in');
  };
  const request = await factory().post('/', { csrfmiddlewaretoken: MASKED_TEST_SECRET1 });
  const response = await runCsrf(request, rotating);
  t.is(response.statusCode, 200);
  const fresh = response.cookies.get('csrftoken')?.value ?? '';
  t.regex(fresh, /^[a-zA-Z0-9]{32}$/);
  t.not(fresh, TEST_SECRET);
  const next = await factory({}, fresh).post('/', { csrfmiddlewaretoken: MASKED_TEST_SECRET1 });
  t.is((await runCsrf(next)).statusCode, 403);
});

test('CsrfViewMiddleware sets the cookie once when it runs both as a decorator and in MIDDLEWARE', async (t) => {
  const request = await factory({}, null).get('/');
  const inner = decoratorFromMiddleware(CsrfViewMiddleware)(tokenView());
  const outer = new CsrfViewMiddleware(async (r) => inner(r, {}), undefined, request.settings);
  outer.processRequest(request);
  const response = await inner(request, {});
  t.is(response.cookies.size, 1);
  const value = response.cookies.get('csrftoken')?.value;
  const final = await outer.processResponse(request, response);
  t.is(final.cookies.get('csrftoken')?.value, value);
});

test('CsrfViewMiddleware sends the cookie on a refusal too, when the failure view used a token', async (t) => {
  const rf = factory(
    {
      CSRF_FAILURE_VIEW: (request: Parameters<typeof getToken>[0]) =>
        new HttpResponse(getToken(request), { status: 403 }),
    },
    null,
  );
  const response = await runCsrf(await rf.post('/'));
  t.is(response.statusCode, 403);
  t.true(response.cookies.has('csrftoken'));
});

// --- CSRF_USE_SESSIONS -------------------------------------------------------------------------

class FakeSession {
  readonly data = new Map<string, unknown>();
  get(key: string) {
    return this.data.get(key);
  }
  set(key: string, value: unknown) {
    this.data.set(key, value);
  }
}

test('CsrfViewMiddleware with CSRF_USE_SESSIONS keeps the secret in request.session, sets no cookie', async (t) => {
  const rf = factory({ CSRF_USE_SESSIONS: true }, null);
  const request = await rf.get('/');
  const session = new FakeSession();
  Object.assign(request, { session });
  const response = await runCsrf(request, tokenView());
  t.is(response.cookies.size, 0);
  t.is(session.data.get('_csrftoken'), request.META.CSRF_COOKIE);
  t.is(request.META.CSRF_COOKIE, unmaskCipherToken(response.text));

  const post = await rf.post('/', { csrfmiddlewaretoken: response.text });
  Object.assign(post, { session });
  t.is((await runCsrf(post)).statusCode, 200);
  const forged = await rf.post('/', { csrfmiddlewaretoken: MASKED_TEST_SECRET1 });
  Object.assign(forged, { session });
  t.is((await runCsrf(forged)).statusCode, 403);
});

test('CsrfViewMiddleware with CSRF_USE_SESSIONS awaits a session whose get() is async', async (t) => {
  const rf = factory({ CSRF_USE_SESSIONS: true });
  const data = new Map<string, unknown>([['_csrftoken', TEST_SECRET]]);
  const session = {
    get: async (key: string) => data.get(key),
    set: async (key: string, v: unknown) => void data.set(key, v),
  };
  const request = await rf.post('/', { csrfmiddlewaretoken: MASKED_TEST_SECRET1 });
  Object.assign(request, { session });
  t.is((await runCsrf(request)).statusCode, 200);
  const refused = await rf.post('/', { csrfmiddlewaretoken: 'x'.repeat(64) });
  Object.assign(refused, { session });
  t.is((await runCsrf(refused)).statusCode, 403);
});

test('CsrfViewMiddleware with CSRF_USE_SESSIONS and no session middleware throws ImproperlyConfigured', async (t) => {
  const request = await factory({ CSRF_USE_SESSIONS: true }).get('/');
  await t.throwsAsync(runCsrf(request), {
    instanceOf: ImproperlyConfigured,
    message:
      'CSRF_USE_SESSIONS is enabled, but request.session is not set. SessionMiddleware must appear before CsrfViewMiddleware in MIDDLEWARE.',
  });
});

test('CsrfViewMiddleware with CSRF_USE_SESSIONS checks the Referer against SESSION_COOKIE_DOMAIN', async (t) => {
  const rf = factory({
    CSRF_USE_SESSIONS: true,
    SESSION_COOKIE_DOMAIN: '.example.com',
    CSRF_COOKIE_DOMAIN: '.other.org',
    ALLOWED_HOSTS: ['.example.com'],
  });
  const build = async (referer: string) => {
    const request = await rf.post(
      '/',
      { csrfmiddlewaretoken: MASKED_TEST_SECRET1 },
      { secure: true, headers: { Host: 'www.example.com', Referer: referer } },
    );
    const session = new FakeSession();
    session.set('_csrftoken', TEST_SECRET);
    Object.assign(request, { session });
    return (await runCsrf(request)).statusCode;
  };
  t.is(await build('https://blog.example.com/'), 200);
  t.is(await build('https://www.other.org/'), 403);
});

// --- startup checks ----------------------------------------------------------------------------

function settingsFor(overrides: Parameters<typeof defineSettings>[0]) {
  return defineSettings({ SECRET_KEY: 'k'.repeat(60), ALLOWED_HOSTS: ['example.com'], ...overrides });
}

test('checkSettings(settings) refuses CSRF_TRUSTED_ORIGINS without a scheme (4_0.E001)', async (t) => {
  const found = await checkSettings(
    settingsFor({ CSRF_TRUSTED_ORIGINS: ['example.com', 'https://ok.example'] }),
  );
  const errors = found.filter((m) => m.id === '4_0.E001');
  t.is(errors.length, 1);
  t.true(errors[0]?.message.includes('"example.com"'));
});

test('checkSettings(settings) reports a CSRF_FAILURE_VIEW string that cannot be imported (csrf.E001)', async (t) => {
  const found = await checkSettings(settingsFor({ CSRF_FAILURE_VIEW: './no-such-module.ts#view' }));
  t.true(found.some((m) => m.id === 'csrf.E001' && m.level === 'error'));
  const fine = await checkSettings(
    settingsFor({
      BASE_DIR: new URL('../fixtures/', import.meta.url).pathname,
      CSRF_FAILURE_VIEW: './csrf-failure-view.ts#failure',
    }),
  );
  t.false(fine.some((m) => m.id === 'csrf.E001'));
});

test('checkSettings(settings) warns about an insecure CSRF cookie when CsrfViewMiddleware is used (security.W016)', async (t) => {
  const warned = await checkSettings(settingsFor({ MIDDLEWARE: [CsrfViewMiddleware] }));
  t.true(warned.some((m) => m.id === 'security.W016' && m.level === 'warning'));
  const secure = await checkSettings(
    settingsFor({ MIDDLEWARE: [CsrfViewMiddleware], CSRF_COOKIE_SECURE: true }),
  );
  t.false(secure.some((m) => m.id === 'security.W016'));
  const unused = await checkSettings(settingsFor({}));
  t.false(unused.some((m) => m.id === 'security.W016'));
});
