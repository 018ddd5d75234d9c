/**
 * The ready-made `HttpResponse` subclasses of `django/http/response.py`: redirects (with their
 * scheme check), 304, the 4xx/5xx shorthands, `HttpResponseNotAllowed` and `JsonResponse`
 * (JSON byte-identical to Django's, `{"a": 1, "c": "\u00e9"}`).
 *
 * @module
 */
import { DisallowedRedirect } from '../exceptions.ts';
import { iriToUri } from '../utils/encoding.ts';
import { pythonJsonDumps } from '../utils/json.ts';
import { type Chunk, HttpResponse, type ResponseOptions } from './response.ts';

/** Redirect targets longer than this are refused (Django's `MAX_URL_REDIRECT_LENGTH`, 5.2). */
export const MAX_URL_REDIRECT_LENGTH = 16384;

/** Options of the redirect responses. */
export interface RedirectOptions extends ResponseOptions {
  /** Keep the method and body on the next request: 307 / 308 instead of 302 / 301 (Django 5.2). */
  preserveRequest?: boolean;
}

/** The scheme Python's `urlsplit` would find, lower-cased, or `''`. */
function schemeOf(url: string): string {
  // urlsplit strips leading C0 controls and spaces, and drops TAB/CR/LF anywhere (WHATWG).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters urlsplit ignores.
  const cleaned = url.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\r\n]/g, '');
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(cleaned);
  return match ? (match[1] as string).toLowerCase() : '';
}

/**
 * What the redirects share (Django's `HttpResponseRedirectBase`): `Location` is the IRI-encoded
 * target, and only `http`, `https` and `ftp` schemes (or none) are allowed. A scheme-relative
 * `//other.host/` is allowed here, as in Django: check the host of user-supplied targets (a
 * `?next=` parameter) before redirecting to them.
 *
 * @example
 * class HttpResponseSeeOther extends HttpResponseRedirectBase {
 *   constructor(url: string) { super(url, { status: 303 }); }
 * }
 */
export class HttpResponseRedirectBase extends HttpResponse {
  /** Schemes a redirect may use. */
  static allowedSchemes: readonly string[] = ['http', 'https', 'ftp'];

  /**
   * @throws DisallowedRedirect for another scheme (`javascript:`...) or a target over 16384 characters.
   */
  constructor(redirectTo: string | URL, options: ResponseOptions = {}) {
    super('', options);
    const target = String(redirectTo);
    this.set('Location', iriToUri(target));
    if (target.length > MAX_URL_REDIRECT_LENGTH && [...target].length > MAX_URL_REDIRECT_LENGTH) {
      throw new DisallowedRedirect(`Unsafe redirect exceeding ${MAX_URL_REDIRECT_LENGTH} characters`);
    }
    const scheme = schemeOf(target);
    const allowed = (this.constructor as typeof HttpResponseRedirectBase).allowedSchemes;
    if (scheme && !allowed.includes(scheme)) {
      throw new DisallowedRedirect(`Unsafe redirect to URL with protocol '${scheme}'`);
    }
  }

  /** The redirect target, as sent in `Location`. */
  get url(): string {
    return this.get('Location', '');
  }
}

function redirectStatus(options: RedirectOptions, normal: number, preserving: number): ResponseOptions {
  const { preserveRequest, ...rest } = options;
  return { ...rest, status: rest.status ?? (preserveRequest ? preserving : normal) };
}

/**
 * A temporary redirect: 302, or 307 with `preserveRequest`.
 *
 * @example
 * return new HttpResponseRedirect('/login/?next=/cart/');
 * return new HttpResponseRedirect('/upload/retry/', { preserveRequest: true }); // 307
 */
export class HttpResponseRedirect extends HttpResponseRedirectBase {
  constructor(redirectTo: string | URL, options: RedirectOptions = {}) {
    super(redirectTo, redirectStatus(options, 302, 307));
  }
}

/**
 * A permanent redirect: 301, or 308 with `preserveRequest`.
 *
 * @example
 * return new HttpResponsePermanentRedirect('https://example.com/new-home/');
 */
export class HttpResponsePermanentRedirect extends HttpResponseRedirectBase {
  constructor(redirectTo: string | URL, options: RedirectOptions = {}) {
    super(redirectTo, redirectStatus(options, 301, 308));
  }
}

/**
 * 304 Not Modified: no body and no Content-Type.
 *
 * @example
 * if (request.headers.get('If-None-Match') === etag) return new HttpResponseNotModified();
 */
export class HttpResponseNotModified extends HttpResponse {
  constructor(options: ResponseOptions = {}) {
    super('', { ...options, status: options.status ?? 304 });
    this.delete('Content-Type');
  }

  override get content(): Buffer {
    return super.content;
  }

  /** @throws TypeError for any non-empty content: a 304 has no body. */
  override set content(value: Chunk | Iterable<Chunk> | null | undefined) {
    const empty =
      value === null ||
      value === undefined ||
      value === '' ||
      value === 0 ||
      value === false ||
      (value instanceof Uint8Array && value.length === 0) ||
      (Array.isArray(value) && value.length === 0);
    if (!empty) throw new TypeError('You cannot set content to a 304 (Not Modified) response');
    super.content = '';
  }
}

/** Build a shorthand class with a fixed default status. */
function withStatus(status: number) {
  return class extends HttpResponse {
    constructor(content: Chunk | Iterable<Chunk> | null = '', options: ResponseOptions = {}) {
      super(content, { ...options, status: options.status ?? status });
    }
  };
}

/**
 * 400 Bad Request.
 *
 * @example
 * return new HttpResponseBadRequest('Missing "To" parameter');
 */
export class HttpResponseBadRequest extends withStatus(400) {}

/**
 * 404 Not Found (usually you throw `Http404` instead, to get the `handler404` page).
 *
 * @example
 * return new HttpResponseNotFound('<h1>No such caller</h1>');
 */
export class HttpResponseNotFound extends withStatus(404) {}

/**
 * 403 Forbidden.
 *
 * @example
 * return new HttpResponseForbidden('Signature mismatch');
 */
export class HttpResponseForbidden extends withStatus(403) {}

/**
 * 410 Gone.
 *
 * @example
 * return new HttpResponseGone();
 */
export class HttpResponseGone extends withStatus(410) {}

/**
 * 500 Internal Server Error.
 *
 * @example
 * return new HttpResponseServerError('Try again later');
 */
export class HttpResponseServerError extends withStatus(500) {}

/**
 * 405 Method Not Allowed with `Allow` listing the permitted methods (upper-cased, joined by `, `).
 *
 * @example
 * return new HttpResponseNotAllowed(['GET', 'POST']); // Allow: GET, POST
 */
export class HttpResponseNotAllowed extends HttpResponse {
  constructor(
    permittedMethods: Iterable<string>,
    content: Chunk | Iterable<Chunk> | null = '',
    options: ResponseOptions = {},
  ) {
    super(content, { ...options, status: options.status ?? 405 });
    this.set('Allow', Array.from(permittedMethods, (m) => m.toUpperCase()).join(', '));
  }
}

/**
 * Turns a value JSON cannot hold into one it can (Python's `JSONEncoder.default`); throw
 * TypeError for values you do not handle, or pass them on to `djangoJsonEncoder`.
 */
export type JsonEncoder = (value: object) => unknown;

/**
 * Django's `DjangoJSONEncoder.default` for JavaScript values: a `Date` becomes an ISO 8601
 * string in UTC with milliseconds only when non-zero (`2023-11-14T22:13:20Z`,
 * `2023-11-14T22:13:20.123Z`), boxed primitives their value, objects with `toJSON()` its result.
 *
 * @example
 * new JsonResponse({ at: new Date(0) }).text; // '{"at": "1970-01-01T00:00:00Z"}'
 * @throws TypeError for anything else (`Map`, `Set`, class instances without `toJSON`).
 */
export const djangoJsonEncoder: JsonEncoder = (value) => {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('Invalid Date is not JSON serializable');
    return value.toISOString().replace('.000Z', 'Z');
  }
  if (value instanceof String || value instanceof Number || value instanceof Boolean) return value.valueOf();
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return withToJson.toJSON();
  const name = value.constructor?.name ?? 'Object';
  throw new TypeError(
    `Object of type ${name} is not JSON serializable. Pass plain objects and arrays, give ${name} a ` +
      "toJSON() method, or pass an 'encoder' to JsonResponse.",
  );
};

/** Python `json.dumps` keyword arguments `JsonResponse` understands. */
export interface JsonDumpsParams {
  /** Pretty-print with this many spaces (or this string) per level; item separator becomes `,`. */
  indent?: number | string | null;
  /** `[itemSeparator, keySeparator]`; default `[', ', ': ']` (`[',', ': ']` with `indent`). */
  separators?: readonly [string, string];
  /** Sort object keys (by UTF-16 code units, as Python sorts str). */
  sortKeys?: boolean;
  /** Escape non-ASCII as `\u00e9`-style escapes (default true). */
  ensureAscii?: boolean;
}

/** Options of `JsonResponse`. */
export interface JsonResponseOptions extends ResponseOptions {
  /** Refuse anything but a plain object (default true), as Django does. */
  safe?: boolean;
  /** Converter for values JSON cannot hold; default `djangoJsonEncoder`. */
  encoder?: JsonEncoder;
  jsonDumpsParams?: JsonDumpsParams;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Python's `json.dumps` with `cls`-style encoder, `indent` and `sort_keys`; leaves via `pythonJsonDumps`. */
function jsonDumps(data: unknown, encoder: JsonEncoder, params: JsonDumpsParams): string {
  const ensureAscii = params.ensureAscii ?? true;
  const indent = typeof params.indent === 'number' ? ' '.repeat(params.indent) : (params.indent ?? null);
  const [itemSep, keySep] = params.separators ?? (indent === null ? [', ', ': '] : [',', ': ']);
  const stack = new Set<object>();

  const dump = (value: unknown, depth: number): string | undefined => {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (value === null || typeof value !== 'object') return pythonJsonDumps(value, { ensureAscii });
    if (stack.has(value)) throw new TypeError('Circular reference detected while serialising to JSON.');
    stack.add(value);
    try {
      if (!Array.isArray(value) && !isPlainObject(value)) return dump(encoder(value), depth);
      const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
      const parts: string[] = [];
      if (Array.isArray(value)) {
        for (const item of value) parts.push(dump(item, depth + 1) ?? 'null');
      } else {
        const keys = Object.keys(value);
        if (params.sortKeys) keys.sort();
        for (const key of keys) {
          const text = dump((value as Record<string, unknown>)[key], depth + 1);
          if (text !== undefined) parts.push(`${pythonJsonDumps(key, { ensureAscii })}${keySep}${text}`);
        }
      }
      if (parts.length === 0) return open + close;
      if (indent === null) return open + parts.join(itemSep) + close;
      const inner = `\n${indent.repeat(depth + 1)}`;
      return `${open}${inner}${parts.join(itemSep + inner)}\n${indent.repeat(depth)}${close}`;
    } finally {
      stack.delete(value);
    }
  };

  const text = dump(data, 0);
  if (text === undefined) throw new TypeError(`Object of type ${typeof data} is not JSON serializable.`);
  return text;
}

/**
 * A JSON response, serialised as Django's `JsonResponse` does (Python `json.dumps` spacing and
 * ASCII escaping), with `Content-Type: application/json`.
 *
 * @example
 * return new JsonResponse({ a: 1, b: [1, 2], c: 'é' }); // {"a": 1, "b": [1, 2], "c": "\u00e9"}
 * return new JsonResponse([1, 2], { safe: false });
 * @throws TypeError for a non-object with `safe` (the default), or a value JSON cannot hold.
 */
export class JsonResponse extends HttpResponse {
  constructor(data: unknown, options: JsonResponseOptions = {}) {
    const { safe = true, encoder = djangoJsonEncoder, jsonDumpsParams = {}, ...rest } = options;
    if (safe && (typeof data !== 'object' || data === null || !isPlainObject(data))) {
      throw new TypeError(
        'In order to allow non-dict objects to be serialized set the safe parameter to False.',
      );
    }
    // Like Django's kwargs.setdefault: a Content-Type in `headers` then conflicts, as in Django.
    super(jsonDumps(data, encoder, jsonDumpsParams), {
      ...rest,
      contentType: rest.contentType ?? 'application/json',
    });
  }
}
