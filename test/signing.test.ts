import { deflateSync } from 'node:zlib';
import test from 'ava';
import { ImproperlyConfigured, KoaDjangoError } from '../src/exceptions.ts';
import {
  BadSignature,
  b62Decode,
  b62Encode,
  b64Decode,
  b64Encode,
  base64Hmac,
  MAX_DECOMPRESSED_SIZE,
  SignatureExpired,
  Signer,
  saltedHmac,
} from '../src/signing.ts';

// Vectors from the Django reference, §3.5 (verified against Django 5.2.17).

test('Signer({ key }).sign(value) matches Django', (t) => {
  t.is(
    new Signer({ key: 'predictable-secret' }).sign('foo'),
    'foo:jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0',
  );
});

test("Signer({ key, sep: '/' }).sign(value) matches Django", (t) => {
  t.is(
    new Signer({ key: 'predictable-secret', sep: '/' }).sign('foo'),
    'foo/jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0',
  );
});

test('Signer({ key: bytes }).sign(value) uses the raw key bytes, as Django does for b"\\xe7"', (t) => {
  t.is(
    new Signer({ key: Buffer.from([0xe7]) }).sign('foo'),
    'foo:EE4qGC5MEKyQG5msxYA0sBohAxLC0BJf8uRhemh0BGU',
  );
});

test("Signer({ key, algorithm: 'sha512' }).signature(value) matches Django", (t) => {
  t.is(
    new Signer({ key: 'predictable-secret', algorithm: 'sha512' }).signature('hello'),
    'Usf3uVQOZ9m6uPfVonKR-EBXjPe7bjMbp3_Fq8MfsptgkkM1ojidN0BxYaT5HAEN1VzO9_jVu7R-VkqknHYNvw',
  );
});

test('Signer({ key, salt }).sign(value) matches Django', (t) => {
  t.is(
    new Signer({ key: 'predictable-secret', salt: 'extra-salt' }).sign('hello'),
    'hello:g8YZrsJ1xXg4hGFgU2uc4ff9ZZRKt3ReprMkjND8TfM',
  );
});

test("Signer({ key, sep, salt, algorithm: 'sha1' }).sign(value) matches Django", (t) => {
  t.is(
    new Signer({ key: 'secret', sep: '/', salt: 'somesalt', algorithm: 'sha1' }).sign('xyz'),
    'xyz/zzdO_8rk-NGnm8jNasXRTF2P5kY',
  );
});

test('Signer({ key }).signObject(obj) matches Django', (t) => {
  t.is(
    new Signer({ key: 'secret' }).signObject(['a', 'list']),
    'WyJhIiwibGlzdCJd:XqfIRtZo2o5Az9_cHsAKb6dWzvIU6xoZ_UJDXPXMaAA',
  );
});

test('b62Encode(n) and b62Decode(s) match Django', (t) => {
  const cases: Array<[number, string]> = [
    [0, '0'],
    [61, 'z'],
    [62, '10'],
    [123456789, '8M0kX'],
    [1620378259, '1lewPD'],
    [-62, '-10'],
  ];
  for (const [n, s] of cases) {
    t.is(b62Encode(n), s);
    t.is(b62Decode(s), n);
  }
});

test('b62Decode(s) refuses a character outside 0-9A-Za-z with a RangeError', (t) => {
  t.throws(() => b62Decode('8M0-X'), { instanceOf: RangeError, message: /Invalid base 62 digit "-"/ });
});

test('b64Encode(data) is URL-safe without padding, and b64Decode(s) reverses it', (t) => {
  const bytes = Buffer.from([0xfb, 0xff, 0xfe, 0x01]);
  t.is(b64Encode(bytes), '-__-AQ');
  t.deepEqual(b64Decode('-__-AQ'), bytes);
  t.deepEqual(b64Decode('-__-AQ=='), bytes);
  t.is(b64Encode('"hello"'), 'ImhlbGxvIg');
});

test('saltedHmac(keySalt, value, secret, algorithm) is HMAC keyed by H(keySalt + secret)', (t) => {
  t.is(
    b64Encode(saltedHmac('django.core.signing.Signersigner', 'foo', 'predictable-secret', 'sha256')),
    'jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0',
  );
  t.is(
    base64Hmac('django.core.signing.Signersigner', 'foo', 'predictable-secret', 'sha256'),
    'jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0',
  );
});

test("saltedHmac(keySalt, value, secret) defaults to sha1, like Django's salted_hmac", (t) => {
  t.is(saltedHmac('salt', 'value', 'secret').length, 20);
});

test('saltedHmac(keySalt, value, secret, algorithm) refuses an unknown algorithm', (t) => {
  t.throws(() => saltedHmac('s', 'v', 'k', 'whirlpool-9000'), {
    instanceOf: RangeError,
    message: /'whirlpool-9000' is not an algorithm/,
  });
});

test('Signer#unsign(signed) returns the value signed by sign()', (t) => {
  const signer = new Signer({ key: 'predictable-secret' });
  for (const value of ['foo', '', 'a:b:c', 'naïve 😀', '\n\0'])
    t.is(signer.unsign(signer.sign(value)), value);
});

test('Signer#unsign(signed) without the separator throws BadSignature(No ":" found in value)', (t) => {
  const error = t.throws(() => new Signer({ key: 'k' }).unsign('no-separator'), { instanceOf: BadSignature });
  t.is(error.message, 'No ":" found in value');
  t.is(error.code, 'KD_BAD_SIGNATURE');
  t.is(error.status, undefined);
  t.true(error instanceof KoaDjangoError);
  t.false(error instanceof SignatureExpired);
});

test('Signer#unsign(signed) with a wrong signature throws BadSignature naming the signature', (t) => {
  const error = t.throws(() => new Signer({ key: 'k' }).unsign('value:forged'), { instanceOf: BadSignature });
  t.is(error.message, 'Signature "forged" does not match');
});

test('Signer#unsign(signed) rejects tampered, truncated, extended and re-salted values', (t) => {
  const signer = new Signer({ key: 'predictable-secret' });
  const signed = signer.sign('foo');
  const bad = [
    signed.replace('foo', 'fOo'),
    signed.slice(0, -1),
    `${signed}A`,
    `x${signed}`,
    signed.replace(':', '/'),
    new Signer({ key: 'predictable-secret', salt: 'other' }).sign('foo'),
    new Signer({ key: 'predictable-secret', algorithm: 'sha512' }).sign('foo'),
  ];
  for (const value of bad) t.throws(() => signer.unsign(value), { instanceOf: BadSignature }, value);
});

test('Signer#unsign(signed) rejects a value signed with a foreign key', (t) => {
  const signed = new Signer({ key: 'attacker-key' }).sign('admin');
  t.throws(() => new Signer({ key: 'predictable-secret' }).unsign(signed), { instanceOf: BadSignature });
});

test('Signer#unsign(signed) splits on the last separator', (t) => {
  const signer = new Signer({ key: 'k' });
  const signed = signer.sign('a:b');
  t.is(signed.split(':').length, 3);
  t.is(signer.unsign(signed), 'a:b');
});

test('Signer#unsign(signed) compares signatures of any length or encoding without throwing RangeError', (t) => {
  // timingSafeEqual throws on a length mismatch; the signer must check lengths first.
  const signer = new Signer({ key: 'k' });
  const sig = signer.signature('v');
  const candidates = ['', sig.slice(1), `${sig}${sig}`, `${sig.slice(0, -1)}é`, `${sig.slice(0, -2)}😀`];
  for (const candidate of candidates) {
    t.throws(() => signer.unsign(`v:${candidate}`), { instanceOf: BadSignature }, candidate);
  }
});

test('Signer({ key, fallbackKeys }) verifies values signed with a fallback key', (t) => {
  const old = new Signer({ key: 'old-key' }).sign('v');
  const signer = new Signer({ key: 'new-key', fallbackKeys: ['older-key', 'old-key'] });
  t.is(signer.unsign(old), 'v');
});

test('Signer({ key, fallbackKeys }) signs with the main key only', (t) => {
  const signer = new Signer({ key: 'new-key', fallbackKeys: ['old-key'] });
  const signed = signer.sign('v');
  t.is(signed, new Signer({ key: 'new-key' }).sign('v'));
  t.throws(() => new Signer({ key: 'old-key' }).unsign(signed), { instanceOf: BadSignature });
});

test('new Signer({ key, fallbackKeys }) refuses an empty fallback key, with which anyone could sign', (t) => {
  // `(process.env.OLD_KEYS ?? '').split(',')` gives [''] when the variable is unset.
  for (const fallbackKeys of [[''], ['old-key', ''], [new Uint8Array(0)]]) {
    t.throws(() => new Signer({ key: 'new-key', fallbackKeys }), {
      instanceOf: ImproperlyConfigured,
      message: /SECRET_KEY_FALLBACKS .*empty key/,
    });
  }
});

test('new Signer({ key, fallbackKeys }) refuses fallbackKeys that is not a list of keys', (t) => {
  // A string would be spread into one-character keys.
  for (const fallbackKeys of ['old-key', [undefined], [42]]) {
    t.throws(() => new Signer({ key: 'new-key', fallbackKeys: fallbackKeys as never }), {
      instanceOf: ImproperlyConfigured,
      message: /SECRET_KEY_FALLBACKS/,
    });
  }
});

test('new Signer({}) without a key throws ImproperlyConfigured pointing at SECRET_KEY', (t) => {
  for (const options of [{}, { key: '' }]) {
    t.throws(() => new Signer(options as never), {
      instanceOf: ImproperlyConfigured,
      message: /settings\.SECRET_KEY/,
    });
  }
});

test("new Signer({ key, sep }) refuses an unsafe separator with Django's message", (t) => {
  for (const sep of ['', '-', 'abc', '_=', '[', '`']) {
    t.throws(() => new Signer({ key: 'k', sep }), {
      instanceOf: RangeError,
      message: `Unsafe Signer separator: '${sep}' (cannot be empty or consist of only A-z0-9-_=)`,
    });
  }
  t.is(new Signer({ key: 'k', sep: '.' }).sep, '.');
});

test("new Signer({ key }) defaults to Django's salt and sha256", (t) => {
  const signer = new Signer({ key: 'k' });
  t.is(signer.salt, 'django.core.signing.Signer');
  t.is(signer.algorithm, 'sha256');
  t.is(signer.sep, ':');
});

test('Signer#signObject(obj, { compress }) round-trips through unsignObject()', (t) => {
  const signer = new Signer({ key: 'k' });
  const value = { text: 'é😀', list: [1, 2, 3], nested: { ok: true, none: null } };
  t.deepEqual(signer.unsignObject(signer.signObject(value)), value);
  const long = { items: Array.from({ length: 50 }, () => 'repeated text') };
  const compressed = signer.signObject(long, { compress: true });
  t.true(compressed.startsWith('.'));
  t.deepEqual(signer.unsignObject(compressed), long);
});

test('Signer#signObject(obj, { compress: true }) keeps small payloads uncompressed', (t) => {
  const signer = new Signer({ key: 'k' });
  t.is(signer.signObject('hello', { compress: true }), signer.signObject('hello'));
});

test('Signer#unsignObject(signed) throws BadSignature for a validly signed payload that is not JSON', (t) => {
  const signer = new Signer({ key: 'k' });
  t.throws(() => signer.unsignObject(signer.sign(b64Encode('{not json'))), {
    instanceOf: BadSignature,
    message: /not valid JSON/,
  });
});

test('Signer#unsignObject(signed) throws BadSignature for a validly signed corrupt compressed payload', (t) => {
  const signer = new Signer({ key: 'k' });
  t.throws(() => signer.unsignObject(signer.sign(`.${b64Encode('not zlib at all')}`)), {
    instanceOf: BadSignature,
    message: /could not be decompressed/,
  });
});

test('Signer#unsignObject(signed) refuses to inflate past MAX_DECOMPRESSED_SIZE (decompression bomb)', (t) => {
  const signer = new Signer({ key: 'k' });
  const bomb = deflateSync(Buffer.alloc(MAX_DECOMPRESSED_SIZE + 1, 0x20));
  t.true(bomb.length < 100_000);
  t.throws(() => signer.unsignObject(signer.sign(`.${b64Encode(bomb)}`)), {
    instanceOf: BadSignature,
    message: /larger than 16 MiB/,
  });
});
