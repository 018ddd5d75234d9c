import test from 'ava';
import { defineSettings, type SettingsInput } from '../../src/conf/index.ts';
import { CookieNotFound } from '../../src/exceptions.ts';
import { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { BadSignature, SignatureExpired } from '../../src/signing.ts';

// Vectors from the Django reference (SECRET_KEY django-insecure-test-key, time 123456789).
const LEGACY_C = 'hello:8M0kX:9Jk32irju7WHuZKSuBKh9wpA-ZyfLNGSningeQyn3cY';
const LEGACY_A_ONE = 'hello:8M0kX:PHuRSbO1mNep_-iiBEpAT9Wi01fP8AJwVA9S7K_MzZo';
const V2_C = 'hello:8M0kX:wnxcXOCS68Y2Nq7ONVSjIPAkhG0PLqYXJJItfpkR4Ts';
const V2_A_ONE = 'hello:8M0kX:APAwR08y66Eebx13WwExC0N78ev0BHbJ5QWLQHlayRg';

function withCookies(cookies: Record<string, string>, input: SettingsInput = {}) {
  const settings = defineSettings({ SECRET_KEY: 'django-insecure-test-key', ...input });
  const cookie = Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
  return new HttpRequest({ settings, method: 'GET', path: '/', headers: { cookie } });
}

test('HttpRequest#getSignedCookie(key) reads Django 5.2.17 (v2 salt) signed cookies', (t) => {
  const request = withCookies({ c: V2_C, a: V2_A_ONE });
  t.is(request.getSignedCookie('c'), 'hello');
  t.is(request.getSignedCookie('a', { salt: 'one' }), 'hello');
});

test('HttpRequest#getSignedCookie(key) reads legacy (name + salt) signed cookies', (t) => {
  const request = withCookies({ c: LEGACY_C, a: LEGACY_A_ONE });
  t.is(request.getSignedCookie('c'), 'hello');
  t.is(request.getSignedCookie('a', { salt: 'one' }), 'hello');
});

test('HttpRequest#getSignedCookie(key) refuses legacy cookies when SIGNED_COOKIE_LEGACY_SALT_FALLBACK is off', (t) => {
  const request = withCookies({ c: LEGACY_C }, { SIGNED_COOKIE_LEGACY_SALT_FALLBACK: false });
  t.throws(() => request.getSignedCookie('c'), { instanceOf: BadSignature });
});

test('HttpRequest#getSignedCookie(key) refuses a value signed for another cookie name or salt', (t) => {
  t.throws(() => withCookies({ b: V2_C }).getSignedCookie('b'), { instanceOf: BadSignature });
  t.throws(() => withCookies({ a: V2_A_ONE }).getSignedCookie('a', { salt: 'two' }), {
    instanceOf: BadSignature,
  });
});

test('HttpRequest#getSignedCookie(key, { default }) answers the default for a bad signature', (t) => {
  const request = withCookies({ c: 'hello:8M0kX:forged', d: 'no-signature' });
  t.is(request.getSignedCookie('c', { default: null }), null);
  t.is(request.getSignedCookie('d', { default: 'fallback' }), 'fallback');
  t.throws(() => request.getSignedCookie('c'), { instanceOf: BadSignature });
});

test('HttpRequest#getSignedCookie(key) throws CookieNotFound naming a missing cookie', (t) => {
  const error = t.throws(() => withCookies({}).getSignedCookie('cart'), { instanceOf: CookieNotFound });
  t.is(error?.code, 'KD_COOKIE_NOT_FOUND');
  t.regex(error?.message ?? '', /No cookie named 'cart'/);
  t.is(error?.status, undefined, 'a 500 if uncaught, as in Django');
});

test('HttpRequest#getSignedCookie(key, { default }) answers the default for a missing cookie', (t) => {
  t.is(withCookies({}).getSignedCookie('cart', { default: undefined }), undefined);
  t.is(withCookies({}).getSignedCookie('cart', { default: 'empty' }), 'empty');
});

test('HttpRequest#getSignedCookie(key, { maxAge }) refuses an old signature with SignatureExpired', (t) => {
  const request = withCookies({ c: V2_C });
  // The vector was signed in 1973.
  t.throws(() => request.getSignedCookie('c', { maxAge: 60 }), { instanceOf: SignatureExpired });
  t.is(request.getSignedCookie('c', { maxAge: 60, default: 'stale' }), 'stale');
  t.is(request.getSignedCookie('c', { maxAge: 10 ** 10 }), 'hello');
});

test('HttpRequest#getSignedCookie(key, { salt }) reads what HttpResponse#setSignedCookie wrote', (t) => {
  const settings = defineSettings({ SECRET_KEY: 'round-trip-secret' });
  const response = new HttpResponse('ok');
  response.setSignedCookie('cart', '42', { settings, salt: 'shop' });
  const value = response.cookies.get('cart')?.value ?? '';
  const request = new HttpRequest({
    settings,
    method: 'GET',
    path: '/',
    headers: { cookie: `cart=${value}` },
  });
  t.is(request.getSignedCookie('cart', { salt: 'shop', maxAge: 60 }), '42');
  t.throws(() => request.getSignedCookie('cart'), { instanceOf: BadSignature });
});
