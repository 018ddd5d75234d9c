import test from 'ava';
import { defineSettings } from '../../src/conf/index.ts';
import { HttpResponse, JsonResponse } from '../../src/http/index.ts';
import { HttpRequest } from '../../src/http/request.ts';
import { SignedCookiesMiddleware } from '../../src/middleware/index.ts';
import { signCookieValue, unsignCookieValue } from '../../src/signing.ts';
import { path } from '../../src/urls/index.ts';
import { decoratorFromMiddlewareWithArgs } from '../../src/views/decorators.ts';
import { Client, testSettings } from '../helpers/client.ts';

// Django vector (reference §3.5): SECRET_KEY django-insecure-test-key, time 123456789, cookie 'c'.
const DJANGO_V2_C = 'hello:8M0kX:wnxcXOCS68Y2Nq7ONVSjIPAkhG0PLqYXJJItfpkR4Ts';

const settings = defineSettings({ SECRET_KEY: 'django-insecure-test-key' });
const noop = async () => new HttpResponse('');

function requestWith(cookies: Record<string, string>, s = settings): HttpRequest {
  const cookie = Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
  return new HttpRequest({ settings: s, method: 'GET', path: '/', headers: { cookie } });
}

/** The cookies a view sees behind the middleware. */
function seen(cookies: Record<string, string>, options = {}, s = settings): Record<string, string> {
  const request = requestWith(cookies, s);
  new SignedCookiesMiddleware(noop, options).processRequest(request);
  return { ...request.COOKIES };
}

const echoCookies = async (request: HttpRequest) => new JsonResponse({ ...request.COOKIES });

test('SignedCookiesMiddleware#processRequest(request) unsigns the cookies whose signature verifies', (t) => {
  t.deepEqual(
    seen({
      color: signCookieValue(settings, 'color', 'blue'),
      cart: signCookieValue(settings, 'cart', 'a:b:c'),
    }),
    { color: 'blue', cart: 'a:b:c' },
  );
});

test('SignedCookiesMiddleware#processRequest(request) reads a cookie Django signed with set_signed_cookie', (t) => {
  t.deepEqual(seen({ c: DJANGO_V2_C }), { c: 'hello' });
});

test('SignedCookiesMiddleware#processRequest(request) drops unsigned, tampered, truncated and foreign-key cookies', (t) => {
  const good = signCookieValue(settings, 'c', 'hello');
  const foreign = signCookieValue({ SECRET_KEY: 'somebody-else' }, 'c', 'hello');
  for (const bad of [
    'hello',
    good.replace('hello', 'hellO'),
    good.slice(0, -1),
    `${good}x`,
    foreign,
    '',
    ':::',
  ]) {
    t.deepEqual(seen({ c: bad, ok: signCookieValue(settings, 'ok', '1') }), { ok: '1' }, bad);
  }
});

test('SignedCookiesMiddleware#processRequest(request) drops a value signed for another cookie name or salt', (t) => {
  const forA = signCookieValue(settings, 'a', 'admin');
  t.deepEqual(seen({ b: forA }), {});
  t.deepEqual(seen({ a: forA }, { salt: 'other' }), {});
  const salted = signCookieValue(settings, 'a', 'admin', { salt: 'theme' });
  t.deepEqual(seen({ a: salted }), {});
  t.deepEqual(seen({ a: salted }, { salt: 'theme' }), { a: 'admin' });
  // CVE-2026-6873: cookie 'a' with salt 'bc' is not cookie 'ab' with salt 'c'.
  t.deepEqual(seen({ ab: signCookieValue(settings, 'a', 'x', { salt: 'bc' }) }, { salt: 'c' }), {});
});

test('SignedCookiesMiddleware#processRequest(request) with { maxAge } drops cookies signed too long ago', (t) => {
  t.deepEqual(seen({ c: DJANGO_V2_C }, { maxAge: 3600 }), {});
  const fresh = signCookieValue(settings, 'c', 'new');
  t.deepEqual(seen({ c: fresh }, { maxAge: 3600 }), { c: 'new' });
});

test('SignedCookiesMiddleware#processRequest(request) accepts cookies signed with a SECRET_KEY_FALLBACKS key', (t) => {
  const old = signCookieValue({ SECRET_KEY: 'old-key' }, 'c', 'kept');
  const rotated = defineSettings({ SECRET_KEY: 'new-key', SECRET_KEY_FALLBACKS: ['old-key'] });
  t.deepEqual(seen({ c: old }, {}, rotated), { c: 'kept' });
  t.deepEqual(seen({ c: old }, {}, defineSettings({ SECRET_KEY: 'new-key' })), {});
});

test('SignedCookiesMiddleware#processRequest(request) keeps a cookie named __proto__ an ordinary key', (t) => {
  const cookies = seen(Object.fromEntries([['__proto__', signCookieValue(settings, '__proto__', 'x')]]));
  t.deepEqual(Object.keys(cookies), ['__proto__']);
  t.is(Object.getPrototypeOf(cookies), Object.prototype);
});

test('SignedCookiesMiddleware#processResponse(request, response) signs every cookie set, bound to its name and salt', (t) => {
  const response = new HttpResponse('');
  response.setCookie('color', 'blue', { maxAge: 60, httpOnly: true });
  response.setCookie('cart', '3 items');
  const request = requestWith({});
  new SignedCookiesMiddleware(noop, { salt: 'shop' }).processResponse(request, response);
  const color = response.cookies.get('color');
  t.is(unsignCookieValue(settings, 'color', color?.value ?? '', { salt: 'shop' }), 'blue');
  t.is(
    unsignCookieValue(settings, 'cart', response.cookies.get('cart')?.value ?? '', { salt: 'shop' }),
    '3 items',
  );
  t.regex(
    color?.outputString() ?? '',
    /^color=blue:[0-9A-Za-z]+:[\w-]{43}; expires=.+; HttpOnly; Max-Age=60; Path=\/$/,
  );
});

test('SignedCookiesMiddleware#processResponse(request, response) leaves deleted and already expired cookies empty', (t) => {
  const response = new HttpResponse('');
  response.deleteCookie('gone');
  response.setCookie('old', 'x', { expires: 'Thu, 01 Jan 1970 00:00:00 GMT' });
  response.setCookie('zero', 'x', { maxAge: 0 });
  response.setCookie('kept', 'x', { expires: 'Fri, 01 Jan 2100 00:00:00 GMT' });
  new SignedCookiesMiddleware(noop).processResponse(requestWith({}), response);
  t.is(
    response.cookies.get('gone')?.outputString(),
    'gone=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/',
  );
  t.is(response.cookies.get('old')?.value, 'x');
  t.is(response.cookies.get('zero')?.value, 'x');
  t.is(unsignCookieValue(settings, 'kept', response.cookies.get('kept')?.value ?? ''), 'x');
});

test('new SignedCookiesMiddleware(getResponse, options) refuses a bad salt or maxAge, naming the fix', (t) => {
  t.throws(() => new SignedCookiesMiddleware(noop, { salt: 42 as never }), {
    instanceOf: TypeError,
    message: /salt must be a string, not number\. E\.g\. \{ salt: 'theme' \}/,
  });
  for (const maxAge of [-1, Number.NaN, '60' as never]) {
    t.throws(() => new SignedCookiesMiddleware(noop, { maxAge }), {
      instanceOf: TypeError,
      message: /maxAge must be a number of seconds \(0 or more\) or null/,
    });
  }
});

// --- through the real pipeline ------------------------------------------------------------------

function siteWide(overrides = {}) {
  return testSettings({
    MIDDLEWARE: [SignedCookiesMiddleware],
    ROOT_URLCONF: {
      urlpatterns: [
        path('set/', async (request: HttpRequest) => {
          const response = new HttpResponse('set');
          response.setCookie('color', request.GET.get('color') ?? 'blue');
          return response;
        }),
        path('forget/', async () => {
          const response = new HttpResponse('forgotten');
          response.deleteCookie('color');
          return response;
        }),
        path('show/', echoCookies),
      ],
    },
    ...overrides,
  });
}

test('SignedCookiesMiddleware in MIDDLEWARE: a view sets a plain value, the browser holds it signed, the next view reads it plain', async (t) => {
  const client = await Client.create(siteWide());
  const set = await client.get('/set/?color=green');
  t.regex(set.setCookies[0] ?? '', /^color=green:[0-9A-Za-z]+:[\w-]{43}; Path=\/$/);
  t.deepEqual((await client.get('/show/')).json(), { color: 'green' });
  const forget = await client.get('/forget/');
  t.is(forget.setCookies[0], 'color=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/');
  t.deepEqual((await client.get('/show/')).json(), {});
});

test('SignedCookiesMiddleware in MIDDLEWARE: a tampered, swapped or unsigned cookie never reaches the view, and is not a 500', async (t) => {
  const client = await Client.create(siteWide());
  await client.get('/set/?color=green');
  const signed = client.cookies.get('color') ?? '';
  for (const cookie of [
    `color=${signed.replace('green', 'red')}`,
    `other=${signed}`,
    'color=green',
    'color="\\"broken; =; ;;',
    `color=${'x'.repeat(5000)}`,
  ]) {
    const response = await client.get('/show/', { headers: { cookie } });
    t.is(response.status, 200, cookie);
    t.deepEqual(response.json(), {}, cookie);
  }
});

test('SignedCookiesMiddleware in MIDDLEWARE: cookies signed before SECRET_KEY was rotated stay valid through SECRET_KEY_FALLBACKS', async (t) => {
  const before = await Client.create(siteWide({ SECRET_KEY: 'the-old-secret-key-'.padEnd(50, 'o') }));
  await before.get('/set/?color=teal');
  const cookie = `color=${before.cookies.get('color')}`;
  const after = await Client.create(
    siteWide({
      SECRET_KEY: 'the-new-secret-key-'.padEnd(50, 'n'),
      SECRET_KEY_FALLBACKS: ['the-old-secret-key-'.padEnd(50, 'o')],
    }),
  );
  t.deepEqual((await after.get('/show/', { headers: { cookie } })).json(), { color: 'teal' });
  const without = await Client.create(siteWide({ SECRET_KEY: 'the-new-secret-key-'.padEnd(50, 'n') }));
  t.deepEqual((await without.get('/show/', { headers: { cookie } })).json(), {});
});

test('decoratorFromMiddlewareWithArgs(SignedCookiesMiddleware)({ salt }) signs and verifies for that view only', async (t) => {
  const signedCookies = decoratorFromMiddlewareWithArgs(SignedCookiesMiddleware);
  const theme = signedCookies({ salt: 'theme' })(async function theme(request: HttpRequest) {
    const response = new JsonResponse({ ...request.COOKIES });
    if (request.GET.get('set')) response.setCookie('theme', request.GET.get('set') ?? '');
    return response;
  });
  const perView = testSettings({
    ROOT_URLCONF: {
      urlpatterns: [
        path('theme/', theme),
        path('plain/', async () => {
          const response = new HttpResponse('plain');
          response.setCookie('plain', 'unsigned');
          return response;
        }),
        path('raw/', echoCookies),
      ],
    },
  });
  const client = await Client.create(perView);
  await client.get('/theme/?set=dark');
  await client.get('/plain/');
  const raw = (await client.get('/raw/')).json<Record<string, string>>();
  t.is(raw.plain, 'unsigned', 'views without the decorator are untouched');
  t.is(unsignCookieValue(perView, 'theme', raw.theme ?? '', { salt: 'theme' }), 'dark');
  t.deepEqual(
    (await client.get('/theme/')).json(),
    { theme: 'dark' },
    'the unsigned cookie is dropped for the view',
  );
});

test('SignedCookiesMiddleware#processResponse(request, response) writes what HttpRequest#getSignedCookie(key, { salt }) reads', (t) => {
  const response = new HttpResponse('');
  response.setCookie('token', 'abc');
  new SignedCookiesMiddleware(noop, { salt: 's' }).processResponse(requestWith({}), response);
  const request = requestWith({ token: response.cookies.get('token')?.value ?? '' });
  t.is(request.getSignedCookie('token', { salt: 's', maxAge: 60 }), 'abc');
});
