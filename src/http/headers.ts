/**
 * Request headers: `HttpHeaders` (Django's case-insensitive `request.headers` view over META),
 * `toWsgiName()` (header name → META key) and `parseHeaderParameters()` (Django's parser for
 * `Content-Type`-like values: `multipart/form-data; boundary="x"` → type and parameters).
 *
 * @module
 */

/** The two META keys that are headers but carry no `HTTP_` prefix (PEP 3333). */
const UNPREFIXED = new Set(['CONTENT_TYPE', 'CONTENT_LENGTH']);

/**
 * The META key of a header name (Django's `HttpHeaders.to_wsgi_name`).
 *
 * @example
 * toWsgiName('Content-Type'); // 'CONTENT_TYPE'
 * toWsgiName('x-custom');     // 'HTTP_X_CUSTOM'
 */
export function toWsgiName(name: string): string {
  let wsgiName = wsgiNames.get(name);
  if (wsgiName === undefined) {
    const key = name.replaceAll('-', '_').toUpperCase();
    wsgiName = UNPREFIXED.has(key) ? key : `HTTP_${key}`;
    if (wsgiNames.size >= WSGI_NAMES_LIMIT) wsgiNames.clear();
    wsgiNames.set(name, wsgiName);
  }
  return wsgiName;
}

// Header names repeat on every request: each is converted once. The bound keeps names a client
// invents from growing the cache without limit.
const wsgiNames = new Map<string, string>();
const WSGI_NAMES_LIMIT = 512;

/**
 * Python's `str.title()`: upper-case every letter that follows a non-letter, lower-case the rest.
 * Digits are "uncased", so `x-1abc` becomes `X-1Abc`, as in Django.
 */
function titleCase(name: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of name) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    const cased = lower !== upper;
    out += cased ? (prevCased ? lower : upper) : ch;
    prevCased = cased;
  }
  return out;
}

/**
 * Read-only, case-insensitive mapping of the request headers (Django's `HttpHeaders`), built
 * from META's `HTTP_*` keys plus `CONTENT_TYPE` and `CONTENT_LENGTH`. Names display
 * title-cased (`X-Forwarded-For`); lookups ignore case and accept `_` for `-`
 * (`headers.get('user_agent')`). Iterating yields the display names.
 *
 * @example
 * request.headers.get('User-Agent');  // 'Mozilla/5.0 ...'
 * request.headers.get('user_agent');  // same
 * request.headers.has('x-requested-with');
 * [...request.headers.keys()];        // ['Content-Type', 'Host', 'X-Forwarded-For', ...]
 */
export class HttpHeaders implements Iterable<string> {
  /** Same as the module's `toWsgiName` (Django's class method). */
  static readonly toWsgiName = toWsgiName;

  readonly #meta: Readonly<Record<string, string | undefined>>;
  #store: Map<string, readonly [name: string, value: string]> | undefined;

  constructor(meta: Readonly<Record<string, string | undefined>>) {
    this.#meta = meta;
  }

  /** Display name → entry, built on first iteration; `get`/`has` read META directly. */
  #entries(): Map<string, readonly [name: string, value: string]> {
    if (!this.#store) {
      this.#store = new Map();
      for (const [key, value] of Object.entries(this.#meta)) {
        if (value === undefined) continue;
        const name = HttpHeaders.parseHeaderName(key);
        if (name !== null) this.#store.set(name.toLowerCase(), [name, value]);
      }
    }
    return this.#store;
  }

  /**
   * The display name of a META key, or `null` when the key is not a header
   * (Django's `parse_header_name`).
   *
   * @example
   * HttpHeaders.parseHeaderName('HTTP_X_FORWARDED_FOR'); // 'X-Forwarded-For'
   * HttpHeaders.parseHeaderName('REMOTE_ADDR');          // null
   */
  static parseHeaderName(metaKey: string): string | null {
    let header: string;
    if (metaKey.startsWith('HTTP_')) header = metaKey.slice(5);
    else if (UNPREFIXED.has(metaKey)) header = metaKey;
    else return null;
    return titleCase(header.replaceAll('_', '-'));
  }

  /** Number of headers. */
  get size(): number {
    return this.#entries().size;
  }

  /**
   * The header's value, or `defaultValue` when absent.
   *
   * @example
   * request.headers.get('Accept', '*\/*');
   */
  get(name: string): string | undefined;
  get<D>(name: string, defaultValue: D): string | D;
  get<D>(name: string, defaultValue?: D): string | D | undefined {
    return this.#meta[toWsgiName(name)] ?? defaultValue;
  }

  /** Whether the header is present. */
  has(name: string): boolean {
    return this.#meta[toWsgiName(name)] !== undefined;
  }

  /** Display names (`Content-Type`, `X-Forwarded-For`...). */
  keys(): string[] {
    return [...this.#entries().values()].map(([name]) => name);
  }

  /** The values, in the order of `keys()`. */
  values(): string[] {
    return [...this.#entries().values()].map(([, value]) => value);
  }

  /** `[display name, value]` pairs. */
  entries(): [string, string][] {
    return [...this.#entries().values()].map(([name, value]) => [name, value]);
  }

  /** Display name → value, for `JSON.stringify` and logs. */
  toJSON(): Record<string, string> {
    return Object.fromEntries(this.entries());
  }

  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }
}

/**
 * One media range of an Accept header (Django 5.2's `MediaType`), used by `request.accepts()`.
 *
 * @example
 * new MediaType('text/*; q=0.5').match(new MediaType('text/html')); // true
 * new MediaType('text/*; q=0.5').quality;                          // 0.5
 */
export class MediaType {
  readonly mainType: string;
  readonly subType: string;
  readonly params: Record<string, string>;

  constructor(raw: string) {
    const [fullType, params] = parseHeaderParameters(raw);
    const slash = fullType.indexOf('/');
    this.mainType = slash === -1 ? fullType : fullType.slice(0, slash);
    this.subType = slash === -1 ? '' : fullType.slice(slash + 1);
    this.params = params;
  }

  /** The `q` parameter (1 when absent, invalid or out of range), rounded to 3 decimals. */
  get quality(): number {
    const q = this.params.q;
    if (q === undefined || q.trim() === '') return 1;
    const value = Number(q);
    // Invalid or out-of-range qualities count as 1, as in Django.
    return Number.isNaN(value) || value < 0 || value > 1 ? 1 : Math.round(value * 1000) / 1000;
  }

  /** The parameters other than `q`. */
  get rangeParams(): Record<string, string> {
    const { q: _q, ...rest } = this.params;
    return rest;
  }

  /** Whether this range accepts `other` (wildcards match; parameters must agree). */
  match(other: MediaType): boolean {
    const types = [this.mainType, other.mainType, this.subType, other.subType];
    if (!types.every(Boolean)) return false;
    for (const [mine, theirs] of [
      [this.mainType, other.mainType],
      [this.subType, other.subType],
    ]) {
      if (mine !== theirs && mine !== '*' && theirs !== '*') return false;
    }
    const mine = Object.entries(this.rangeParams);
    const theirs = other.rangeParams;
    if (mine.length > 0 === Object.keys(theirs).length > 0) {
      return mine.length === Object.keys(theirs).length && mine.every(([k, v]) => theirs[k] === v);
    }
    // Parameters on the accepted range but not on the candidate still match.
    return mine.length > 0;
  }
}

/** Django refuses to parse longer values (`MAX_HEADER_LENGTH`, a CPU-exhaustion guard). */
const MAX_HEADER_LENGTH = 10_000;

/**
 * Split a `Content-Type`-like header into its lower-cased main value and its parameters
 * (Django's `parse_header_parameters`): parameter names are lower-cased, quoted values
 * unquoted (`\\` and `\"`), RFC 2231 values (`filename*=UTF-8''caf%C3%A9`) decoded. A value
 * longer than 10,000 characters is not parsed (`['', {}]`).
 *
 * @example
 * parseHeaderParameters('multipart/form-data; boundary="abc"');
 * // ['multipart/form-data', { boundary: 'abc' }]
 */
export function parseHeaderParameters(line: string): [string, Record<string, string>] {
  if (!line || line.length > MAX_HEADER_LENGTH) return ['', {}];
  const parts = splitParams(line);
  const key = (parts.shift() ?? '').toLowerCase();
  const params: Record<string, string> = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    let name = part.slice(0, eq).trim().toLowerCase();
    let hasEncoding = false;
    if (name.endsWith('*')) {
      name = name.slice(0, -1);
      hasEncoding = part.split("'").length === 3;
    }
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') {
      value = value.slice(1, -1).replaceAll('\\\\', '\\').replaceAll('\\"', '"');
    }
    if (hasEncoding) {
      const [charset = '', , encoded = ''] = value.split("'");
      value = rfc2231Decode(encoded, charset);
    }
    // Assigned with defineProperty so a parameter called "__proto__" stays a plain key.
    Object.defineProperty(params, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return [key, params];
}

/** Python's `_parseparam`: split on `;` outside double-quoted strings, strip each part. */
function splitParams(line: string): string[] {
  const parts: string[] = [];
  let s = `;${line}`;
  while (s.startsWith(';')) {
    s = s.slice(1);
    let end = s.indexOf(';');
    while (end > 0 && (countOf(s, '"', end) - countOf(s, '\\"', end)) % 2 === 1) {
      end = s.indexOf(';', end + 1);
    }
    if (end < 0) end = s.length;
    parts.push(s.slice(0, end).trim());
    s = s.slice(end);
  }
  return parts;
}

function countOf(s: string, needle: string, end: number): number {
  let n = 0;
  for (
    let i = s.indexOf(needle);
    i !== -1 && i + needle.length <= end;
    i = s.indexOf(needle, i + needle.length)
  )
    n++;
  return n;
}

/** Percent-decode an RFC 2231 value in its declared charset (UTF-8 when unknown). */
function rfc2231Decode(encoded: string, charset: string): string {
  if (!encoded.includes('%')) return encoded;
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const hex = encoded.slice(i + 1, i + 3);
    if (encoded[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(encoded[i] as string, 'utf8')) bytes.push(b);
    }
  }
  const buf = Buffer.from(bytes);
  const label = charset.trim().toLowerCase();
  if (['latin-1', 'latin1', 'iso-8859-1', 'iso8859-1'].includes(label)) return buf.toString('latin1');
  try {
    return new TextDecoder(label || 'utf-8').decode(buf);
  } catch {
    return buf.toString('utf8');
  }
}
