/**
 * The response objects views return: `HttpResponseBase` (status, reason, headers, cookies,
 * closing), `HttpResponse` (a body held in memory) and `StreamingHttpResponse` (a body produced
 * lazily from an iterable or async iterable); `ResponseHeaders` is in `response-headers.ts`. Ports
 * `django/http/response.py`; the specialised subclasses (redirects, 404, JSON...) are in
 * `responses.ts`, `FileResponse` in `file-response.ts`.
 *
 * What the Koa host reads from a finished response (`handlers/koa.ts`): `statusCode`,
 * `reasonPhrase`, `items()` (the headers, with the spelling last set), `cookies` (one
 * `Set-Cookie` per `Morsel#outputString()`), then `content` (a Buffer) or, when `streaming` is
 * true, `streamingContent` (an `AsyncIterable<Buffer>`); it calls `close()` once Node has finished
 * with the response.
 *
 * @module
 */
import { type CookieSigningSettings, signCookieValue } from '../signing.ts';
import { decodeText, encodeText } from '../utils/http.ts';
import { type CookieOptions, Morsel } from './morsel.ts';
import {
  checkHeaderText,
  type HeaderValue,
  ResponseHeaders,
  type ResponseHeadersInit,
} from './response-headers.ts';
import { reasonPhrase } from './status.ts';

export type { CookieOptions } from './morsel.ts';
export { type HeaderValue, ResponseHeaders, type ResponseHeadersInit } from './response-headers.ts';

/** Options every response constructor takes (Django's `HttpResponseBase.__init__` arguments). */
export interface ResponseOptions {
  /** Status code, 100..599 (default 200, or the subclass's). */
  status?: number | string;
  /** Reason phrase; default the standard phrase of the status. */
  reason?: string;
  /** `Content-Type`; default `text/html; charset=<charset>`. Not together with a Content-Type in `headers`. */
  contentType?: string;
  /** Charset strings are encoded with; default the Content-Type's charset, else `utf-8`. */
  charset?: string;
  /** Initial headers. */
  headers?: ResponseHeadersInit;
}

/** `setSignedCookie` options: cookie attributes, the signing salt and where the secret comes from. */
export interface SignedCookieOptions extends CookieOptions {
  /** The settings holding `SECRET_KEY` (usually `request.settings`). */
  settings: CookieSigningSettings;
  /** Extra namespace on top of the cookie name (Django's `salt` argument). */
  salt?: string;
}

/** A chunk of body: strings are encoded with the response charset, numbers `String()`-ed. */
export type Chunk = string | Uint8Array | number | bigint | boolean;

const DEFAULT_CHARSET = 'utf-8';
const DEFAULT_CONTENT_TYPE = `text/html; charset=${DEFAULT_CHARSET}`;
const CHARSET_IN_CONTENT_TYPE = /;\s*charset=([^\s;]+)/i;
// In `u` mode a surrogate range only matches surrogates that are not part of a pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
// The last Content-Type `charset` parsed, and what it gave (see `HttpResponseBase#charset`).
let lastContentType: string | undefined;
let lastCharset = DEFAULT_CHARSET;

/**
 * What every response has: status and reason, headers, cookies, charset and closing. Use
 * `HttpResponse` or `StreamingHttpResponse`; this class only carries the shared parts.
 *
 * @example
 * if (response instanceof HttpResponseBase && !response.has('Cache-Control')) response.set('Cache-Control', 'no-cache');
 */
export abstract class HttpResponseBase {
  /** Whether the body is a stream (`streamingContent`) rather than bytes (`content`). */
  abstract readonly streaming: boolean;
  /** The status code (settable; not re-validated). */
  statusCode = 200;
  /** The headers; also reachable through `get`/`set`/`has`/`delete`/`items` on the response. */
  readonly headers: ResponseHeaders;
  /** The cookies to set, one `Morsel` per name; the host sends each `outputString()` as a `Set-Cookie`. */
  readonly cookies = new Map<string, Morsel>();
  #reason: string | undefined;
  #charset: string | undefined;
  #closers: Array<() => unknown> = [];
  #closed = false;

  constructor(options: ResponseOptions = {}) {
    this.headers = new ResponseHeaders(options.headers);
    this.#charset = options.charset;
    if (!this.headers.has('Content-Type')) {
      this.headers.set(
        'Content-Type',
        options.contentType ??
          (options.charset === undefined ? DEFAULT_CONTENT_TYPE : `text/html; charset=${this.charset}`),
      );
    } else if (options.contentType) {
      throw new TypeError(
        "'headers' must not contain 'Content-Type' when the 'contentType' parameter is provided.",
      );
    }
    if (options.status !== undefined && options.status !== null) {
      const status =
        typeof options.status === 'string' && /^\s*[+-]?\d+\s*$/.test(options.status)
          ? Number(options.status)
          : typeof options.status === 'number' && Number.isFinite(options.status)
            ? Math.trunc(options.status)
            : Number.NaN;
      if (Number.isNaN(status)) throw new TypeError('HTTP status code must be an integer.');
      if (status < 100 || status > 599)
        throw new RangeError('HTTP status code must be an integer from 100 to 599.');
      this.statusCode = status;
    }
    if (options.reason !== undefined) checkHeaderText('Reason phrases', options.reason);
    this.#reason = options.reason;
  }

  /** The body as bytes; streaming responses throw (use `streamingContent`). */
  abstract get content(): Buffer;
  abstract set content(value: Chunk | Iterable<Chunk> | null | undefined);
  /** The body decoded with `charset`; streaming responses throw. */
  abstract get text(): string;
  /** The body as Buffers, lazily; non-streaming responses throw (use `content`). */
  abstract get streamingContent(): AsyncIterableIterator<Buffer>;

  /** The reason phrase: as given or set, else the standard one (`"I'm a Teapot"`, `'Unknown Status Code'`). */
  get reasonPhrase(): string {
    return this.#reason ?? reasonPhrase(this.statusCode);
  }

  /** @throws BadHeaderError for CR/LF, control characters or characters above U+00FF. */
  set reasonPhrase(value: string) {
    checkHeaderText('Reason phrases', value);
    this.#reason = value;
  }

  /** The charset strings are encoded with: as given or set, else the Content-Type's, else utf-8. */
  get charset(): string {
    if (this.#charset !== undefined) return this.#charset;
    const contentType = this.headers.get('Content-Type') ?? '';
    // Nearly every response has the same Content-Type as the one before: parse it once.
    if (contentType !== lastContentType) {
      const found = CHARSET_IN_CONTENT_TYPE.exec(contentType)?.[1]?.replaceAll('"', '');
      lastCharset = found || DEFAULT_CHARSET;
      lastContentType = contentType;
    }
    return lastCharset;
  }

  set charset(value: string) {
    this.#charset = value;
  }

  /** A header's value, or `alternate` (Django's `response.get(header, alternate)`). */
  get(name: string): string | undefined;
  get<T>(name: string, alternate: T): string | T;
  get<T>(name: string, alternate?: T): string | T | undefined {
    return this.headers.get(name) ?? alternate;
  }

  /** Set a header (Django's `response[name] = value`); see `ResponseHeaders#set`. */
  set(name: string, value: HeaderValue): void {
    this.headers.set(name, value);
  }

  /** Whether a header is set, in any case (Django's `has_header` / `in`). */
  has(name: string): boolean {
    return this.headers.has(name);
  }

  /** Remove a header; a missing one is a no-op (Django's `del response[name]`). */
  delete(name: string): boolean {
    return this.headers.delete(name);
  }

  /** Set a header unless it is already there (Django's `setdefault`). */
  setDefault(name: string, value: HeaderValue): string {
    return this.headers.setDefault(name, value);
  }

  /** The headers as `[name, value]` pairs (what the Koa host writes). */
  items(): IterableIterator<[string, string]> {
    return this.headers.items();
  }

  /**
   * Turn a chunk into bytes: strings encoded with `charset`, bytes kept, anything else `String()`-ed.
   *
   * @example
   * response.makeBytes('é'); // <Buffer c3 a9>
   */
  makeBytes(value: Chunk): Buffer {
    if (Buffer.isBuffer(value)) return value;
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const text = String(value);
    const charset = this.charset;
    // The common case, without the codec lookup; encodeText still reports a lone surrogate.
    if (charset === DEFAULT_CHARSET && !LONE_SURROGATE.test(text)) return Buffer.from(text, 'utf8');
    return encodeText(text, charset);
  }

  /**
   * Set a cookie (Django's `set_cookie`). A `Date` `expires` becomes `Max-Age` (plus a matching
   * `expires`); `maxAge` also writes `expires` unless a string `expires` is given.
   *
   * Setting the same name twice in one response reuses its Morsel, so attributes set earlier
   * and not set again survive, as in Django (`setCookie('c', 'old'); deleteCookie('c');
   * setCookie('c', 'new')` sends `c=new; Max-Age=0; Path=/`).
   *
   * @example
   * response.setCookie('theme', 'dark', { maxAge: 3600, sameSite: 'Lax' });
   * // theme=dark; expires=<now + 1 h>; Max-Age=3600; Path=/; SameSite=Lax
   * @throws TypeError for a `Date` `expires` with `maxAge`, or an illegal cookie name;
   *   RangeError for a `sameSite` other than lax/none/strict.
   */
  setCookie(key: string, value = '', options: CookieOptions = {}): void {
    // The Morsel of a name is reused within a response (Django's SimpleCookie does the same), so
    // attributes set by an earlier call and not set again survive: see the JSDoc above.
    const morsel = this.cookies.get(key) ?? new Morsel(key);
    morsel.setValue(value);
    this.cookies.set(key, morsel);
    morsel.applyOptions(options);
  }

  /**
   * Sign `value` and set it as a cookie (Django's `set_signed_cookie`); read it back with
   * `request.getSignedCookie(key, { salt })`. The secret comes from `options.settings`
   * (`SECRET_KEY`), since a response has no settings of its own. The signature is salted with
   * the cookie name and `salt` by `signCookieValue` (Django 5.2.17's v2 scheme, see
   * `signing.ts`), so a value signed for one cookie does not verify as another.
   *
   * @example
   * response.setSignedCookie('cart', '42', { settings: request.settings, salt: 'shop', maxAge: 3600 });
   */
  setSignedCookie(key: string, value: string, options: SignedCookieOptions): void {
    const { settings, salt = '', ...cookieOptions } = options;
    this.setCookie(key, signCookieValue(settings, key, value, { salt }), cookieOptions);
  }

  /**
   * Expire a cookie in the browser (Django's `delete_cookie`): empty value, `Max-Age=0` and an
   * `expires` in 1970. `Secure` is added for `__Secure-`/`__Host-` names and `SameSite=None`,
   * which browsers otherwise ignore. Give the same `path`/`domain` the cookie was set with.
   *
   * @example
   * response.deleteCookie('c'); // c=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/
   */
  deleteCookie(key: string, options: Pick<CookieOptions, 'path' | 'domain' | 'sameSite'> = {}): void {
    const { path = '/', domain, sameSite } = options;
    const secure =
      key.startsWith('__Secure-') ||
      key.startsWith('__Host-') ||
      (!!sameSite && sameSite.toLowerCase() === 'none');
    this.setCookie(key, '', {
      maxAge: 0,
      path,
      domain,
      secure,
      expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
      sameSite,
    });
  }

  /** Register `closer` to run once when the response is closed (open files, cursors...). */
  addCloser(closer: () => unknown): void {
    this.#closers.push(closer);
  }

  /** Whether `close()` has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Run the registered closers (each once; their errors are ignored, as in Django) and mark the
   * response closed. The Koa host calls this when Node has finished with the response.
   */
  close(): void {
    const closers = this.#closers;
    this.#closers = [];
    for (const closer of closers) {
      try {
        const result = closer();
        if (result instanceof Promise) result.catch(() => {});
      } catch {
        // Django swallows closer errors: the response is already sent.
      }
    }
    this.#closed = true;
  }

  /** Only `HttpResponse` is writable: throws TypeError here. */
  write(_chunk: Chunk): void {
    throw new TypeError(`This ${this.constructor.name} instance is not writable`);
  }

  /** Only `HttpResponse` is writable: throws TypeError here. */
  writelines(_lines: Iterable<Chunk>): void {
    throw new TypeError(`This ${this.constructor.name} instance is not writable`);
  }

  /** Only `HttpResponse` knows its length: throws TypeError here. */
  tell(): number {
    throw new TypeError(`This ${this.constructor.name} instance cannot tell its position`);
  }

  /** Whether `write()` works (only for `HttpResponse`). */
  writable(): boolean {
    return false;
  }

  /**
   * The headers as `Name: value` lines joined by CRLF (Django's `serialize_headers`; cookies are
   * not included, as in Django).
   *
   * @example
   * response.serializeHeaders().toString(); // 'Content-Type: text/html; charset=utf-8'
   */
  serializeHeaders(): Buffer {
    const lines = [...this.headers.items()].map(([name, value]) => `${name}: ${value}`);
    return Buffer.from(lines.join('\r\n'), 'latin1');
  }

  /** `<HttpResponse status_code=200, "text/html; charset=utf-8">`, as Django's repr. */
  toString(): string {
    const type = this.headers.get('Content-Type');
    return `<${this.constructor.name} status_code=${this.statusCode}${type === undefined ? '' : `, "${type}"`}>`;
  }
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.iterator in value;
}

/**
 * A response whose body is held in memory (Django's `HttpResponse`).
 *
 * @example
 * return new HttpResponse('<h1>Hello</h1>');
 * return new HttpResponse('a,b\n', { contentType: 'text/csv', headers: { 'Content-Disposition': 'attachment' } });
 */
export class HttpResponse extends HttpResponseBase {
  readonly streaming = false as const;
  #chunks: Buffer[] = [];
  #text: string | undefined;

  /**
   * @param content a string (encoded with the charset), bytes, a number, or an iterable of
   *   chunks (consumed at once, so the response can be read repeatedly).
   * @throws TypeError / RangeError for a bad status, or Content-Type given twice.
   */
  constructor(content: Chunk | Iterable<Chunk> | null = '', options: ResponseOptions = {}) {
    super(options);
    this.content = content;
  }

  /** The body as one Buffer. */
  get content(): Buffer {
    return this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
  }

  /** Replace the body: strings are encoded with `charset`, iterables of chunks are consumed now. */
  set content(value: Chunk | Iterable<Chunk> | null | undefined) {
    let content: Buffer;
    if (value === null || value === undefined) {
      content = Buffer.alloc(0);
    } else if (typeof value !== 'string' && !isBytes(value) && isIterable(value)) {
      content = Buffer.concat(Array.from(value, (chunk) => this.makeBytes(chunk)));
      const closable = value as { close?: unknown };
      if (typeof closable.close === 'function') {
        try {
          closable.close();
        } catch {
          // Django ignores errors while closing a consumed iterable.
        }
      }
    } else {
      content = this.makeBytes(value as Chunk);
    }
    this.#chunks = [content];
    this.#text = undefined;
  }

  /** The body decoded with `charset` (cached until the content changes). */
  get text(): string {
    this.#text ??= decodeText(this.content, this.charset);
    return this.#text;
  }

  /** @throws TypeError: an HttpResponse has `content`, not `streamingContent`. */
  get streamingContent(): AsyncIterableIterator<Buffer> {
    throw new TypeError(
      `This ${this.constructor.name} instance has no \`streamingContent\` attribute. Use \`content\` instead.`,
    );
  }

  /**
   * Append a chunk to the body.
   *
   * @example
   * const response = new HttpResponse();
   * response.write('<p>one</p>');
   * response.write('<p>two</p>');
   */
  override write(chunk: Chunk): void {
    this.#chunks.push(this.makeBytes(chunk));
    this.#text = undefined;
  }

  /** Append each chunk. */
  override writelines(lines: Iterable<Chunk>): void {
    for (const line of lines) this.write(line);
  }

  /** The body length in bytes (`new HttpResponse('é').tell()` is 2). */
  override tell(): number {
    let length = 0;
    for (const chunk of this.#chunks) length += chunk.length;
    return length;
  }

  /** The body (file-like API). */
  getvalue(): Buffer {
    return this.content;
  }

  override writable(): boolean {
    return true;
  }

  /**
   * The full HTTP message without the status line: headers, a blank line, the body.
   *
   * @example
   * new HttpResponse('hi').serialize().toString(); // 'Content-Type: text/html; charset=utf-8\r\n\r\nhi'
   */
  serialize(): Buffer {
    return Buffer.concat([this.serializeHeaders(), Buffer.from('\r\n\r\n'), this.content]);
  }

  /** The stored chunks (one per `write`). */
  [Symbol.iterator](): IterableIterator<Buffer> {
    return this.#chunks[Symbol.iterator]();
  }
}

/** What a `StreamingHttpResponse` streams: an iterable or async iterable of chunks. */
export type StreamingSource = Iterable<Chunk> | AsyncIterable<Chunk>;

/**
 * A response whose body is produced while it is sent (Django's `StreamingHttpResponse`): large
 * exports, server-sent data. The source is iterated once; its `close()` (or its iterator's
 * `return()`) runs when the response is closed.
 *
 * @example
 * async function* rows() { yield 'id,name\n'; for await (const r of db.stream()) yield `${r.id},${r.name}\n`; }
 * return new StreamingHttpResponse(rows(), { contentType: 'text/csv' });
 */
export class StreamingHttpResponse extends HttpResponseBase {
  readonly streaming = true as const;
  #iterator: Iterator<Chunk> | AsyncIterator<Chunk> = [][Symbol.iterator]();
  #isAsync = false;

  /**
   * @param streamingContent chunks to send; a single string or Buffer is sent as one chunk.
   * @throws TypeError if `streamingContent` is not iterable.
   */
  constructor(streamingContent: StreamingSource | Chunk = [], options: ResponseOptions = {}) {
    super(options);
    this.#assign(streamingContent);
  }

  /** Whether the source is an async iterable. */
  get isAsync(): boolean {
    return this.#isAsync;
  }

  /**
   * The body as Buffers (strings encoded with `charset`), pulled lazily from the source. The
   * source is iterated only once, however many times this is read.
   *
   * @example
   * for await (const chunk of response.streamingContent) socket.write(chunk);
   */
  get streamingContent(): AsyncIterableIterator<Buffer> {
    const iterator = this.#iterator;
    const toBytes = (chunk: Chunk) => this.makeBytes(chunk);
    return (async function* () {
      while (true) {
        const step = await iterator.next();
        if (step.done) return;
        yield toBytes(step.value);
      }
    })();
  }

  /** Replace the source (e.g. to wrap it, as GZip-style middleware do). */
  set streamingContent(value: StreamingSource | Chunk) {
    this.setStreamingContent(value);
  }

  /** Hook for subclasses (`FileResponse`) to look at a new source before it is stored. */
  protected setStreamingContent(value: StreamingSource | Chunk): void {
    this.#assign(value);
  }

  #assign(value: StreamingSource | Chunk): void {
    if (typeof value === 'string' || isBytes(value)) {
      this.#iterator = [value][Symbol.iterator]();
      this.#isAsync = false;
      return;
    }
    if (typeof value === 'object' && value !== null && Symbol.iterator in value) {
      this.#iterator = value[Symbol.iterator]();
      this.#isAsync = false;
    } else if (typeof value === 'object' && value !== null && Symbol.asyncIterator in value) {
      this.#iterator = value[Symbol.asyncIterator]();
      this.#isAsync = true;
    } else {
      throw new TypeError(
        `${this.constructor.name} needs an iterable or async iterable of chunks (strings or Buffers); got ${typeof value}.`,
      );
    }
    const iterator = this.#iterator;
    const source = value as { close?: () => unknown };
    if (typeof source.close === 'function') this.addCloser(() => source.close?.());
    else if (typeof iterator.return === 'function') this.addCloser(() => iterator.return?.());
  }

  /** @throws TypeError: a streaming response has no `content`. */
  get content(): Buffer {
    throw new TypeError(
      `This ${this.constructor.name} instance has no \`content\` attribute. Use \`streamingContent\` instead.`,
    );
  }

  /** @throws TypeError: a streaming response's content cannot be replaced by bytes. */
  set content(_value: Chunk | Iterable<Chunk> | null | undefined) {
    throw new TypeError(
      `This ${this.constructor.name} instance has no \`content\` attribute. Use \`streamingContent\` instead.`,
    );
  }

  /** @throws TypeError: a streaming response has no `text`. */
  get text(): string {
    throw new TypeError(`This ${this.constructor.name} instance has no \`text\` attribute.`);
  }

  /** Read the whole stream and join it (this consumes the stream). */
  async getvalue(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.streamingContent) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    return this.streamingContent;
  }
}
