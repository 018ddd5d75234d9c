/**
 * `MultiValueDict` and `QueryDict`: Django's multi-valued mappings behind `request.GET`,
 * `request.POST` and `request.FILES` (django/utils/datastructures.py, django/http/request.py).
 *
 * A key maps to a list of values; `get()` answers the LAST one, `getlist()` the whole list.
 * `QueryDict` parses an `application/x-www-form-urlencoded` string with Python's `parse_qsl`
 * rules (blank values kept, only `&` separates, `+` is a space, bad `%zz` left as is, invalid
 * UTF-8 replaced by U+FFFD) and is immutable unless built with `{ mutable: true }` or `copy()`.
 *
 * Also home of the small charset helpers the request objects share (`normalizeEncoding`,
 * `decodeBytes`), which follow Python's codec names where they differ from the WHATWG labels.
 *
 * @module
 */
import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { TooManyFieldsSent } from '../exceptions.ts';
import { quote, quotePlus } from '../utils/encoding.ts';
import { encodeText } from '../utils/http.ts';

/** What `MultiValueDict#update()` and the constructor accept. */
export type MultiValueInput<V> =
  | MultiValueDict<V>
  | Iterable<readonly [string, V]>
  | Readonly<Record<string, V>>;

// Appends without going through (overridable) setlistdefault; set in MultiValueDict's static block.
let appendDirect: <V>(dict: MultiValueDict<V>, key: string, value: V) => void;

/**
 * A mapping of keys to lists of values (Django's `MultiValueDict`). Listing methods (`keys`,
 * `values`, `items`, `lists`) return arrays; iterating the dict yields its keys.
 *
 * @example
 * const d = new MultiValueDict({ name: ['Adrian', 'Simon'], position: ['Developer'] });
 * d.get('name');      // 'Simon'
 * d.getlist('name');  // ['Adrian', 'Simon']
 * d.get('lastname', 'nonexistent'); // 'nonexistent'
 */
export class MultiValueDict<V = string> implements Iterable<string> {
  readonly #data = new Map<string, V[]>();

  static {
    appendDirect = (dict, key, value) => {
      const list = dict.#data.get(key);
      if (list === undefined) dict.#data.set(key, [value]);
      else list.push(value);
    };
  }

  /** Build from key → list pairs (an object of arrays, or `[key, list]` entries). */
  constructor(lists?: Readonly<Record<string, readonly V[]>> | Iterable<readonly [string, readonly V[]]>) {
    if (!lists) return;
    const entries = Symbol.iterator in lists ? lists : Object.entries(lists);
    for (const [key, list] of entries as Iterable<readonly [string, readonly V[]]>) {
      this.#data.set(key, [...list]);
    }
  }

  /** Number of keys. */
  get size(): number {
    return this.#data.size;
  }

  /**
   * The last value for `key`; `defaultValue` when the key is missing or its list is empty.
   *
   * @example
   * new QueryDict('a=1&a=2').get('a'); // '2'
   */
  get(key: string): V | undefined;
  get<D>(key: string, defaultValue: D): V | D;
  get<D>(key: string, defaultValue?: D): V | D | undefined {
    const list = this.#data.get(key);
    if (list === undefined || list.length === 0) return defaultValue;
    return list[list.length - 1] as V;
  }

  /**
   * A copy of the list for `key`; `defaultValue` (else `[]`) when the key is missing.
   *
   * @example
   * new QueryDict('a=1&a=2').getlist('a'); // ['1', '2']
   */
  getlist(key: string): V[];
  getlist<D>(key: string, defaultValue: D): V[] | D;
  getlist<D>(key: string, defaultValue?: D): V[] | D {
    const list = this.#data.get(key);
    if (list === undefined) return defaultValue === undefined ? [] : defaultValue;
    return [...list];
  }

  /** Whether `key` is present (even with an empty list). */
  has(key: string): boolean {
    return this.#data.has(key);
  }

  /**
   * Replace the list for `key` with `[value]` (Django's `d[key] = value`).
   *
   * @example
   * d.set('a', '3'); d.getlist('a'); // ['3']
   */
  set(key: string, value: V): void {
    this.#data.set(key, [value]);
  }

  /** Replace the list for `key`. */
  setlist(key: string, list: Iterable<V>): void {
    this.#data.set(key, [...list]);
  }

  /**
   * The stored list for `key`, first setting it to `defaultList` when missing. The returned
   * array is the live list (pushing to it changes the dict), as in Django.
   */
  setlistdefault(key: string, defaultList: Iterable<V> = []): V[] {
    let list = this.#data.get(key);
    if (list === undefined) {
      list = Array.isArray(defaultList) ? defaultList.slice() : [...defaultList];
      this.#data.set(key, list);
    }
    return list;
  }

  /**
   * Append `value` to the list for `key`.
   *
   * @example
   * d.appendlist('a', '4'); // a: ['1', '2', '4']
   */
  appendlist(key: string, value: V): void {
    this.setlistdefault(key).push(value);
  }

  /** Set `key` to `[defaultValue]` unless present; then return its last value. */
  setdefault(key: string, defaultValue: V): V | undefined {
    if (!this.#data.has(key)) this.#data.set(key, [defaultValue]);
    return this.get(key);
  }

  /** Remove `key`; answers whether it was present. */
  delete(key: string): boolean {
    return this.#data.delete(key);
  }

  /**
   * Remove `key` and return its whole list (Django's `pop` returns the list); `defaultValue`
   * (else `undefined`) when missing.
   */
  pop(key: string): V[] | undefined;
  pop<D>(key: string, defaultValue: D): V[] | D;
  pop<D>(key: string, defaultValue?: D): V[] | D | undefined {
    const list = this.#data.get(key);
    if (list === undefined) return defaultValue;
    this.#data.delete(key);
    return list;
  }

  /** Remove and return the most recently inserted `[key, list]`; `undefined` when empty. */
  popitem(): [string, V[]] | undefined {
    const last = [...this.#data.keys()].pop();
    if (last === undefined) return undefined;
    const list = this.#data.get(last) as V[];
    this.#data.delete(last);
    return [last, list];
  }

  /** Remove every key. */
  clear(): void {
    this.#data.clear();
  }

  /**
   * EXTEND the lists with `other`: a MultiValueDict (each list appended), a plain object (each
   * value appended once) or `[key, value]` pairs.
   *
   * @example
   * d.update({ a: '5' });          // a: [..., '5']
   * d.update([['b', '1'], ['b', '2']]);
   */
  update(other: MultiValueInput<V>): void {
    if (other instanceof MultiValueDict) {
      for (const [key, list] of other.lists()) this.setlistdefault(key).push(...list);
    } else if (Symbol.iterator in other) {
      for (const [key, value] of other as Iterable<readonly [string, V]>) this.appendlist(key, value);
    } else {
      for (const [key, value] of Object.entries(other as Record<string, V>)) this.appendlist(key, value);
    }
  }

  /** The keys, in insertion order. */
  keys(): string[] {
    return [...this.#data.keys()];
  }

  /** The last value of each key (`undefined` for a key whose list is empty). */
  values(): V[] {
    return [...this.#data.values()].map((list) => list[list.length - 1] as V);
  }

  /** `[key, last value]` pairs. */
  items(): [string, V][] {
    return [...this.#data].map(([key, list]) => [key, list[list.length - 1] as V]);
  }

  /** `[key, list]` pairs (copies of the lists). */
  lists(): [string, V[]][] {
    return [...this.#data].map(([key, list]) => [key, [...list]]);
  }

  /**
   * A plain object of key → last value.
   *
   * @example
   * new QueryDict('a=1&a=2&b=3').dict(); // { a: '2', b: '3' }
   */
  dict(): Record<string, V> {
    return Object.fromEntries(this.items());
  }

  /** Key → full list, for `JSON.stringify` and logs. */
  toJSON(): Record<string, V[]> {
    return Object.fromEntries(this.#data);
  }

  /** A copy with fresh lists (the values themselves are shared). */
  copy(): MultiValueDict<V> {
    return new MultiValueDict<V>(this.lists());
  }

  [Symbol.iterator](): Iterator<string> {
    return this.#data.keys();
  }
}

/** Options of `new QueryDict()`. */
export interface QueryDictOptions {
  /** Allow changes after construction (default false: `request.GET`/`POST` are read-only). */
  mutable?: boolean;
  /** Charset of the percent-escaped bytes (default `'utf-8'`). */
  encoding?: string;
  /**
   * Most fields allowed, counted as `1 + number of '&'` like Django (`null`/absent: no limit);
   * more raise TooManyFieldsSent. HttpRequest passes `DATA_UPLOAD_MAX_NUMBER_FIELDS`.
   */
  maxNumFields?: number | null;
}

const IMMUTABLE = 'This QueryDict instance is immutable. Use request.GET.copy() to get a mutable copy.';

/**
 * A `MultiValueDict` parsed from a query string or urlencoded body (Django's `QueryDict`).
 *
 * @example
 * const q = new QueryDict('a=1&a=2&c=3');
 * q.get('a');          // '2'
 * q.getlist('a');      // ['1', '2']
 * q.set('a', '4');     // TypeError: This QueryDict instance is immutable...
 * const m = q.copy();  // mutable
 * m.set('next', '/a&b/');
 * m.urlencode();       // 'a=1&a=2&c=3&next=%2Fa%26b%2F'
 */
export class QueryDict extends MultiValueDict<string> {
  #mutable = true;
  #encoding: string;

  constructor(queryString?: string | Buffer | null, options: QueryDictOptions = {}) {
    super();
    this.#encoding = options.encoding ?? 'utf-8';
    if (queryString && queryString.length > 0) {
      const text =
        typeof queryString === 'string' ? queryString : decodeQueryBytes(queryString, this.#encoding);
      const pairs = parseQsl(text, this.#encoding, options.maxNumFields ?? null);
      // Straight into the map, unless a subclass changed how lists grow.
      const direct = this.setlistdefault === QueryDict.prototype.setlistdefault;
      for (const [key, value] of pairs) {
        if (direct) appendDirect(this, key, value);
        else super.appendlist(key, value);
      }
    }
    this.#mutable = options.mutable ?? false;
  }

  /**
   * A QueryDict with each key set to `value` (Django's `QueryDict.fromkeys`).
   *
   * @example
   * QueryDict.fromkeys(['a', 'a', 'b'], 'val').urlencode(); // 'a=val&a=val&b=val'
   */
  static fromkeys(
    keys: Iterable<string>,
    value = '',
    options: Pick<QueryDictOptions, 'mutable' | 'encoding'> = {},
  ): QueryDict {
    const q = new QueryDict(null, { mutable: true, encoding: options.encoding });
    for (const key of keys) q.appendlist(key, value);
    q.#mutable = options.mutable ?? false;
    return q;
  }

  /**
   * A QueryDict holding `pairs` in order (values appended under their keys).
   *
   * @example
   * QueryDict.fromPairs([['a', '1'], ['a', '2']]).getlist('a'); // ['1', '2']
   */
  static fromPairs(
    pairs: Iterable<readonly [string, string]>,
    options: Pick<QueryDictOptions, 'mutable' | 'encoding'> = {},
  ): QueryDict {
    const q = new QueryDict(null, { mutable: true, encoding: options.encoding });
    for (const [key, value] of pairs) q.appendlist(key, value);
    q.#mutable = options.mutable ?? false;
    return q;
  }

  /** Charset used to decode the data and to encode `urlencode()` output. */
  get encoding(): string {
    return this.#encoding;
  }

  set encoding(value: string) {
    this.#encoding = value;
  }

  /** Whether the mutators work (false for `request.GET` and `request.POST`). */
  get mutable(): boolean {
    return this.#mutable;
  }

  /**
   * A MUTABLE deep copy keeping the encoding (Django's `copy()`).
   *
   * @example
   * const q = request.GET.copy(); q.set('page', '2');
   */
  override copy(): QueryDict {
    const q = new QueryDict(null, { mutable: true, encoding: this.#encoding });
    for (const [key, list] of this.lists()) q.setlist(key, list);
    return q;
  }

  /**
   * Encode back to a query string: every value of every key, in order. Without `safe`, Python's
   * `urlencode` quoting (space → `+`, `/` → `%2F`); with `safe`, `quote(…, safe)` (space → `%20`).
   *
   * @example
   * const q = new QueryDict('', { mutable: true });
   * q.set('next', '/a&b/');
   * q.urlencode();    // 'next=%2Fa%26b%2F'
   * q.urlencode('/'); // 'next=/a%26b/'
   */
  urlencode(safe?: string): string {
    const encode = safe
      ? (s: string) => quoteEncoded(s, this.#encoding, safe, false)
      : (s: string) => quoteEncoded(s, this.#encoding, '', true);
    const out: string[] = [];
    for (const [key, list] of this.lists()) {
      for (const value of list) out.push(`${encode(key)}=${encode(String(value))}`);
    }
    return out.join('&');
  }

  #assertMutable(): void {
    if (!this.#mutable) throw new TypeError(IMMUTABLE);
  }

  override set(key: string, value: string): void {
    this.#assertMutable();
    super.set(key, value);
  }

  override setlist(key: string, list: Iterable<string>): void {
    this.#assertMutable();
    super.setlist(key, list);
  }

  override setlistdefault(key: string, defaultList: Iterable<string> = []): string[] {
    this.#assertMutable();
    return super.setlistdefault(key, defaultList);
  }

  override appendlist(key: string, value: string): void {
    this.#assertMutable();
    super.appendlist(key, value);
  }

  override setdefault(key: string, defaultValue: string): string | undefined {
    this.#assertMutable();
    return super.setdefault(key, defaultValue);
  }

  override delete(key: string): boolean {
    this.#assertMutable();
    return super.delete(key);
  }

  override pop(key: string): string[] | undefined;
  override pop<D>(key: string, defaultValue: D): string[] | D;
  override pop<D>(key: string, defaultValue?: D): string[] | D | undefined {
    this.#assertMutable();
    return super.pop(key, defaultValue as D);
  }

  override popitem(): [string, string[]] | undefined {
    this.#assertMutable();
    return super.popitem();
  }

  override clear(): void {
    this.#assertMutable();
    super.clear();
  }

  override update(other: MultiValueInput<string>): void {
    this.#assertMutable();
    super.update(other);
  }
}

/**
 * Python's `parse_qsl(qs, keep_blank_values=True, max_num_fields=…)`.
 * Only `&` separates (Python ≥ 3.10, bpo-42967), empty chunks are skipped.
 */
function parseQsl(qs: string, encoding: string, maxNumFields: number | null): [string, string][] {
  if (maxNumFields !== null) {
    let fields = qs ? 1 : 0;
    for (let i = qs.indexOf('&'); i !== -1; i = qs.indexOf('&', i + 1)) fields++;
    if (fields > maxNumFields) throw tooManyFieldsSent(maxNumFields);
  }
  const pairs: [string, string][] = [];
  const utf8 = normalizeEncoding(encoding) === 'utf-8';
  let start = 0;
  while (start <= qs.length) {
    let end = qs.indexOf('&', start);
    if (end === -1) end = qs.length;
    if (end > start) {
      const eq = qs.indexOf('=', start);
      const name = eq === -1 || eq > end ? qs.slice(start, end) : qs.slice(start, eq);
      const value = eq === -1 || eq > end ? '' : qs.slice(eq + 1, end);
      pairs.push([unquotePlus(name, encoding, utf8), unquotePlus(value, encoding, utf8)]);
    }
    start = end + 1;
  }
  return pairs;
}

/**
 * The TooManyFieldsSent error for a limit of `max` fields (shared with the multipart parser).
 *
 * @example
 * throw tooManyFieldsSent(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS);
 */
export function tooManyFieldsSent(max: number): TooManyFieldsSent {
  return new TooManyFieldsSent(
    `The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS (${max}). ` +
      'Send fewer fields, or raise the setting if such requests are expected.',
  );
}

/** Python's `unquote(s.replace('+', ' '), encoding, errors='replace')`. */
function unquotePlus(s: string, encoding: string, utf8: boolean): string {
  const spaced = s.includes('+') ? s.replaceAll('+', ' ') : s;
  if (!spaced.includes('%')) return spaced;
  if (utf8) {
    // When every escape is well formed and the bytes are valid UTF-8, decodeURIComponent gives
    // exactly Python's answer, much faster; otherwise it throws and the general path decides.
    try {
      return decodeURIComponent(spaced);
    } catch {
      // Bad `%zz` or invalid UTF-8: below.
    }
  }
  // Python unquotes each ASCII run to bytes and decodes it; other characters pass through.
  return spaced.replace(/\p{ASCII}+/gu, (run) =>
    run.includes('%') ? decodeBytes(unquoteToBytes(run), encoding) : run,
  );
}

const HEX2 = /^[0-9A-Fa-f]{2}$/;

function unquoteToBytes(run: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < run.length; i++) {
    const code = run.charCodeAt(i);
    if (code === 0x25 && HEX2.test(run.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(run.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(code);
    }
  }
  return Buffer.from(bytes);
}

/** A bytes query string that is not valid in `encoding` is read as latin-1 (Django's rule). */
function decodeQueryBytes(bytes: Buffer, encoding: string): string {
  // Plain ASCII reads the same in every ASCII-compatible charset (the usual urlencoded body).
  if (isAscii(bytes) && ASCII_COMPATIBLE.has(normalizeEncoding(encoding) ?? 'utf-8'))
    return bytes.toString('latin1');
  try {
    return decodeBytes(bytes, encoding, { fatal: true });
  } catch {
    return bytes.toString('latin1');
  }
}

function quoteEncoded(s: string, encoding: string, safe: string, plus: boolean): string {
  const enc = normalizeEncoding(encoding);
  if (enc !== 'latin-1' && enc !== 'ascii' && enc !== 'utf-16le')
    return plus ? quotePlus(s, safe) : quote(s, safe);
  // Non-UTF-8 dicts quote the bytes of their own charset, as Python does.
  let out = '';
  for (const byte of encodeText(s, enc)) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.\-~]/.test(ch) || (byte < 0x80 && safe.includes(ch))) out += ch;
    else if (plus && byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const LATIN1_NAMES = new Set([
  'latin-1',
  'latin1',
  'latin',
  'l1',
  'iso-8859-1',
  'iso8859-1',
  '8859',
  'cp819',
]);
const UTF8_NAMES = new Set(['utf-8', 'utf8', 'u8', 'utf', 'cp65001']);
const ASCII_NAMES = new Set(['ascii', 'us-ascii', '646']);

/**
 * Canonical name of a charset label, or `null` when unknown (Python's `codecs.lookup` test,
 * which Django uses before honouring a `charset=` parameter). `latin-1` is true ISO-8859-1
 * (as in Python), not the WHATWG windows-1252 alias.
 *
 * @example
 * normalizeEncoding('UTF8');    // 'utf-8'
 * normalizeEncoding('latin_1'); // 'latin-1'
 * normalizeEncoding('nope');    // null
 */
export function normalizeEncoding(label: string): string | null {
  let known = normalizedEncodings.get(label);
  if (known === undefined) {
    known = lookupEncoding(label);
    // Labels can come from a request's Content-Type: keep the cache bounded.
    if (normalizedEncodings.size >= 64) normalizedEncodings.clear();
    normalizedEncodings.set(label, known);
  }
  return known;
}

const normalizedEncodings = new Map<string, string | null>();
// Charsets in which bytes below 0x80 mean ASCII (not utf-16).
const ASCII_COMPATIBLE = new Set(['utf-8', 'latin-1', 'ascii', 'windows-1252', 'iso-8859-2', 'iso-8859-15']);

function lookupEncoding(label: string): string | null {
  const name = label.trim().toLowerCase().replaceAll('_', '-');
  if (UTF8_NAMES.has(name)) return 'utf-8';
  if (LATIN1_NAMES.has(name)) return 'latin-1';
  if (ASCII_NAMES.has(name)) return 'ascii';
  try {
    return new TextDecoder(name).encoding;
  } catch {
    return null;
  }
}

/**
 * Decode bytes in `encoding` (Python's `bytes.decode(encoding, errors='replace')`; with
 * `fatal`, invalid input throws instead). Unknown encodings decode as UTF-8.
 *
 * @example
 * decodeBytes(Buffer.from([0x63, 0xe9]), 'latin-1'); // 'cé'
 * decodeBytes(Buffer.from([0xe9]), 'utf-8');          // '\ufffd'
 */
export function decodeBytes(bytes: Buffer, encoding: string, options: { fatal?: boolean } = {}): string {
  const enc = normalizeEncoding(encoding) ?? 'utf-8';
  const fatal = options.fatal ?? false;
  if (enc === 'latin-1') return bytes.toString('latin1');
  if (enc === 'ascii') {
    if (bytes.every((b) => b < 0x80)) return bytes.toString('latin1');
    if (fatal) throw new TypeError(`Bytes are not valid ascii.`);
    return Array.from(bytes, (b) => (b < 0x80 ? String.fromCharCode(b) : '\ufffd')).join('');
  }
  const cacheKey = `${enc}:${fatal}`;
  let decoder = DECODERS.get(cacheKey);
  if (decoder === undefined) {
    // ignoreBOM keeps a leading U+FEFF, as Python's codecs do.
    decoder = new TextDecoder(enc, { fatal, ignoreBOM: true });
    DECODERS.set(cacheKey, decoder);
  }
  return decoder.decode(bytes);
}

const DECODERS = new Map<string, TextDecoder>();
