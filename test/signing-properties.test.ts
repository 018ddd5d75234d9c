import test from 'ava';
import fc from 'fast-check';
import {
  BadSignature,
  b64Decode,
  b64Encode,
  Signer,
  signCookieValue,
  TimestampSigner,
  unsignCookieValue,
} from '../src/signing.ts';

type Mutation = { kind: 'flip' | 'insert' | 'delete'; at: number; char: string };

const mutation = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('flip', 'insert', 'delete'),
  at: fc.nat(),
  char: fc.oneof(
    fc.constantFrom(':', '.', '-', '_', '=', 'A', 'a', '0'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
});

/** Apply a mutation that always changes `text` (a flip picks a different character). */
function mutate(text: string, { kind, at, char }: Mutation): string {
  const i = text.length === 0 ? 0 : at % (kind === 'insert' ? text.length + 1 : text.length);
  if (kind === 'insert' || text.length === 0) return text.slice(0, i) + char + text.slice(i);
  if (kind === 'delete') return text.slice(0, i) + text.slice(i + 1);
  const replacement = char === text[i] ? (char === 'x' ? 'y' : 'x') : char;
  return text.slice(0, i) + replacement + text.slice(i + 1);
}

/** Run `fn`; pass if it throws BadSignature, fail on any other exception or on a returned value. */
function expectBadSignature(fn: () => unknown): boolean {
  try {
    fn();
  } catch (error) {
    return error instanceof BadSignature;
  }
  return false;
}

const signer = new Signer({ key: 'property-key' });
const timestampSigner = new TimestampSigner({ key: 'property-key', clock: () => 123456789 });
const jsonValue = fc.jsonValue({ maxDepth: 3 }).filter((v) => !Object.is(v, -0));

test('Signer#unsign(signed) throws BadSignature for any flipped, inserted or deleted character', (t) => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), mutation, (value, m) => {
      const tampered = mutate(signer.sign(value), m);
      return expectBadSignature(() => signer.unsign(tampered));
    }),
  );
  t.pass();
});

test('TimestampSigner#unsign(signed, { maxAge }) throws BadSignature for any single-character change', (t) => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), mutation, (value, m) => {
      const tampered = mutate(timestampSigner.sign(value), m);
      return expectBadSignature(() => timestampSigner.unsign(tampered, { maxAge: 60 }));
    }),
  );
  t.pass();
});

test('Signer#unsignObject(signed) throws BadSignature for any single-character change of a compressed value', (t) => {
  fc.assert(
    fc.property(jsonValue, mutation, (value, m) => {
      const tampered = mutate(signer.signObject({ value, pad: 'x'.repeat(64) }, { compress: true }), m);
      return expectBadSignature(() => signer.unsignObject(tampered));
    }),
  );
  t.pass();
});

test('Signer#unsignObject(signed) never returns a wrong value when a compressed payload is changed and re-signed', (t) => {
  fc.assert(
    fc.property(jsonValue, mutation, (value, m) => {
      const original = { value, pad: 'x'.repeat(64) };
      const signed = signer.signObject(original, { compress: true });
      const payload = signed.slice(0, signed.lastIndexOf(':'));
      const resigned = signer.sign(mutate(payload, m));
      try {
        // A change the decoder cannot see (an ignored character, unused trailing bits) may still
        // give back the original; anything else must be refused.
        return JSON.stringify(signer.unsignObject(resigned)) === JSON.stringify(original);
      } catch (error) {
        return error instanceof BadSignature;
      }
    }),
  );
  t.pass();
});

test('Signer#unsignObject(signed) never returns a wrong value when compressed zlib bytes are changed and re-signed', (t) => {
  fc.assert(
    fc.property(jsonValue, fc.nat(), fc.integer({ min: 1, max: 255 }), (value, at, xor) => {
      const original = { value, pad: 'x'.repeat(64) };
      const signed = signer.signObject(original, { compress: true });
      const bytes = b64Decode(signed.slice(1, signed.lastIndexOf(':')));
      const i = at % bytes.length;
      bytes[i] = (bytes[i] as number) ^ xor;
      try {
        // zlib ignores the padding bits after the last block and some header bits; the adler32
        // checksum catches every change to the data itself.
        return (
          JSON.stringify(signer.unsignObject(signer.sign(`.${b64Encode(bytes)}`))) ===
          JSON.stringify(original)
        );
      } catch (error) {
        return error instanceof BadSignature;
      }
    }),
  );
  t.pass();
});

test('unsignCookieValue(settings, name, signed) throws BadSignature for any single-character change', (t) => {
  const settings = { SECRET_KEY: 'django-insecure-test-key' };
  fc.assert(
    fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 8 }), mutation, (value, name, m) => {
      const tampered = mutate(signCookieValue(settings, name, value), m);
      return expectBadSignature(() => unsignCookieValue(settings, name, tampered));
    }),
  );
  t.pass();
});
