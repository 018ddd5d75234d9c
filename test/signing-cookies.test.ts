import test from 'ava';
import { checkSettings } from '../src/conf/checks.ts';
import { ImproperlyConfigured } from '../src/exceptions.ts';
import {
  BadSignature,
  getCookieSigner,
  SignatureExpired,
  signCookieValue,
  TimestampSigner,
  unsignCookieValue,
} from '../src/signing.ts';
import { Client, testSettings } from './helpers/client.ts';

// Vectors from the Django reference, §3.5: SECRET_KEY 'django-insecure-test-key', time 123456789.
const settings = { SECRET_KEY: 'django-insecure-test-key', SECRET_KEY_FALLBACKS: [] };
const clock = () => 123456789;
const at = (seconds: number) => () => seconds;

const LEGACY_C = 'hello:8M0kX:9Jk32irju7WHuZKSuBKh9wpA-ZyfLNGSningeQyn3cY';
const LEGACY_A_ONE = 'hello:8M0kX:PHuRSbO1mNep_-iiBEpAT9Wi01fP8AJwVA9S7K_MzZo';
const V2_C = 'hello:8M0kX:wnxcXOCS68Y2Nq7ONVSjIPAkhG0PLqYXJJItfpkR4Ts';
const V2_A_ONE = 'hello:8M0kX:APAwR08y66Eebx13WwExC0N78ev0BHbJ5QWLQHlayRg';

test('getCookieSigner(settings, { salt }) signs the legacy cookie vectors (salt = name + salt)', (t) => {
  t.is(getCookieSigner(settings, { salt: 'c', clock }).sign('hello'), LEGACY_C);
  t.is(getCookieSigner(settings, { salt: 'aone', clock }).sign('hello'), LEGACY_A_ONE);
});

test('getCookieSigner(settings, { salt }) signs the v2 cookie vectors', (t) => {
  t.is(getCookieSigner(settings, { salt: 'django.http.cookies.v2:0:c', clock }).sign('hello'), V2_C);
  t.is(getCookieSigner(settings, { salt: 'django.http.cookies.v2:3:onea', clock }).sign('hello'), V2_A_ONE);
});

test("getCookieSigner(settings) is a TimestampSigner keyed by 'django.http.cookies' + SECRET_KEY", (t) => {
  const signer = getCookieSigner(settings);
  t.true(signer instanceof TimestampSigner);
  t.is(signer.salt, 'django.core.signing.get_cookie_signer');
  const direct = new TimestampSigner({
    key: 'django.http.cookiesdjango-insecure-test-key',
    salt: 'django.core.signing.get_cookie_signer',
    clock,
  });
  t.is(getCookieSigner(settings, { clock }).sign('x'), direct.sign('x'));
});

test('getCookieSigner(settings) with an empty SECRET_KEY throws ImproperlyConfigured', (t) => {
  t.throws(() => getCookieSigner({ SECRET_KEY: '' }), {
    instanceOf: ImproperlyConfigured,
    message: 'The SECRET_KEY setting must not be empty.',
  });
});

test("getCookieSigner(settings) refuses an empty SECRET_KEY_FALLBACKS entry (the key would be the public 'django.http.cookies')", (t) => {
  for (const SECRET_KEY_FALLBACKS of [[''], ['old-key', '']]) {
    t.throws(() => getCookieSigner({ SECRET_KEY: 'new-key', SECRET_KEY_FALLBACKS }), {
      instanceOf: ImproperlyConfigured,
      message: /SECRET_KEY_FALLBACKS .*empty key/,
    });
  }
});

test('createApp(settings) refuses to start when SECRET_KEY_FALLBACKS holds an empty key (signing.E001)', async (t) => {
  const found = await checkSettings(testSettings({ SECRET_KEY_FALLBACKS: ''.split(',') }));
  t.true(found.some((m) => m.id === 'signing.E001' && m.level === 'error'));
  t.false(
    (await checkSettings(testSettings({ SECRET_KEY_FALLBACKS: [] }))).some((m) => m.id === 'signing.E001'),
  );
  await t.throwsAsync(
    Client.create(testSettings({ SECRET_KEY_FALLBACKS: [''], ROOT_URLCONF: { urlpatterns: [] } })),
    { instanceOf: ImproperlyConfigured, message: /signing\.E001/ },
  );
});

test('getCookieSigner(settings) verifies values signed under a SECRET_KEY_FALLBACKS key, prefixed the same way', (t) => {
  const old = getCookieSigner({ SECRET_KEY: 'old-key' }, { salt: 's' }).sign('v');
  const rotated = { SECRET_KEY: 'new-key', SECRET_KEY_FALLBACKS: ['old-key'] };
  t.is(getCookieSigner(rotated, { salt: 's' }).unsign(old), 'v');
  const fresh = getCookieSigner(rotated, { salt: 's' }).sign('v');
  t.throws(() => getCookieSigner({ SECRET_KEY: 'old-key' }, { salt: 's' }).unsign(fresh), {
    instanceOf: BadSignature,
  });
});

test('signCookieValue(settings, name, value) signs with the v2 salt scheme', (t) => {
  t.is(signCookieValue(settings, 'c', 'hello', { clock }), V2_C);
  t.is(signCookieValue(settings, 'a', 'hello', { salt: 'one', clock }), V2_A_ONE);
});

test('signCookieValue(settings, name, value, { salt }) counts the salt length in code points', (t) => {
  t.is(
    signCookieValue(settings, 'n', 'v', { salt: 'é😀', clock }),
    getCookieSigner(settings, { salt: 'django.http.cookies.v2:2:é😀n', clock }).sign('v'),
  );
});

test('unsignCookieValue(settings, name, signed) reads v2 cookie values', (t) => {
  t.is(unsignCookieValue(settings, 'c', V2_C), 'hello');
  t.is(unsignCookieValue(settings, 'a', V2_A_ONE, { salt: 'one' }), 'hello');
});

test('unsignCookieValue(settings, name, signed) reads legacy cookie values when the legacy fallback is on', (t) => {
  t.is(unsignCookieValue(settings, 'c', LEGACY_C), 'hello');
  t.is(
    unsignCookieValue({ ...settings, SIGNED_COOKIE_LEGACY_SALT_FALLBACK: true }, 'a', LEGACY_A_ONE, {
      salt: 'one',
    }),
    'hello',
  );
});

test('unsignCookieValue(settings, name, signed) rejects legacy values when SIGNED_COOKIE_LEGACY_SALT_FALLBACK is false', (t) => {
  const strict = { ...settings, SIGNED_COOKIE_LEGACY_SALT_FALLBACK: false };
  t.throws(() => unsignCookieValue(strict, 'c', LEGACY_C), { instanceOf: BadSignature });
  t.is(unsignCookieValue(strict, 'c', V2_C), 'hello');
});

test('unsignCookieValue(settings, name, signed, { salt }) rejects a value for another cookie name or salt', (t) => {
  t.throws(() => unsignCookieValue(settings, 'd', V2_C), { instanceOf: BadSignature });
  t.throws(() => unsignCookieValue(settings, 'a', V2_A_ONE, { salt: 'two' }), { instanceOf: BadSignature });
  t.throws(() => unsignCookieValue(settings, 'a', LEGACY_A_ONE, { salt: 'two' }), {
    instanceOf: BadSignature,
  });
});

test("unsignCookieValue(settings, 'ab', signed, { salt: 'c' }) rejects a value signed for cookie 'a' with salt 'bc' (CVE-2026-6873)", (t) => {
  const signed = signCookieValue(settings, 'a', 'hello', { salt: 'bc' });
  t.is(unsignCookieValue(settings, 'a', signed, { salt: 'bc' }), 'hello');
  t.throws(() => unsignCookieValue(settings, 'ab', signed, { salt: 'c' }), { instanceOf: BadSignature });
  t.throws(
    () =>
      unsignCookieValue({ ...settings, SIGNED_COOKIE_LEGACY_SALT_FALLBACK: false }, 'ab', signed, {
        salt: 'c',
      }),
    {
      instanceOf: BadSignature,
    },
  );
});

test('unsignCookieValue(settings, name, signed, { maxAge }) throws SignatureExpired for an old v2 value', (t) => {
  t.throws(() => unsignCookieValue(settings, 'c', V2_C, { maxAge: 10, clock: at(123456800) }), {
    instanceOf: SignatureExpired,
    message: 'Signature age 11 > 10 seconds',
  });
  t.is(unsignCookieValue(settings, 'c', V2_C, { maxAge: 11, clock: at(123456800) }), 'hello');
});

test('unsignCookieValue(settings, name, signed, { maxAge }) throws SignatureExpired for an old legacy value', (t) => {
  t.throws(
    () => unsignCookieValue(settings, 'a', LEGACY_A_ONE, { salt: 'one', maxAge: 10, clock: at(123456800) }),
    {
      instanceOf: SignatureExpired,
    },
  );
});

test('unsignCookieValue(settings, name, signed) rejects tampered and foreign-key values', (t) => {
  t.throws(() => unsignCookieValue(settings, 'c', V2_C.replace('hello', 'hellO')), {
    instanceOf: BadSignature,
  });
  t.throws(() => unsignCookieValue(settings, 'c', 'hello'), { instanceOf: BadSignature });
  const foreign = signCookieValue({ SECRET_KEY: 'someone-else' }, 'c', 'hello');
  t.throws(() => unsignCookieValue(settings, 'c', foreign), { instanceOf: BadSignature });
});
