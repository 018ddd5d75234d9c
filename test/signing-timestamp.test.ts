import test from 'ava';
import { BadSignature, dumps, loads, SignatureExpired, Signer, TimestampSigner } from '../src/signing.ts';

// Vectors from the Django reference, §3.5, with the clock frozen at 123456789.
const frozen = () => 123456789;
const at = (seconds: number) => () => seconds;

test('TimestampSigner({ key }).sign(value) matches Django at time 123456789', (t) => {
  t.is(
    new TimestampSigner({ key: 'predictable-key', clock: frozen }).sign('hello'),
    'hello:8M0kX:0pJB1_TN9Bno2aK29thnZKKHn76ngzcQVnIrp_DNs5M',
  );
});

test('TimestampSigner({ key, salt }).sign(value) matches Django at time 123456789', (t) => {
  t.is(
    new TimestampSigner({ key: 'k', salt: 's', clock: frozen }).sign('v'),
    'v:8M0kX:GvkKcsQZ3NkMUnEMmnPdXvQInhn2xRsB9510-_f6aUQ',
  );
});

test("TimestampSigner defaults to the salt 'django.core.signing.TimestampSigner'", (t) => {
  t.is(new TimestampSigner({ key: 'k' }).salt, 'django.core.signing.TimestampSigner');
});

test('TimestampSigner#timestamp() is the clock in base 62 whole seconds', (t) => {
  t.is(new TimestampSigner({ key: 'k', clock: () => 123456789.9 }).timestamp(), '8M0kX');
});

test('TimestampSigner#timestamp() can be overridden by a subclass', (t) => {
  class FixedSigner extends TimestampSigner {
    override timestamp(): string {
      return '8M0kX';
    }
  }
  t.is(
    new FixedSigner({ key: 'predictable-key' }).sign('hello'),
    'hello:8M0kX:0pJB1_TN9Bno2aK29thnZKKHn76ngzcQVnIrp_DNs5M',
  );
});

test('TimestampSigner#unsign(signed) returns the value without the timestamp', (t) => {
  const signer = new TimestampSigner({ key: 'predictable-key' });
  t.is(signer.unsign('hello:8M0kX:0pJB1_TN9Bno2aK29thnZKKHn76ngzcQVnIrp_DNs5M'), 'hello');
  t.is(signer.unsign(signer.sign('a:b')), 'a:b');
});

test('TimestampSigner#unsign(signed, { maxAge }) accepts an age equal to maxAge', (t) => {
  const signed = new TimestampSigner({ key: 'k', clock: at(1000) }).sign('v');
  t.is(new TimestampSigner({ key: 'k', clock: at(1010) }).unsign(signed, { maxAge: 10 }), 'v');
});

test('TimestampSigner#unsign(signed, { maxAge }) throws SignatureExpired when the age exceeds maxAge', (t) => {
  const signed = new TimestampSigner({ key: 'k', clock: at(1000) }).sign('v');
  const reader = new TimestampSigner({ key: 'k', clock: at(1011) });
  const error = t.throws(() => reader.unsign(signed, { maxAge: 10 }), { instanceOf: SignatureExpired });
  t.is(error.message, 'Signature age 11 > 10 seconds');
  t.is(error.code, 'KD_SIGNATURE_EXPIRED');
  t.true(error instanceof BadSignature);
  t.is(reader.unsign(signed), 'v');
});

test('TimestampSigner#unsign(signed, { maxAge: 0 }) expires anything older than now', (t) => {
  const signed = new TimestampSigner({ key: 'k', clock: at(1000) }).sign('v');
  t.is(new TimestampSigner({ key: 'k', clock: at(1000) }).unsign(signed, { maxAge: 0 }), 'v');
  t.throws(() => new TimestampSigner({ key: 'k', clock: at(1000.5) }).unsign(signed, { maxAge: 0 }), {
    instanceOf: SignatureExpired,
  });
});

test('TimestampSigner#unsign(signed, { maxAge }) checks the signature before the age', (t) => {
  const signed = new TimestampSigner({ key: 'k', clock: at(1000) }).sign('v');
  const forged = signed.replace('v:', 'w:');
  const error = t.throws(
    () => new TimestampSigner({ key: 'k', clock: at(5000) }).unsign(forged, { maxAge: 10 }),
    { instanceOf: BadSignature },
  );
  t.false(error instanceof SignatureExpired);
});

test('TimestampSigner#unsign(signed) throws BadSignature for a signed value without a timestamp', (t) => {
  const plain = new Signer({ key: 'k', salt: 'shared' }).sign('no-timestamp');
  const stamped = new Signer({ key: 'k', salt: 'shared' }).sign('v:not~b62');
  const reader = new TimestampSigner({ key: 'k', salt: 'shared' });
  t.throws(() => reader.unsign(plain), { instanceOf: BadSignature, message: /No timestamp/ });
  t.throws(() => reader.unsign(stamped), { instanceOf: BadSignature, message: /base 62/ });
});

test('TimestampSigner#unsignObject(signed, { maxAge }) enforces the age', (t) => {
  const signed = new TimestampSigner({ key: 'k', clock: at(1000) }).signObject({ a: 1 });
  t.deepEqual(new TimestampSigner({ key: 'k', clock: at(1005) }).unsignObject(signed, { maxAge: 10 }), {
    a: 1,
  });
  t.throws(() => new TimestampSigner({ key: 'k', clock: at(1020) }).unsignObject(signed, { maxAge: 10 }), {
    instanceOf: SignatureExpired,
  });
});

test('dumps(obj, { key }) matches Django at time 123456789', (t) => {
  t.is(
    dumps('hello', { key: 'secret', clock: frozen }),
    'ImhlbGxvIg:8M0kX:PZHvCX9YbQCoGC8UJwGja1_EBPhgj-AG6Vt7sZYAik8',
  );
  t.is(
    dumps({ a: 'dictionary' }, { key: 'secret', clock: frozen }),
    'eyJhIjoiZGljdGlvbmFyeSJ9:8M0kX:VbDcEjuuS8ZdIPbGR_bPGFESQ1PYwTOGrHNlYmEqaPc',
  );
});

test('dumps(obj, { key, compress: true }) matches Django at time 123456789', (t) => {
  t.is(
    dumps(
      Array.from({ length: 19 }, (_, i) => i + 1),
      { key: 'secret', compress: true, clock: frozen },
    ),
    '.eJwFwcERACAIwLCF-rCiILN47r-GyZVJsNgkxaFxoDgxcOHGxMKD_T7vhAml:8M0kX:o5CHPDQ4LPTgDVj1SRza-EvseYyE8fdWaJnM1oy4XAI',
  );
});

test('dumps(obj, { key, salt, compress: true }) matches the signed-cookie session vector', (t) => {
  t.is(
    dumps(
      { a: 1 },
      {
        key: 'django-insecure-test-key',
        salt: 'django.contrib.sessions.backends.signed_cookies',
        compress: true,
        clock: frozen,
      },
    ),
    'eyJhIjoxfQ:8M0kX:F0MmvpB-gpYglqF2TH56XAaWMjr-fwC9ldj95Fu9iLM',
  );
});

test('loads(signed, { key }) reads values Django signed', (t) => {
  t.is(loads('ImhlbGxvIg:8M0kX:PZHvCX9YbQCoGC8UJwGja1_EBPhgj-AG6Vt7sZYAik8', { key: 'secret' }), 'hello');
  t.deepEqual(
    loads(
      '.eJwFwcERACAIwLCF-rCiILN47r-GyZVJsNgkxaFxoDgxcOHGxMKD_T7vhAml:8M0kX:o5CHPDQ4LPTgDVj1SRza-EvseYyE8fdWaJnM1oy4XAI',
      {
        key: 'secret',
      },
    ),
    Array.from({ length: 19 }, (_, i) => i + 1),
  );
});

test('loads(signed, { key, salt }) rejects a value dumped with another salt', (t) => {
  const signed = dumps({ user: 1 }, { key: 'secret', salt: 'password-reset' });
  t.deepEqual(loads(signed, { key: 'secret', salt: 'password-reset' }), { user: 1 });
  t.throws(() => loads(signed, { key: 'secret', salt: 'unsubscribe' }), { instanceOf: BadSignature });
  t.throws(() => loads(signed, { key: 'secret' }), { instanceOf: BadSignature });
});

test('loads(signed, { key, maxAge }) throws SignatureExpired for an old value', (t) => {
  const signed = dumps('hello', { key: 'secret', clock: frozen });
  t.throws(() => loads(signed, { key: 'secret', maxAge: 60, clock: at(123456789 + 61) }), {
    instanceOf: SignatureExpired,
    message: 'Signature age 61 > 60 seconds',
  });
  t.is(loads(signed, { key: 'secret', maxAge: 60, clock: at(123456789 + 60) }), 'hello');
});

test('loads(signed, { key, fallbackKeys }) accepts a value dumped with an old key; dumps never uses it', (t) => {
  const old = dumps('hello', { key: 'old-secret' });
  t.is(loads(old, { key: 'new-secret', fallbackKeys: ['old-secret'] }), 'hello');
  t.throws(() => loads(old, { key: 'new-secret' }), { instanceOf: BadSignature });
  const fresh = dumps('hello', { key: 'new-secret', fallbackKeys: ['old-secret'] });
  t.throws(() => loads(fresh, { key: 'old-secret' }), { instanceOf: BadSignature });
});

test('TimestampSigner#unsign(signed, { maxAge: NaN }) throws a TypeError instead of never expiring', (t) => {
  const signer = new TimestampSigner({ key: 'k' });
  t.throws(() => signer.unsign(signer.sign('v'), { maxAge: Number.NaN }), {
    instanceOf: TypeError,
    message: /maxAge/,
  });
  t.throws(() => signer.unsign(signer.sign('v'), { maxAge: '10' as never }), { instanceOf: TypeError });
});
