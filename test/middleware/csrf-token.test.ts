import test from 'ava';
import fc from 'fast-check';
import {
  CSRF_ALLOWED_CHARS,
  checkTokenFormat,
  doesTokenMatch,
  maskCipherSecret,
  newCsrfSecret,
  unmaskCipherToken,
} from '../../src/middleware/csrf-token.ts';
import { MASKED_TEST_SECRET1, MASKED_TEST_SECRET2, OTHER_SECRET, TEST_SECRET } from './csrf-helpers.ts';

const secretArbitrary = fc.string({
  unit: fc.constantFrom(...CSRF_ALLOWED_CHARS),
  minLength: 32,
  maxLength: 32,
});

test("unmaskCipherToken(token) reads Django's own masked test tokens", (t) => {
  t.is(unmaskCipherToken(MASKED_TEST_SECRET1), TEST_SECRET);
  t.is(unmaskCipherToken(MASKED_TEST_SECRET2), TEST_SECRET);
});

test('maskCipherSecret(secret) gives a 64-character token that unmasks to the secret, different each time', (t) => {
  fc.assert(
    fc.property(secretArbitrary, (secret) => {
      const a = maskCipherSecret(secret);
      const b = maskCipherSecret(secret);
      return a.length === 64 && checkTokenFormat(a) === null && unmaskCipherToken(a) === secret && a !== b;
    }),
  );
  t.pass();
});

test('newCsrfSecret() is 32 characters of [a-zA-Z0-9], fresh every call', (t) => {
  const secrets = new Set(Array.from({ length: 50 }, newCsrfSecret));
  t.is(secrets.size, 50);
  for (const secret of secrets) t.regex(secret, /^[a-zA-Z0-9]{32}$/);
});

test('checkTokenFormat(token) accepts 32 and 64 alphanumerics and names what is wrong otherwise', (t) => {
  t.is(checkTokenFormat(TEST_SECRET), null);
  t.is(checkTokenFormat(MASKED_TEST_SECRET1), null);
  t.is(checkTokenFormat(''), 'has incorrect length');
  t.is(checkTokenFormat(TEST_SECRET.slice(1)), 'has incorrect length');
  t.is(checkTokenFormat(`${MASKED_TEST_SECRET1}x`), 'has incorrect length');
  t.is(checkTokenFormat(`${TEST_SECRET.slice(1)}-`), 'has invalid characters');
  t.is(checkTokenFormat(`${TEST_SECRET.slice(1)}é`), 'has invalid characters');
});

test('doesTokenMatch(token, secret) accepts the bare secret and any masking of it, nothing else', (t) => {
  t.true(doesTokenMatch(TEST_SECRET, TEST_SECRET));
  t.true(doesTokenMatch(MASKED_TEST_SECRET1, TEST_SECRET));
  t.true(doesTokenMatch(maskCipherSecret(TEST_SECRET), TEST_SECRET));
  t.false(doesTokenMatch(OTHER_SECRET, TEST_SECRET));
  t.false(doesTokenMatch(maskCipherSecret(OTHER_SECRET), TEST_SECRET));
  // A masked token is not a secret: its first half must not pass as one.
  t.false(doesTokenMatch(MASKED_TEST_SECRET1.slice(0, 32), TEST_SECRET));
});
