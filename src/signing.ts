/**
 * Cryptographic signing (Django's `django/core/signing.py`), wire-compatible with Django: a value
 * signed by Django with the same key and salt validates here, and the other way round.
 *
 * A signed value is the value, a separator, and a signature over everything before it:
 *
 *     >>> dumps('hello', { key })          (value is the JSON "hello", base64-encoded)
 *     'ImhlbGxvIg:1QaUZC:YIye-ze3TTx7gtSv422nZA4sgmk'
 *
 *  - `ImhlbGxvIg`: URL-safe base64 of the JSON, `=` padding stripped. With `compress: true`
 *    (and only when zlib makes it shorter) it is the deflated JSON, marked by a leading `.`.
 *    Node's zlib build is not Python's: for some data the deflated bytes (so the signed string)
 *    differ from Django's, though each side inflates the other's.
 *  - `1QaUZC`: the time it was signed, in base 62 seconds (TimestampSigner only).
 *  - `YIye-ze3TTx7gtSv422nZA4sgmk`: URL-safe base64 HMAC of everything before the last `:`,
 *    keyed by `H(salt + 'signer' + key)` (sha256 by default, 43 characters; this 27-character
 *    one is the sha1 example from Django's own docstring).
 *
 * No global settings here: a signer takes its key explicitly (`{ key: settings.SECRET_KEY }`),
 * and older keys as `fallbackKeys: settings.SECRET_KEY_FALLBACKS` (verified, never signed with;
 * an empty one is refused, since anyone could sign with it: startup check `signing.E001`).
 *
 * Cookie signing (`signCookieValue` / `unsignCookieValue`, behind `setSignedCookie` and
 * `getSignedCookie`) is a deliberate choice: it SIGNS with Django 5.2.17's unambiguous salt
 * `django.http.cookies.v2:<len(salt)>:<salt><name>` (CVE-2026-6873: with the legacy `name + salt`
 * a value signed for cookie `a`/salt `bc` was valid for cookie `ab`/salt `c`). It VERIFIES with
 * the v2 salt first and, when `SIGNED_COOKIE_LEGACY_SALT_FALLBACK` is true (our default) and the
 * failure was not an expiry, with the legacy salt, so cookies set by older Django releases (and
 * by older koa-django) keep working during a migration. Set it to false once they have expired.
 *
 * The `cookie-signature` package (Express's `value.HMAC` format) is not used: its signatures
 * carry no salt, cookie name, timestamp or key rotation, and nothing Django reads uses its
 * format (see docs/sessions.md).
 *
 * @module
 */
import { createHash, createHmac, getHashes, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { registerCheck } from './conf/checks.ts';
import { ImproperlyConfigured, KoaDjangoError } from './exceptions.ts';
import { pythonJsonDumps } from './utils/json.ts';

/** A signing key: a string (UTF-8 encoded) or raw bytes. */
export type SecretKey = string | Uint8Array;

/** Seconds since the epoch (may be fractional); injectable for tests. */
export type Clock = () => number;

/**
 * A signature did not verify, or a signed value is malformed. Not an HTTP error by itself: like
 * Django, an uncaught one is a 500 (`getSignedCookie` takes a `default` to avoid that).
 *
 * @example
 * try { signer.unsign(value) } catch (e) { if (e instanceof BadSignature) return null; throw e }
 */
export class BadSignature extends KoaDjangoError {
  override readonly code: string = 'KD_BAD_SIGNATURE';
}

/**
 * The signature is valid but older than the `maxAge` the reader asked for.
 *
 * @example
 * try { loads(token, { key, maxAge: 3600 }) } catch (e) { if (e instanceof SignatureExpired) askAgain() }
 */
export class SignatureExpired extends BadSignature {
  override readonly code: string = 'KD_SIGNATURE_EXPIRED';
}

/**
 * The largest size a compressed signed object may inflate to: 16 MiB. The signature is checked
 * before inflating, so only a key holder could send a decompression bomb; the cap is defence in
 * depth. `signObject` never compresses data larger than this, so values it signs always load.
 */
export const MAX_DECOMPRESSED_SIZE = 16 * 1024 * 1024;

const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function toBytes(value: SecretKey): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
}

/**
 * URL-safe base64 with the `=` padding stripped (Django's `b64_encode`).
 *
 * @example
 * b64Encode('"hello"'); // 'ImhlbGxvIg'
 */
export function b64Encode(data: Uint8Array | string): string {
  return toBytes(data).toString('base64url');
}

/**
 * Decode URL-safe base64, padded or not (Django's `b64_decode`).
 *
 * @example
 * b64Decode('ImhlbGxvIg').toString(); // '"hello"'
 */
export function b64Decode(data: string): Buffer {
  return Buffer.from(data, 'base64url');
}

/**
 * Base 62 (`0-9A-Za-z`) of an integer; negatives get a `-` (Django's `b62_encode`).
 *
 * @example
 * b62Encode(123456789); // '8M0kX'
 */
export function b62Encode(value: number): string {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`b62Encode() takes a safe integer; got ${value}.`);
  }
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '';
  let rest = Math.abs(value);
  let encoded = '';
  while (rest > 0) {
    encoded = BASE62_ALPHABET[rest % 62] + encoded;
    rest = Math.floor(rest / 62);
  }
  return sign + encoded;
}

/**
 * The integer a base 62 string stands for (Django's `b62_decode`); throws a RangeError on a
 * character outside `0-9A-Za-z`.
 *
 * @example
 * b62Decode('8M0kX'); // 123456789
 */
export function b62Decode(value: string): number {
  const negative = value.startsWith('-');
  let decoded = 0;
  for (const digit of negative ? value.slice(1) : value) {
    const index = BASE62_ALPHABET.indexOf(digit);
    if (index < 0)
      throw new RangeError(`Invalid base 62 digit ${JSON.stringify(digit)} in ${JSON.stringify(value)}.`);
    decoded = decoded * 62 + index;
  }
  return negative ? -decoded : decoded;
}

/**
 * The fallback keys, refused unless each is a non-empty string or byte array. An empty key (what
 * `(process.env.OLD_KEYS ?? '').split(',')` gives when the variable is unset) would let anyone
 * sign values that verify, since every salt is public: fail closed instead.
 */
function checkFallbackKeys(keys: unknown): readonly SecretKey[] {
  if (!Array.isArray(keys)) {
    throw new ImproperlyConfigured(
      `SECRET_KEY_FALLBACKS (fallbackKeys) must be a list of keys, not ${typeof keys}. E.g. SECRET_KEY_FALLBACKS: [oldKey].`,
    );
  }
  for (const key of keys) {
    if (typeof key !== 'string' && !(key instanceof Uint8Array)) {
      throw new ImproperlyConfigured(
        `SECRET_KEY_FALLBACKS (fallbackKeys) must hold strings, not ${key === null ? 'null' : typeof key}. E.g. SECRET_KEY_FALLBACKS: [oldKey].`,
      );
    }
    if (key.length === 0) {
      throw new ImproperlyConfigured(
        "SECRET_KEY_FALLBACKS (fallbackKeys) contains an empty key: anyone could sign values that verify with it. Remove it, e.g. (process.env.OLD_SECRET_KEYS ?? '').split(',').filter(Boolean).",
      );
    }
  }
  return keys as readonly SecretKey[];
}

registerCheck((settings) =>
  Array.isArray(settings.SECRET_KEY_FALLBACKS) && settings.SECRET_KEY_FALLBACKS.some((key) => key === '')
    ? [
        {
          id: 'signing.E001',
          level: 'error',
          message:
            'SECRET_KEY_FALLBACKS contains an empty key: anyone could sign cookies, sessions and messages that verify with it.',
          hint: "Remove the empty entry, e.g. SECRET_KEY_FALLBACKS: (process.env.OLD_SECRET_KEYS ?? '').split(',').filter(Boolean).",
        },
      ]
    : [],
);

function checkAlgorithm(algorithm: string): void {
  if (!getHashes().includes(algorithm)) {
    throw new RangeError(
      `'${algorithm}' is not an algorithm accepted by node:crypto (e.g. 'sha256', 'sha512').`,
    );
  }
}

function deriveKey(keySalt: SecretKey, secret: SecretKey, algorithm: string): Buffer {
  // A plain hash, not an HMAC, as Django does: key = H(key_salt + secret).
  return createHash(algorithm).update(toBytes(keySalt)).update(toBytes(secret)).digest();
}

/**
 * HMAC of `value` keyed by `H(keySalt + secret)` (Django's `salted_hmac`; its default algorithm is
 * sha1, kept for compatibility). Strings are UTF-8. Returns the raw digest.
 *
 * @example
 * saltedHmac('my.app', 'value', settings.SECRET_KEY, 'sha256').toString('hex');
 */
export function saltedHmac(
  keySalt: SecretKey,
  value: SecretKey,
  secret: SecretKey,
  algorithm = 'sha1',
): Buffer {
  checkAlgorithm(algorithm);
  return createHmac(algorithm, deriveKey(keySalt, secret, algorithm))
    .update(toBytes(value))
    .digest();
}

/**
 * `b64Encode(saltedHmac(salt, value, key, algorithm))` (Django's `base64_hmac`).
 *
 * @example
 * base64Hmac('django.core.signing.Signersigner', 'foo', 'predictable-secret', 'sha256');
 * // 'jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0'
 */
export function base64Hmac(salt: SecretKey, value: SecretKey, key: SecretKey, algorithm = 'sha1'): string {
  return b64Encode(saltedHmac(salt, value, key, algorithm));
}

/** Compare in constant time; a length mismatch (public information) fails straight away. */
function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Python's `repr()` of a string, for error messages that quote Django's. */
function pyRepr(value: string): string {
  return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replaceAll("'", "\\'")}'`;
}

// `A-z` (not `A-Za-z`) on purpose: it is Django's pattern, and also covers [ \ ] ^ _ and backtick.
const UNSAFE_SEP = /^[A-z0-9\-_=]*$/;

/** Options of `Signer`. */
export interface SignerOptions {
  /** The signing key, usually `settings.SECRET_KEY`. Required. */
  key: SecretKey;
  /** Separator between value and signature (default `':'`); may not be base64-like. */
  sep?: string;
  /** Namespace: a value signed with one salt does not verify with another. */
  salt?: string;
  /** A `node:crypto` hash name (default `'sha256'`). */
  algorithm?: string;
  /** Older keys accepted when verifying (usually `settings.SECRET_KEY_FALLBACKS`). */
  fallbackKeys?: readonly SecretKey[];
}

/** Options of `signObject` (and `dumps`). */
export interface SignObjectOptions {
  /** Deflate the JSON when that makes it shorter. */
  compress?: boolean;
}

/**
 * Signs strings: `value + sep + signature` (Django's `Signer`). The default salt is Django's
 * (`'django.core.signing.Signer'`), so values interoperate with a Django app using the same key.
 *
 * @example
 * const signer = new Signer({ key: settings.SECRET_KEY });
 * const signed = signer.sign('hello'); // 'hello:…'
 * signer.unsign(signed); // 'hello'
 */
export class Signer {
  /** Salt used when none is given (Django's `"<module>.<ClassName>"`). */
  static defaultSalt = 'django.core.signing.Signer';

  readonly sep: string;
  readonly salt: string;
  readonly algorithm: string;
  /** HMAC keys for `[key, ...fallbackKeys]`, derived once. */
  #hmacKeys: Buffer[];

  constructor(options: SignerOptions) {
    const {
      key,
      sep = ':',
      salt,
      algorithm = 'sha256',
      fallbackKeys = [],
    } = options ?? ({} as SignerOptions);
    if (key === undefined || key === null || key.length === 0) {
      throw new ImproperlyConfigured(
        `${new.target.name} needs a key: pass { key: settings.SECRET_KEY } (koa-django has no global settings).`,
      );
    }
    if (UNSAFE_SEP.test(sep)) {
      throw new RangeError(
        `Unsafe Signer separator: ${pyRepr(sep)} (cannot be empty or consist of only A-z0-9-_=)`,
      );
    }
    checkAlgorithm(algorithm);
    this.sep = sep;
    this.salt = salt ?? (new.target as typeof Signer).defaultSalt;
    this.algorithm = algorithm;
    this.#hmacKeys = [key, ...checkFallbackKeys(fallbackKeys)].map((k) =>
      deriveKey(`${this.salt}signer`, k, algorithm),
    );
  }

  /**
   * The signature of `value`: `base64Hmac(salt + 'signer', value, key)`.
   *
   * @example
   * new Signer({ key: 'predictable-secret', algorithm: 'sha512' }).signature('hello');
   */
  signature(value: string, key?: SecretKey): string {
    // Like Django's `key or self.key`: an empty key means the signer's own.
    const hmacKey =
      key === undefined || key.length === 0
        ? (this.#hmacKeys[0] as Buffer)
        : deriveKey(`${this.salt}signer`, key, this.algorithm);
    return this.#sign(hmacKey, value);
  }

  #sign(hmacKey: Buffer, value: string): string {
    return createHmac(this.algorithm, hmacKey).update(value, 'utf8').digest('base64url');
  }

  /**
   * `value + sep + signature(value)`, always with the main key.
   *
   * @example
   * new Signer({ key: 'predictable-secret' }).sign('foo');
   * // 'foo:jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0'
   */
  sign(value: string): string {
    return `${value}${this.sep}${this.signature(value)}`;
  }

  /**
   * The original value, if the signature (after the last `sep`) matches the key or a fallback
   * key; otherwise throws `BadSignature`.
   *
   * @example
   * signer.unsign('foo:jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0'); // 'foo'
   */
  unsign(signedValue: string): string {
    const at = typeof signedValue === 'string' ? signedValue.lastIndexOf(this.sep) : -1;
    if (at < 0) throw new BadSignature(`No "${this.sep}" found in value`);
    const value = signedValue.slice(0, at);
    const sig = signedValue.slice(at + this.sep.length);
    for (const hmacKey of this.#hmacKeys) {
      if (constantTimeEquals(sig, this.#sign(hmacKey, value))) return value;
    }
    throw new BadSignature(`Signature "${sig}" does not match`);
  }

  /**
   * Sign a JSON-serialisable value: Python-identical compact JSON, base64 (deflated and marked
   * with `.` when `compress` makes it shorter), then `sign`.
   *
   * @example
   * new Signer({ key: 'secret' }).signObject(['a', 'list']);
   * // 'WyJhIiwibGlzdCJd:XqfIRtZo2o5Az9_cHsAKb6dWzvIU6xoZ_UJDXPXMaAA'
   */
  signObject(obj: unknown, options: SignObjectOptions = {}): string {
    return this.sign(encodeObject(obj, options.compress ?? false));
  }

  /**
   * The value `signObject` signed; throws `BadSignature` if the signature or the payload is bad.
   *
   * @example
   * signer.unsignObject<string[]>(signed); // ['a', 'list']
   */
  unsignObject<T = unknown>(signedObj: string): T {
    return decodeObject(this.unsign(signedObj)) as T;
  }
}

function encodeObject(obj: unknown, compress: boolean): string {
  let data = Buffer.from(pythonJsonDumps(obj, { separators: [',', ':'] }), 'utf8');
  let isCompressed = false;
  if (compress && data.length <= MAX_DECOMPRESSED_SIZE) {
    const compressed = deflateSync(data, { level: 6 });
    // Django keeps the compressed form only if it saves more than the '.' marker costs.
    if (compressed.length < data.length - 1) {
      data = compressed;
      isCompressed = true;
    }
  }
  return (isCompressed ? '.' : '') + b64Encode(data);
}

function decodeObject(payload: string): unknown {
  const isCompressed = payload.startsWith('.');
  let data = b64Decode(isCompressed ? payload.slice(1) : payload);
  if (isCompressed) {
    try {
      data = inflateSync(data, { maxOutputLength: MAX_DECOMPRESSED_SIZE });
    } catch (error) {
      throw new BadSignature('Signed object could not be decompressed (corrupt, or larger than 16 MiB).', {
        cause: error,
      });
    }
  }
  try {
    // Django decodes as latin-1 (its JSON is ASCII-only).
    return JSON.parse(data.toString('latin1'));
  } catch (error) {
    throw new BadSignature('Signed object is not valid JSON.', { cause: error });
  }
}

/** Options of `TimestampSigner`. */
export interface TimestampSignerOptions extends SignerOptions {
  /** Seconds since the epoch; defaults to the system clock (tests freeze it). */
  clock?: Clock;
}

/** Options of `TimestampSigner#unsign`. */
export interface UnsignOptions {
  /** Reject signatures older than this many seconds with `SignatureExpired`. */
  maxAge?: number;
}

const systemClock: Clock = () => Date.now() / 1000;

/**
 * A `Signer` that also signs the time: `value:TIMESTAMP:SIGNATURE`, so `unsign` can enforce a
 * maximum age (Django's `TimestampSigner`). Default salt `'django.core.signing.TimestampSigner'`.
 *
 * @example
 * const signer = new TimestampSigner({ key: settings.SECRET_KEY });
 * const token = signer.sign('user:42');
 * signer.unsign(token, { maxAge: 3600 }); // 'user:42', or throws SignatureExpired after an hour
 */
export class TimestampSigner extends Signer {
  static override defaultSalt = 'django.core.signing.TimestampSigner';

  #clock: Clock;

  constructor(options: TimestampSignerOptions) {
    super(options);
    this.#clock = options?.clock ?? systemClock;
  }

  /**
   * The current time in base 62 whole seconds; override to change what is signed.
   *
   * @example
   * new TimestampSigner({ key, clock: () => 123456789 }).timestamp(); // '8M0kX'
   */
  timestamp(): string {
    return b62Encode(Math.floor(this.#clock()));
  }

  /**
   * Sign `value + sep + timestamp()`.
   *
   * @example
   * new TimestampSigner({ key: 'predictable-key', clock: () => 123456789 }).sign('hello');
   * // 'hello:8M0kX:0pJB1_TN9Bno2aK29thnZKKHn76ngzcQVnIrp_DNs5M'
   */
  override sign(value: string): string {
    return super.sign(`${value}${this.sep}${this.timestamp()}`);
  }

  /**
   * Verify the signature first, then (with `maxAge`) the age: older than `maxAge` seconds
   * (strictly) throws `SignatureExpired`.
   *
   * @example
   * signer.unsign(token, { maxAge: 60 * 60 * 24 });
   */
  override unsign(signedValue: string, options: UnsignOptions = {}): string {
    const result = super.unsign(signedValue);
    const at = result.lastIndexOf(this.sep);
    // Only reachable with a value signed by a plain Signer that shared this salt.
    if (at < 0) throw new BadSignature(`No timestamp found in value (no "${this.sep}" before the signature)`);
    let timestamp: number;
    try {
      timestamp = b62Decode(result.slice(at + this.sep.length));
    } catch (error) {
      throw new BadSignature('Timestamp is not base 62', { cause: error });
    }
    const { maxAge } = options;
    if (maxAge !== undefined && maxAge !== null) {
      // Fail closed: `age > NaN` is always false, so a NaN maxAge would never expire anything.
      if (typeof maxAge !== 'number' || Number.isNaN(maxAge)) {
        throw new TypeError(`maxAge must be a number of seconds; got ${String(maxAge)}.`);
      }
      const age = this.#clock() - timestamp;
      if (age > maxAge) throw new SignatureExpired(`Signature age ${age} > ${maxAge} seconds`);
    }
    return result.slice(0, at);
  }

  /**
   * `unsign` (with `maxAge`), then decode the object `signObject` signed.
   *
   * @example
   * signer.unsignObject(signed, { maxAge: 300 });
   */
  override unsignObject<T = unknown>(signedObj: string, options: UnsignOptions = {}): T {
    return decodeObject(this.unsign(signedObj, options)) as T;
  }
}

/** Options of `dumps`. */
export interface DumpsOptions extends SignObjectOptions {
  /** The signing key, usually `settings.SECRET_KEY`. Required. */
  key: SecretKey;
  /** Namespace (default `'django.core.signing'`, Django's). */
  salt?: string;
  /** Accepted so one options object can serve `dumps` and `loads`; never used to sign. */
  fallbackKeys?: readonly SecretKey[];
  clock?: Clock;
}

/** Options of `loads`. */
export interface LoadsOptions extends UnsignOptions {
  key: SecretKey;
  salt?: string;
  fallbackKeys?: readonly SecretKey[];
  clock?: Clock;
}

/**
 * Sign a JSON-serialisable value into a URL-safe string, with a timestamp (Django's
 * `signing.dumps`). Signed, not encrypted: anyone can read the value.
 *
 * @example
 * dumps({ a: 'dictionary' }, { key: settings.SECRET_KEY });
 * dumps(list, { key: settings.SECRET_KEY, salt: 'my.app.unsubscribe', compress: true });
 */
export function dumps(obj: unknown, options: DumpsOptions): string {
  const { salt = 'django.core.signing', compress = false, ...rest } = options;
  return new TimestampSigner({ ...rest, salt }).signObject(obj, { compress });
}

/**
 * Reverse `dumps`: verify (key, then each fallback key), check `maxAge`, decode. Throws
 * `BadSignature` or `SignatureExpired`.
 *
 * @example
 * const value = loads(token, { key: settings.SECRET_KEY, maxAge: 3600 });
 */
export function loads<T = unknown>(signed: string, options: LoadsOptions): T {
  const { salt = 'django.core.signing', maxAge, ...rest } = options;
  return new TimestampSigner({ ...rest, salt }).unsignObject<T>(signed, { maxAge });
}

/** The settings cookie signing reads (a full `Settings` object fits). */
export interface CookieSigningSettings {
  SECRET_KEY: string;
  SECRET_KEY_FALLBACKS?: readonly string[];
  /** Also accept the pre-5.2.17 `name + salt` scheme when verifying (default true). */
  SIGNED_COOKIE_LEGACY_SALT_FALLBACK?: boolean;
}

/** What `getCookieSigner` returns (a `TimestampSigner`). */
export interface CookieSigner {
  sign(value: string): string;
  unsign(value: string, options?: UnsignOptions): string;
}

/**
 * The signer behind signed cookies (Django's `get_cookie_signer`): a `TimestampSigner` keyed by
 * `'django.http.cookies' + SECRET_KEY`, with each fallback key prefixed the same way.
 *
 * @example
 * getCookieSigner(settings, { salt: 'my-cookie' }).sign('hello');
 */
export function getCookieSigner(
  settings: CookieSigningSettings,
  options: { salt?: string; clock?: Clock } = {},
): TimestampSigner {
  if (!settings.SECRET_KEY) {
    throw new ImproperlyConfigured('The SECRET_KEY setting must not be empty.');
  }
  const prefix = 'django.http.cookies';
  // Checked before prefixing: '' would become the public key 'django.http.cookies'.
  const fallbacks = checkFallbackKeys(settings.SECRET_KEY_FALLBACKS ?? []);
  return new TimestampSigner({
    key: prefix + settings.SECRET_KEY,
    fallbackKeys: fallbacks.map((k) =>
      typeof k === 'string' ? prefix + k : Buffer.concat([Buffer.from(prefix), k]),
    ),
    salt: options.salt ?? 'django.core.signing.get_cookie_signer',
    clock: options.clock,
  });
}

/**
 * Django 5.2.17's unambiguous cookie salt: `django.http.cookies.v2:<len(salt)>:<salt><name>`
 * (the length counts code points, as Python's `len` does).
 */
function cookieSaltV2(name: string, salt: string): string {
  return `django.http.cookies.v2:${[...salt].length}:${salt}${name}`;
}

/** Options of `signCookieValue`. */
export interface SignCookieOptions {
  /** Extra namespace on top of the cookie name (Django's `salt` argument). */
  salt?: string;
  clock?: Clock;
}

/** Options of `unsignCookieValue`. */
export interface UnsignCookieOptions extends SignCookieOptions, UnsignOptions {}

/**
 * Sign a cookie value for cookie `name` (what `HttpResponse#setSignedCookie` stores), with the v2
 * salt scheme (see the module header).
 *
 * @example
 * response.setCookie('color', signCookieValue(settings, 'color', 'blue', { salt: 'prefs' }));
 */
export function signCookieValue(
  settings: CookieSigningSettings,
  name: string,
  value: string,
  options: SignCookieOptions = {},
): string {
  const { salt = '', clock } = options;
  return getCookieSigner(settings, { salt: cookieSaltV2(name, salt), clock }).sign(value);
}

/**
 * Verify a signed cookie value for cookie `name` (what `HttpRequest#getSignedCookie` reads): the v2
 * salt first, then, if `SIGNED_COOKIE_LEGACY_SALT_FALLBACK` is true and the failure was not an
 * expiry, the legacy `name + salt`. Throws `BadSignature` or `SignatureExpired`.
 *
 * @example
 * const color = unsignCookieValue(settings, 'color', request.COOKIES.color, { salt: 'prefs', maxAge: 86400 });
 */
export function unsignCookieValue(
  settings: CookieSigningSettings,
  name: string,
  signedValue: string,
  options: UnsignCookieOptions = {},
): string {
  const { salt = '', clock, maxAge } = options;
  try {
    return getCookieSigner(settings, { salt: cookieSaltV2(name, salt), clock }).unsign(signedValue, {
      maxAge,
    });
  } catch (error) {
    const legacyAllowed = settings.SIGNED_COOKIE_LEGACY_SALT_FALLBACK ?? true;
    if (!legacyAllowed || !(error instanceof BadSignature) || error instanceof SignatureExpired) throw error;
    return getCookieSigner(settings, { salt: name + salt, clock }).unsign(signedValue, { maxAge });
  }
}
