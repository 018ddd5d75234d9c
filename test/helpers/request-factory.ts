/**
 * Django's `RequestFactory` for koa-django: builds `HttpRequest` objects without a server, for
 * testing views and middleware directly. Bodies go through the real `readBody()` (over
 * `Readable.from(bytes)`), so limits and multipart parsing behave as in production.
 *
 * Defaults, as in Django: SERVER_NAME `testserver`, SERVER_PORT 80 (443 with `secure`), REMOTE_ADDR
 * 127.0.0.1, no Host header (so `getHost()` answers `testserver`); settings are
 * `defineSettings({ SECRET_KEY: 'test-secret-key', ALLOWED_HOSTS: ['testserver'] })`.
 * Unlike Django, `post()` form-encodes an object by default; pass
 * `{ contentType: 'multipart/form-data' }` for a multipart body (files as `{ name, content, contentType }`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { defineSettings, type Settings } from '../../src/conf/index.ts';
import { readBody } from '../../src/http/body.ts';
import { HttpRequest } from '../../src/http/request.ts';
import { iriToUri, quotePlus } from '../../src/utils/encoding.ts';

/** A file to upload in a multipart body. */
export interface UploadSpec {
  name: string;
  content: Buffer | string;
  contentType?: string;
}

/** A form value: text, a number, a file, or a list of them (repeated fields). */
export type FormValue =
  | string
  | number
  | boolean
  | UploadSpec
  | readonly (string | number | boolean | UploadSpec)[];

/** Form data for `get()` (query string) and `post()` (body). */
export type FormData = Readonly<Record<string, FormValue>>;

/** Options of every request method. */
export interface FactoryRequestOptions {
  /** Extra request headers (any case). */
  headers?: Record<string, string | string[]>;
  /** Build an https request (SERVER_PORT 443, scheme https). */
  secure?: boolean;
  /** Content-Type of the body. */
  contentType?: string;
  /** Query parameters added to the URL (Django 5.1's `query_params`). */
  query?: FormData;
  /** Mount prefix (SCRIPT_NAME). */
  scriptName?: string;
  /** Overrides of the connection details. */
  remoteAddr?: string;
  serverName?: string;
  serverPort?: number | string;
}

/** Options of `new RequestFactory()`. */
export interface RequestFactoryOptions {
  settings?: Settings;
  /** Headers sent with every request (e.g. `{ 'user-agent': 'test' }`). */
  defaults?: Record<string, string>;
}

/** The multipart boundary Django's test client uses. */
export const BOUNDARY = 'BoUnDaRyStRiNg';
export const MULTIPART_CONTENT = `multipart/form-data; boundary=${BOUNDARY}`;

/**
 * Builds requests for tests.
 *
 * @example
 * const rf = new RequestFactory();
 * const request = await rf.post('/sms/', { From: '+15551234567', Body: 'hi' });
 * const response = await smsView(request, {});
 */
export class RequestFactory {
  readonly settings: Settings;
  readonly defaults: Record<string, string>;
  /** Cookies sent with every request (`rf.cookies.sessionid = 'abc'`). */
  readonly cookies: Record<string, string> = {};

  constructor(options: RequestFactoryOptions = {}) {
    this.settings =
      options.settings ?? defineSettings({ SECRET_KEY: 'test-secret-key', ALLOWED_HOSTS: ['testserver'] });
    this.defaults = options.defaults ?? {};
  }

  /** A GET request; `data` becomes the query string (replacing one in `path`). */
  get(path: string, data?: FormData, options: FactoryRequestOptions = {}): Promise<HttpRequest> {
    return this.#withData('GET', path, data, options);
  }

  /** A HEAD request; `data` becomes the query string. */
  head(path: string, data?: FormData, options: FactoryRequestOptions = {}): Promise<HttpRequest> {
    return this.#withData('HEAD', path, data, options);
  }

  /** A DELETE request; `data` is the body (as `post` encodes it). */
  delete(
    path: string,
    data?: FormData | string | Buffer,
    options: FactoryRequestOptions = {},
  ): Promise<HttpRequest> {
    return this.#withBody('DELETE', path, data, options);
  }

  /** An OPTIONS request; `data` is the body. */
  options(
    path: string,
    data?: FormData | string | Buffer,
    options: FactoryRequestOptions = {},
  ): Promise<HttpRequest> {
    return this.#withBody('OPTIONS', path, data, options);
  }

  /**
   * A POST: an object is form-encoded (or multipart / JSON per `contentType`), a string or
   * Buffer is sent as is.
   */
  post(
    path: string,
    data?: FormData | string | Buffer,
    options: FactoryRequestOptions = {},
  ): Promise<HttpRequest> {
    return this.#withBody('POST', path, data, options);
  }

  /** A PUT; `data` as in `post`. */
  put(
    path: string,
    data?: FormData | string | Buffer,
    options: FactoryRequestOptions = {},
  ): Promise<HttpRequest> {
    return this.#withBody('PUT', path, data, options);
  }

  /** A PATCH; `data` as in `post`. */
  patch(
    path: string,
    data?: FormData | string | Buffer,
    options: FactoryRequestOptions = {},
  ): Promise<HttpRequest> {
    return this.#withBody('PATCH', path, data, options);
  }

  /**
   * Any method with a raw body (Django's `generic`).
   *
   * @example
   * await rf.generic('PROPFIND', '/dav/', '<xml/>', { contentType: 'application/xml' });
   */
  async generic(
    method: string,
    path: string,
    body: string | Buffer = '',
    options: FactoryRequestOptions = {},
  ): Promise<HttpRequest> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const hashAt = path.indexOf('#');
    const target = iriToUri(hashAt === -1 ? path : path.slice(0, hashAt));
    const queryAt = target.indexOf('?');
    let queryString = queryAt === -1 ? '' : target.slice(queryAt + 1);
    if (options.query) queryString = [queryString, urlencode(options.query)].filter(Boolean).join('&');

    const headers: IncomingHttpHeaders = {};
    for (const [name, value] of Object.entries({ ...this.defaults, ...(options.headers ?? {}) })) {
      headers[name.toLowerCase()] = value;
    }
    const cookie = Object.entries(this.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    if (cookie && headers.cookie === undefined) headers.cookie = cookie;
    if (bytes.length > 0) {
      headers['content-length'] = String(bytes.length);
      if (options.contentType) headers['content-type'] = options.contentType;
    }
    const settings = this.settings;
    return new HttpRequest({
      settings,
      method,
      path: queryAt === -1 ? target : target.slice(0, queryAt),
      queryString,
      headers,
      body: await readBody(Readable.from([bytes]), { method, headers, settings }),
      scheme: options.secure ? 'https' : 'http',
      remoteAddr: options.remoteAddr ?? '127.0.0.1',
      remotePort: 54321,
      serverName: options.serverName ?? 'testserver',
      serverPort: options.serverPort ?? (options.secure ? 443 : 80),
      scriptName: options.scriptName ?? '',
    });
  }

  #withData(method: string, path: string, data: FormData | undefined, options: FactoryRequestOptions) {
    let target = path;
    if (data) {
      const hashAt = target.indexOf('#');
      if (hashAt !== -1) target = target.slice(0, hashAt);
      const queryAt = target.indexOf('?');
      target = `${queryAt === -1 ? target : target.slice(0, queryAt)}?${urlencode(data)}`;
    }
    return this.generic(method, target, '', options);
  }

  #withBody(
    method: string,
    path: string,
    data: FormData | string | Buffer | undefined,
    options: FactoryRequestOptions,
  ) {
    if (data === undefined || typeof data === 'string' || Buffer.isBuffer(data)) {
      const contentType =
        options.contentType ?? (data === undefined ? undefined : 'application/octet-stream');
      return this.generic(method, path, data ?? '', { ...options, contentType });
    }
    const contentType = options.contentType ?? 'application/x-www-form-urlencoded';
    if (contentType.startsWith('multipart/form-data')) {
      const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2] ?? BOUNDARY;
      const fullType = contentType.includes('boundary=')
        ? contentType
        : `multipart/form-data; boundary=${boundary}`;
      return this.generic(method, path, encodeMultipart(boundary, data), {
        ...options,
        contentType: fullType,
      });
    }
    if (/^application\/(.+\+)?json/.test(contentType)) {
      return this.generic(method, path, JSON.stringify(data), { ...options, contentType });
    }
    return this.generic(method, path, urlencode(data), { ...options, contentType });
  }
}

/** Python's `urlencode(data, doseq=True)`: lists become repeated keys. */
export function urlencode(data: FormData): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const text = typeof item === 'object' ? String((item as UploadSpec).content) : String(item);
      pairs.push(`${quotePlus(key)}=${quotePlus(text)}`);
    }
  }
  return pairs.join('&');
}

/**
 * A multipart/form-data body as Django's `encode_multipart` writes it (CRLF line ends, files
 * with `filename` and `Content-Type`).
 *
 * @example
 * encodeMultipart('BoUnDaRyStRiNg', { title: 'x', file: { name: 'a.txt', content: 'hello' } });
 */
export function encodeMultipart(boundary: string, data: FormData): Buffer {
  const parts: Buffer[] = [];
  const line = (text: string) => parts.push(Buffer.from(`${text}\r\n`, 'utf8'));
  for (const [key, value] of Object.entries(data)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      line(`--${boundary}`);
      if (typeof item === 'object') {
        const file = item as UploadSpec;
        line(`Content-Disposition: form-data; name="${key}"; filename="${file.name}"`);
        line(`Content-Type: ${file.contentType ?? 'application/octet-stream'}`);
        line('');
        parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, 'utf8'));
        parts.push(Buffer.from('\r\n'));
      } else {
        line(`Content-Disposition: form-data; name="${key}"`);
        line('');
        line(String(item));
      }
    }
  }
  line(`--${boundary}--`);
  return Buffer.concat(parts);
}
