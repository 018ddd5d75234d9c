import test from 'ava';
import { PermissionDenied } from '../../src/exceptions.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { CsrfViewMiddleware } from '../../src/middleware/csrf.ts';
import { maskCipherSecret } from '../../src/middleware/csrf-token.ts';
import { csrfExempt } from '../../src/views/decorators.ts';
import {
  captureLogs,
  factory,
  MASKED_TEST_SECRET1,
  MASKED_TEST_SECRET2,
  OTHER_SECRET,
  plainView,
  runCsrf,
  TEST_SECRET,
} from './csrf-helpers.ts';

function reasonOf(text: string): string {
  const escaped = /<pre>([^<]*)<\/pre>/.exec(text)?.[1] ?? '';
  const entities: Record<string, string> = {
    '&#x27;': "'",
    '&quot;': '"',
    '&lt;': '<',
    '&gt;': '>',
    '&amp;': '&',
  };
  return escaped.replace(/&#x27;|&quot;|&lt;|&gt;|&amp;/g, (entity) => entities[entity] as string);
}

// --- accepted ------------------------------------------------------------------------------

for (const method of ['GET', 'HEAD', 'OPTIONS', 'TRACE']) {
  test(`CsrfViewMiddleware#processView(request, view) lets a safe ${method} through without any token`, async (t) => {
    const view = plainView();
    const request = await factory({}, null).generic(method, '/');
    const response = await runCsrf(request, view);
    t.is(response.statusCode, 200);
    t.is(view.calls, 1);
    t.true(request.csrfProcessingDone);
  });
}

test('CsrfViewMiddleware#processView(request, view) accepts a POST whose form field has a masked token', async (t) => {
  const view = plainView();
  const request = await factory().post('/', { csrfmiddlewaretoken: MASKED_TEST_SECRET1 });
  t.is((await runCsrf(request, view)).statusCode, 200);
  t.is(view.calls, 1);
});

test('CsrfViewMiddleware#processView(request, view) accepts the unmasked 32-character secret as token', async (t) => {
  const request = await factory().post('/', { csrfmiddlewaretoken: TEST_SECRET });
  t.is((await runCsrf(request)).statusCode, 200);
});

test('CsrfViewMiddleware#processView(request, view) accepts the token in the X-CSRFToken header', async (t) => {
  const request = await factory().post('/', {}, { headers: { 'X-CSRFToken': MASKED_TEST_SECRET2 } });
  t.is((await runCsrf(request)).statusCode, 200);
});

test('CsrfViewMiddleware#processView(request, view) reads the header named by CSRF_HEADER_NAME', async (t) => {
  const rf = factory({ CSRF_HEADER_NAME: 'HTTP_X_XSRF_TOKEN' });
  const good = await rf.post('/', {}, { headers: { 'X-XSRF-Token': MASKED_TEST_SECRET1 } });
  t.is((await runCsrf(good)).statusCode, 200);
  const usual = await rf.post('/', {}, { headers: { 'X-CSRFToken': MASKED_TEST_SECRET1 } });
  t.is(reasonOf((await runCsrf(usual)).text), 'CSRF token missing.');
});

test('CsrfViewMiddleware#processView(request, view) checks PUT, PATCH and DELETE with the header', async (t) => {
  for (const method of ['PUT', 'PATCH', 'DELETE']) {
    const rf = factory();
    const good = await rf.generic(method, '/', '', { headers: { 'X-CSRFToken': MASKED_TEST_SECRET1 } });
    t.is((await runCsrf(good)).statusCode, 200, method);
    const bad = await rf.generic(method, '/');
    t.is((await runCsrf(bad)).statusCode, 403, method);
  }
});

test('CsrfViewMiddleware#processView(request, view) ignores a csrfmiddlewaretoken field outside POST', async (t) => {
  // Django reads the form field only for POST: a PUT body's field is not a token.
  const request = await factory().put('/', { csrfmiddlewaretoken: MASKED_TEST_SECRET1 });
  t.is(reasonOf((await runCsrf(request)).text), 'CSRF token missing.');
});

test('CsrfViewMiddleware#processView(request, view) uses the header when the form field is empty', async (t) => {
  const request = await factory().post(
    '/',
    { csrfmiddlewaretoken: '' },
    { headers: { 'X-CSRFToken': MASKED_TEST_SECRET1 } },
  );
  t.is((await runCsrf(request)).statusCode, 200);
});

test('CsrfViewMiddleware#processView(request, view) accepts a pre-4.1 masked 64-character cookie', async (t) => {
  const rf = factory({}, MASKED_TEST_SECRET1);
  const request = await rf.post('/', { csrfmiddlewaretoken: MASKED_TEST_SECRET2 });
  t.is((await runCsrf(request)).statusCode, 200);
  t.is(request.META.CSRF_COOKIE, TEST_SECRET);
});

test('CsrfViewMiddleware#processView(request, view) skips csrfExempt views, even unsafe ones', async (t) => {
  const view = plainView();
  const request = await factory({}, null).post('/', { anything: '1' });
  t.is((await runCsrf(request, csrfExempt(view))).statusCode, 200);
  t.is(view.calls, 1);
  t.falsy(request.csrfProcessingDone);
});

test('CsrfViewMiddleware#processView(request, view) skips a request already accepted (decorator + MIDDLEWARE)', async (t) => {
  const request = await factory({}, null).post('/');
  request.csrfProcessingDone = true;
  t.is((await runCsrf(request)).statusCode, 200);
});

test('CsrfViewMiddleware#processView(request, view) skips the checks when dontEnforceCsrfChecks is set', async (t) => {
  const request = await factory({}, null).post('/');
  request.dontEnforceCsrfChecks = true;
  t.is((await runCsrf(request)).statusCode, 200);
});

// --- refused -------------------------------------------------------------------------------

const refusals: [string, () => ReturnType<ReturnType<typeof factory>['post']>, string][] = [
  [
    'no CSRF cookie',
    () => factory({}, null).post('/', { csrfmiddlewaretoken: MASKED_TEST_SECRET1 }),
    'CSRF cookie not set.',
  ],
  ['no token at all', () => factory().post('/', { other: 'x' }), 'CSRF token missing.'],
  [
    'a form token of another secret',
    () => factory().post('/', { csrfmiddlewaretoken: maskCipherSecret(OTHER_SECRET) }),
    'CSRF token from POST incorrect.',
  ],
  [
    'an unmasked token of another secret',
    () => factory().post('/', { csrfmiddlewaretoken: OTHER_SECRET }),
    'CSRF token from POST incorrect.',
  ],
  [
    'a form token of the wrong length',
    () => factory().post('/', { csrfmiddlewaretoken: 'abc' }),
    'CSRF token from POST has incorrect length.',
  ],
  [
    'a form token with bad characters',
    () => factory().post('/', { csrfmiddlewaretoken: `${MASKED_TEST_SECRET1.slice(1)}!` }),
    'CSRF token from POST has invalid characters.',
  ],
  [
    'a header token of another secret',
    () => factory().post('/', {}, { headers: { 'X-CSRFToken': maskCipherSecret(OTHER_SECRET) } }),
    "CSRF token from the 'X-Csrftoken' HTTP header incorrect.",
  ],
  [
    'a header token of the wrong length',
    () => factory().post('/', {}, { headers: { 'X-CSRFToken': `${MASKED_TEST_SECRET1}a` } }),
    "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length.",
  ],
  [
    'a header token with bad characters',
    () => factory().post('/', {}, { headers: { 'X-CSRFToken': `${TEST_SECRET.slice(2)}<>` } }),
    "CSRF token from the 'X-Csrftoken' HTTP header has invalid characters.",
  ],
  [
    'a cookie of the wrong length',
    () => factory({}, 'short').post('/', { csrfmiddlewaretoken: MASKED_TEST_SECRET1 }),
    'CSRF cookie has incorrect length.',
  ],
  [
    'a cookie with bad characters',
    () => factory({}, `${TEST_SECRET.slice(1)}$`).post('/', { csrfmiddlewaretoken: MASKED_TEST_SECRET1 }),
    'CSRF cookie has invalid characters.',
  ],
];

for (const [what, build, reason] of refusals) {
  test(`CsrfViewMiddleware#processView(request, view) refuses a POST with ${what}: 403 "${reason}"`, async (t) => {
    const view = plainView();
    const logs = captureLogs('koa-django.security.csrf');
    t.teardown(logs.stop);
    const request = await build();
    const response = await runCsrf(request, view);
    t.is(response.statusCode, 403);
    t.is(view.calls, 0);
    t.is(reasonOf(response.text), reason);
    t.falsy(request.csrfProcessingDone);
    // Tests run concurrently: keep only this request's records.
    const mine = logs.records.filter((record) => record.extra?.request === request);
    t.is(mine.length, 1);
    t.is(mine[0]?.level, 'warning');
    t.is(mine[0]?.message, `Forbidden (${reason}): /`);
  });
}

test('CsrfViewMiddleware#processView(request, view) quotes bad token input HTML-escaped, never raw', async (t) => {
  const request = await factory().post(
    '/',
    {},
    { headers: { Origin: 'https://x"><script>alert(1)</script>' } },
  );
  const response = await runCsrf(request);
  t.is(response.statusCode, 403);
  t.false(response.text.includes('<script>'));
  t.true(response.text.includes('&lt;script&gt;'));
});

test('CsrfViewMiddleware#processRequest(request) replaces a malformed cookie with a fresh secret and sends it', async (t) => {
  const request = await factory({}, 'not-a-valid-secret').get('/');
  const response = await runCsrf(request);
  t.regex(request.META.CSRF_COOKIE ?? '', /^[a-zA-Z0-9]{32}$/);
  t.is(response.cookies.get('csrftoken')?.value, request.META.CSRF_COOKIE);
});

test('CsrfViewMiddleware: the failure page explains a missing cookie, and shows help only with DEBUG', async (t) => {
  const quiet = await runCsrf(await factory({}, null).post('/'));
  t.true(quiet.text.includes('CSRF verification failed. Request aborted.'));
  t.true(quiet.text.includes('this site requires a CSRF cookie when submitting forms'));
  t.true(quiet.text.includes('More information is available with DEBUG: true.'));
  t.false(quiet.text.includes('<h2>Help</h2>'));
  const debug = await runCsrf(await factory({ DEBUG: true }, null).post('/'));
  t.true(debug.text.includes('<h2>Help</h2>'));
  t.true(debug.text.includes('CSRF_FAILURE_VIEW'));
});

test('CsrfViewMiddleware: CSRF_FAILURE_VIEW (a function) renders the refusal with { reason }', async (t) => {
  const seen: unknown[] = [];
  const rf = factory({
    CSRF_FAILURE_VIEW: (_request: unknown, kwargs: { reason: string }) => {
      seen.push(kwargs.reason);
      return new HttpResponse(`nope: ${kwargs.reason}`, { status: 419 });
    },
  });
  const response = await runCsrf(await rf.post('/'));
  t.is(response.statusCode, 419);
  t.is(response.text, 'nope: CSRF token missing.');
  t.deepEqual(seen, ['CSRF token missing.']);
});

test("CsrfViewMiddleware: CSRF_FAILURE_VIEW as a 'module#Export' string is imported and used", async (t) => {
  const rf = factory({
    BASE_DIR: new URL('.', import.meta.url).pathname,
    CSRF_FAILURE_VIEW: '../fixtures/csrf-failure-view.ts#failure',
  });
  const response = await runCsrf(await rf.post('/'));
  t.is(response.statusCode, 403);
  t.is(response.text, 'custom: CSRF token missing.');
});

test('CsrfViewMiddleware: a failure view that throws PermissionDenied is not swallowed', async (t) => {
  const rf = factory({
    CSRF_FAILURE_VIEW: () => {
      throw new PermissionDenied('custom');
    },
  });
  await t.throwsAsync(runCsrf(await rf.post('/')), { instanceOf: PermissionDenied });
});

test('CsrfViewMiddleware works with request.settings when built without settings (decorator mode)', async (t) => {
  const request = await factory().post('/', { csrfmiddlewaretoken: MASKED_TEST_SECRET1 });
  const middleware = new CsrfViewMiddleware(async () => new HttpResponse('ok'));
  await middleware.processRequest(request);
  t.is(await middleware.processView(request, plainView()), null);
  const refused = await factory().post('/');
  await middleware.processRequest(refused);
  t.is((await middleware.processView(refused, plainView()))?.statusCode, 403);
});
