/**
 * `ResponseHeaders`: the case-insensitive header map of `HttpResponseBase`, with Django's value
 * rules (latin-1 or MIME-encoded, no CR/LF; names must be HTTP tokens).
 *
 * @module
 */
import { BadHeaderError } from '../exceptions.ts';
import { mimeEncodeHeader, pythonRepr } from '../utils/http.ts';

/** A header value before conversion: strings are kept, bytes read as latin-1, others `String()`-ed. */
export type HeaderValue = string | number | bigint | boolean | Uint8Array;

/** Headers to start from: another `ResponseHeaders`, an object, or `[name, value]` pairs. */
export type ResponseHeadersInit =
  | ResponseHeaders
  | Readonly<Record<string, HeaderValue>>
  | Iterable<readonly [string, HeaderValue]>;

// RFC 9110 §5.6.2 token: Node refuses anything else when the header is written, so refuse it here,
// where the stack trace still points at the code that set it.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Outside latin-1 (Django MIME-encodes such values).
const NON_LATIN1 = /[\u0100-\uffff]/;
// Printable latin-1 and tab: a value that needs neither a newline check nor MIME encoding.
const PLAIN_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

// Names that passed `headerName()`, with their lower-case map key. Header names come from code
// and repeat on every response, so each is validated and lower-cased once; the bound keeps
// names built from input from growing it without limit.
const checkedNames = new Map<string, string>();
const CHECKED_NAMES_LIMIT = 512;

function lowerName(name: string): string {
  return checkedNames.get(name) ?? name.toLowerCase();
}

let storeOf: (headers: ResponseHeaders) => ReadonlyMap<string, readonly [string, string]>;

/**
 * The stored `[name, value]` entries of `headers`, without copying them (for the Koa host, which
 * writes them straight to Node). Treat them as read-only.
 *
 * @example
 * for (const [name, value] of headerEntries(response.headers)) flat.push(name, value);
 */
export function headerEntries(headers: ResponseHeaders): Iterable<readonly [string, string]> {
  return storeOf(headers).values();
}

/**
 * Response headers: a case-insensitive map that remembers the spelling last set, with Django's
 * value rules (latin-1 or MIME-encoded, no CR/LF).
 *
 * @example
 * const h = new ResponseHeaders({ 'content-type': 'text/plain' });
 * h.set('Content-Type', 'text/csv');
 * h.get('CONTENT-TYPE'); // 'text/csv'
 * [...h];               // [['Content-Type', 'text/csv']]
 * h.set('X-Name', '†'); // stored as '=?utf-8?b?4oCg?='
 */
export class ResponseHeaders implements Iterable<[string, string]> {
  readonly #store = new Map<string, [string, string]>();

  static {
    storeOf = (headers) => headers.#store;
  }

  constructor(init?: ResponseHeadersInit) {
    if (!init) return;
    const pairs = init instanceof ResponseHeaders || Symbol.iterator in init ? init : Object.entries(init);
    for (const [name, value] of pairs as Iterable<readonly [string, HeaderValue]>) this.set(name, value);
  }

  /** The value of `name` (any case), or `undefined`. */
  get(name: string): string | undefined {
    return this.#store.get(lowerName(name))?.[1];
  }

  /**
   * Set `name` to `value`. Non-latin-1 values are MIME-encoded (`'†'` → `'=?utf-8?b?4oCg?='`).
   *
   * @example
   * headers.set('X-Count', 3); // stored as '3'
   * @throws BadHeaderError if the name or value holds CR/LF, or the name is not an HTTP token.
   */
  set(name: string, value: HeaderValue): this {
    // A name seen before was validated then; a plain latin-1 string value needs no more work.
    let lower = typeof name === 'string' ? checkedNames.get(name) : undefined;
    let key = name;
    if (lower === undefined) {
      key = headerName(name);
      lower = key.toLowerCase();
      if (checkedNames.size >= CHECKED_NAMES_LIMIT) checkedNames.clear();
      checkedNames.set(key, lower);
    }
    this.#store.set(lower, [
      key,
      typeof value === 'string' && PLAIN_VALUE.test(value) ? value : headerValue(value),
    ]);
    return this;
  }

  /** Whether `name` is set (any case). */
  has(name: string): boolean {
    return this.#store.has(lowerName(name));
  }

  /** Remove `name` (a missing one is a no-op); returns whether it was there. */
  delete(name: string): boolean {
    return this.#store.delete(lowerName(name));
  }

  /** Set `name` only if it is missing; returns the value it ends up with. */
  setDefault(name: string, value: HeaderValue): string {
    if (!this.has(name)) this.set(name, value);
    return this.get(name) as string;
  }

  /** Number of headers. */
  get size(): number {
    return this.#store.size;
  }

  /** `[name, value]` pairs in insertion order, names spelled as last set. */
  *items(): IterableIterator<[string, string]> {
    for (const [name, value] of this.#store.values()) yield [name, value];
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.items();
  }
}

function headerName(name: string | Uint8Array): string {
  const key = typeof name === 'string' ? name : Buffer.from(name).toString('latin1');
  refuseNewlines(key);
  if (!TOKEN.test(key)) {
    throw new BadHeaderError(
      `Invalid header name ${pythonRepr(key)}: header names must be ASCII HTTP tokens ` +
        "(letters, digits and !#$%&'*+-.^_`|~).",
    );
  }
  return key;
}

function headerValue(value: HeaderValue): string {
  const text = value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : String(value);
  refuseNewlines(text);
  const encoded = NON_LATIN1.test(text) ? mimeEncodeHeader(text) : text;
  // Node refuses other control characters when it writes the header (ERR_INVALID_CHAR), after
  // the pipeline: refuse them here, where the view that set them gets the 500 (Django relies on
  // the WSGI server for this).
  if (!PLAIN_VALUE.test(encoded)) {
    throw new BadHeaderError(
      `Header values can't contain control characters (got ${pythonRepr(text)}): only tab and printable latin-1 characters can be sent.`,
    );
  }
  return encoded;
}

/**
 * Refuse `text` where Node would refuse it in a header or status line: CR/LF (header
 * injection), other control characters, characters above U+00FF. `what` names the value
 * ("Reason phrases", "Cookie attributes").
 *
 * @example
 * checkHeaderText('Cookie attributes', options.path); // throws BadHeaderError for '/\r\nX: 1'
 */
export function checkHeaderText(what: string, text: string): void {
  if (PLAIN_VALUE.test(text)) return;
  if (text.includes('\n') || text.includes('\r')) {
    throw new BadHeaderError(`${what} can't contain newlines (got ${pythonRepr(text)})`);
  }
  throw new BadHeaderError(
    `${what} can't contain control characters or characters above U+00FF (got ${pythonRepr(text)}): only tab and printable latin-1 characters can be sent.`,
  );
}

function refuseNewlines(text: string): void {
  if (text.includes('\n') || text.includes('\r')) {
    throw new BadHeaderError(`Header values can't contain newlines (got ${pythonRepr(text)})`);
  }
}
