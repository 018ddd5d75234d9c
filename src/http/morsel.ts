/**
 * `Morsel`: one cookie a response sets, serialised exactly as Python's `http.cookies.Morsel`
 * (which Django's `HttpResponse.cookies` holds), so every `Set-Cookie` header is byte-for-byte
 * Django's:
 *
 *     a=b; Domain=.example.com; expires=Tue, 14 Nov 2023 22:13:30 GMT; HttpOnly; Max-Age=10; Path=/; SameSite=Lax; Secure
 *
 * The value comes first, then the attributes that are set, in alphabetical order of their
 * lower-case names. Values made only of RFC 6265 token characters are sent bare; anything else
 * is wrapped in double quotes with `"` and `\` backslash-escaped and other special bytes written
 * as 3-digit octal escapes (`;` → `\073`), which Django's request cookie parser undoes.
 *
 * @module
 */
import { BadHeaderError } from '../exceptions.ts';
import { httpDate, pythonRepr } from '../utils/http.ts';
import { checkHeaderText } from './response-headers.ts';

// Python's http.cookies._LegalChars: the characters of a cookie name, and of a value sent bare.
const LEGAL = "A-Za-z0-9!#$%&'*+\\-.^_`|~:";
const LEGAL_KEY = new RegExp(`^[${LEGAL}]+$`);
// Characters a quoted value keeps as they are (_UnescapedChars); others below 256 become octal.
const UNESCAPED = new RegExp(`^[${LEGAL} ()/<=>?@\\[\\]{}]$`);
// What a quoted value keeps raw that no HTTP header can carry.
const WIDE = /[\u0100-\uffff]/;

/** Attribute names a Morsel knows (lower-case), mapped to their spelling on the wire. */
const RESERVED: Readonly<Record<string, string>> = {
  comment: 'Comment',
  domain: 'Domain',
  expires: 'expires',
  httponly: 'HttpOnly',
  'max-age': 'Max-Age',
  path: 'Path',
  samesite: 'SameSite',
  secure: 'Secure',
  version: 'Version',
};
const FLAGS = new Set(['httponly', 'secure']);
const ATTRIBUTE_ORDER = Object.keys(RESERVED).sort();

/** The attribute names `Morsel#get`/`Morsel#set` accept (case-insensitively). */
export type MorselAttribute =
  | 'comment'
  | 'domain'
  | 'expires'
  | 'httponly'
  | 'max-age'
  | 'path'
  | 'samesite'
  | 'secure'
  | 'version';

/** An attribute value; `''` means "not set". */
export type MorselValue = string | number | boolean;

/** Attributes of a cookie, as `HttpResponse#setCookie` takes them (Django's `set_cookie` arguments). */
export interface CookieOptions {
  /** Lifetime in seconds (fractions truncated); also sets `expires` unless given as a string. */
  maxAge?: number | null;
  /** A `Date` (converted to `Max-Age`) or a preformatted date string sent as is. */
  expires?: Date | string | null;
  /** Default `'/'`; `null` leaves the attribute out. */
  path?: string | null;
  domain?: string | null;
  secure?: boolean;
  httpOnly?: boolean;
  /** `'Lax'`, `'Strict'` or `'None'` (checked case-insensitively, sent as given). */
  sameSite?: string | false | null;
}

/**
 * Quote a cookie value for the wire the way Python's `http.cookies._quote` does.
 *
 * @example
 * quoteCookieValue('b');     // 'b'
 * quoteCookieValue('x;y,z'); // '"x\\073y\\054z"'
 * quoteCookieValue('');      // '""'
 */
export function quoteCookieValue(value: string): string {
  if (LEGAL_KEY.test(value)) return value;
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code < 256 && !UNESCAPED.test(ch)) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += ch; // code points >= 256 go out raw, as in Python
  }
  return `${out}"`;
}

/**
 * One cookie: its name, value and attributes. `HttpResponse#cookies` maps each cookie name to
 * its Morsel; the Koa host sends `outputString()` of each as one `Set-Cookie` header.
 *
 * @example
 * const m = new Morsel('theme', 'dark');
 * m.set('path', '/');
 * m.set('max-age', 3600);
 * m.outputString(); // 'theme=dark; Max-Age=3600; Path=/'
 */
export class Morsel {
  readonly #key: string;
  #value = '';
  #codedValue = '""';
  readonly #attributes = new Map<string, MorselValue>();

  /**
   * @param key the cookie name: RFC 6265 token characters only, and not an attribute name.
   * @throws TypeError `Illegal key 'bad key'` / `Attempt to set a reserved key 'path'`.
   */
  constructor(key: string, value = '') {
    if (Object.hasOwn(RESERVED, key.toLowerCase())) {
      throw new TypeError(`Attempt to set a reserved key ${pythonRepr(key)}`);
    }
    if (!LEGAL_KEY.test(key)) {
      throw new TypeError(
        `Illegal key ${pythonRepr(key)}: cookie names may only hold letters, digits and !#$%&'*+-.^_\`|~:`,
      );
    }
    this.#key = key;
    this.setValue(value);
  }

  /** The cookie name. */
  get key(): string {
    return this.#key;
  }

  /** The value as given. */
  get value(): string {
    return this.#value;
  }

  /** The value as sent (quoted when needed). */
  get codedValue(): string {
    return this.#codedValue;
  }

  /**
   * Replace the value (attributes are kept).
   *
   * @example
   * morsel.setValue('b c'); morsel.codedValue; // '"b c"'
   * @throws BadHeaderError for characters above U+00FF (control characters are octal-escaped).
   */
  setValue(value: string): void {
    const coded = quoteCookieValue(value);
    // Python sends them raw; Node refuses them in a header (ERR_INVALID_CHAR) after the pipeline.
    if (coded !== value && WIDE.test(coded)) {
      throw new BadHeaderError(
        `Cookie values can't contain characters above U+00FF (got ${pythonRepr(value)}): encode the value first, e.g. with encodeURIComponent().`,
      );
    }
    this.#value = value;
    this.#codedValue = coded;
  }

  /**
   * An attribute's value, `''` when unset (Python's `morsel['max-age']`).
   *
   * @example
   * morsel.get('Max-Age'); // 10
   */
  get(attribute: MorselAttribute | (string & {})): MorselValue {
    return this.#attributes.get(normalizeAttribute(attribute)) ?? '';
  }

  /**
   * Set an attribute (case-insensitive name); `''` unsets it.
   *
   * @example
   * morsel.set('samesite', 'Lax');
   * @throws TypeError `Invalid attribute 'colour'` for names that are not cookie attributes;
   *   BadHeaderError for a value with CR/LF, control characters or characters above U+00FF.
   */
  set(attribute: MorselAttribute | (string & {}), value: MorselValue): this {
    const name = normalizeAttribute(attribute);
    // Attributes go out as they are (Python's Morsel does the same): no CR/LF or control characters.
    if (typeof value === 'string') checkHeaderText('Cookie attributes', value);
    if (value === '') this.#attributes.delete(name);
    else this.#attributes.set(name, value);
    return this;
  }

  /**
   * Apply `setCookie` options with Django's rules (`HttpResponse.set_cookie`): a `Date` `expires`
   * becomes `Max-Age` (whole seconds, +1 s so the date matches) and the `expires` that goes with
   * it; `maxAge` writes `Max-Age` and, unless a string `expires` is given, `expires`; no
   * `expires` clears it. Other attributes are only ever added, never removed (`secure: false`
   * keeps an earlier `Secure`), as in Django.
   *
   * @example
   * new Morsel('a', 'b').applyOptions({ maxAge: 10 }).outputString();
   * // 'a=b; expires=<now + 10 s>; Max-Age=10; Path=/'
   * @throws TypeError for a `Date` `expires` with `maxAge`; RangeError for a bad `sameSite`.
   */
  applyOptions(options: CookieOptions): this {
    const { path = '/', domain, secure, httpOnly, sameSite } = options;
    let { maxAge, expires } = options;
    if (expires instanceof Date) {
      if (maxAge !== undefined && maxAge !== null) {
        throw new TypeError("'expires' and 'maxAge' can't be used together.");
      }
      // Django adds one second: a fraction is lost between the delta and the date string.
      maxAge = Math.max(0, Math.floor((expires.getTime() - Date.now() + 1000) / 1000));
      expires = null;
    } else {
      this.set('expires', expires ?? '');
    }
    if (maxAge !== undefined && maxAge !== null) {
      this.set('max-age', Math.trunc(maxAge));
      if (!expires) this.set('expires', httpDate(Date.now() / 1000 + maxAge));
    }
    if (path !== null) this.set('path', path);
    if (domain !== undefined && domain !== null) this.set('domain', domain);
    if (secure) this.set('secure', true);
    if (httpOnly) this.set('httponly', true);
    if (sameSite) {
      if (!['lax', 'none', 'strict'].includes(sameSite.toLowerCase())) {
        throw new RangeError('samesite must be "lax", "none", or "strict".');
      }
      this.set('samesite', sameSite);
    }
    return this;
  }

  /**
   * The attributes that are set, in wire order.
   *
   * @example
   * [...morsel.attributes()]; // [['max-age', 0], ['path', '/']]
   */
  *attributes(): IterableIterator<[string, MorselValue]> {
    for (const name of ATTRIBUTE_ORDER) {
      const value = this.#attributes.get(name);
      if (value !== undefined) yield [name, value];
    }
  }

  /**
   * The `Set-Cookie` header value: `key=value` then the set attributes, alphabetically
   * (Python's `Morsel.OutputString()`).
   *
   * @example
   * new Morsel('a', 'b').set('path', '/').outputString(); // 'a=b; Path=/'
   */
  outputString(): string {
    const parts = [`${this.#key}=${this.#codedValue}`];
    for (const [name, value] of this.attributes()) {
      const wire = RESERVED[name] as string;
      if (FLAGS.has(name)) {
        if (value) parts.push(wire);
      } else if (name === 'expires' && typeof value === 'number') {
        // A number of seconds from now, as Python's Morsel allows.
        parts.push(`${wire}=${httpDate(Date.now() / 1000 + value)}`);
      } else if (name === 'comment' && typeof value === 'string') {
        parts.push(`${wire}=${quoteCookieValue(value)}`);
      } else {
        parts.push(`${wire}=${value}`);
      }
    }
    return parts.join('; ');
  }

  /**
   * The whole header line, as Python's `str(morsel)`.
   *
   * @example
   * String(new Morsel('a', 'b')); // 'Set-Cookie: a=b'
   */
  toString(): string {
    return `Set-Cookie: ${this.outputString()}`;
  }
}

function normalizeAttribute(attribute: string): string {
  const name = attribute.toLowerCase();
  if (!Object.hasOwn(RESERVED, name)) throw new TypeError(`Invalid attribute ${pythonRepr(name)}`);
  return name;
}
