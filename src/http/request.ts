/**
 * `HttpRequest`: Django's request object (django/http/request.py), built by the Koa host (and
 * the test RequestFactory) from one `HttpRequestInit`.
 *
 * Everything is parsed lazily and cached on first use: META, headers, GET, POST, FILES, COOKIES.
 * The body was already read once by `readBody()`; errors met then (oversize, aborted, malformed
 * multipart) surface when `body`, `POST` or `FILES` is first asked for, exactly where Django
 * would raise them, and become 400 responses.
 *
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Settings, UrlConfEntry } from '../conf/index.ts';
import {
  BadRequest,
  CookieNotFound,
  DisallowedHost,
  ImproperlyConfigured,
  MultiPartParserError,
  RequestDataTooBig,
  TooManyFieldsSent,
  TooManyFilesSent,
  UnreadablePostError,
} from '../exceptions.ts';
import { BadSignature, unsignCookieValue } from '../signing.ts';
import { pyRepr } from '../urls/py-repr.ts';
import type { ResolverMatch } from '../urls/resolver-match.ts';
import { decodePath, escapeUriPath, iriToUri } from '../utils/encoding.ts';
import { emptyBody, multipartBoundary, type RequestBody } from './body.ts';
import { parseCookie } from './cookies.ts';
import { HttpHeaders, MediaType, parseHeaderParameters, toWsgiName } from './headers.ts';
import { decodeBytes, MultiValueDict, normalizeEncoding, QueryDict } from './query-dict.ts';
import { sanitizeFileName, type UploadedFile } from './uploads.ts';

/** Everything an HttpRequest is built from (the Koa host and RequestFactory fill it in). */
export interface HttpRequestInit {
  settings: Settings;
  /** Any case; stored upper-cased. */
  method: string;
  /** Raw path from the request line, still percent-encoded, without the query (below `scriptName`). */
  path: string;
  /** Raw query string, without the `?`. */
  queryString?: string;
  /** Node's request headers: lower-case names → string or string[]. */
  headers?: IncomingHttpHeaders;
  /** The body as read by `readBody()` (default: empty). */
  body?: RequestBody;
  /** Transport scheme (before `SECURE_PROXY_SSL_HEADER`). */
  scheme?: 'http' | 'https';
  remoteAddr?: string;
  remotePort?: number;
  serverName?: string;
  serverPort?: number | string;
  /** Mount prefix (Django's `SCRIPT_NAME`), `''` by default. */
  scriptName?: string;
}

/** Options of `getSignedCookie`. */
export interface SignedCookieReadOptions {
  /** Extra namespace the cookie was signed with (`setSignedCookie`'s `salt`). */
  salt?: string;
  /** Reject signatures older than this many seconds (SignatureExpired). */
  maxAge?: number;
}

// Errors after which request.POST/FILES answer empty containers, so a 400 page can use them.
const POST_PARSE_ERRORS = [
  RequestDataTooBig,
  TooManyFieldsSent,
  TooManyFilesSent,
  MultiPartParserError,
  UnreadablePostError,
];

/** A character that cannot be one byte of latin-1: the text did not come from the wire. */
const WIDE = /[\u0100-\uffff]/;
const NON_ASCII = /[\u0080-\uffff]/;

const HOST_PATTERN = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]+))?$/;

/**
 * An HTTP request, with Django's attributes under their Django names (`GET`, `POST`, `FILES`,
 * `COOKIES`, `META`, `body`) and camelCase methods.
 *
 * @example
 * export function search(request: HttpRequest) {
 *   const q = request.GET.get('q', '');
 *   const host = request.getHost();
 *   return new HttpResponse(`Results for ${q} on ${host}`);
 * }
 */
export class HttpRequest {
  /** The settings this request is served with. */
  readonly settings: Settings;
  /** Upper-cased method (`GET`, `POST`...). */
  method: string;
  /** Full decoded path including the script prefix (`/app/caf\u00e9/`). */
  path: string;
  /** Decoded path below the script prefix; what the urlconf resolves. */
  pathInfo: string;
  /** Decoded mount prefix (`''` when mounted at the root). */
  scriptName: string;
  /** What URL resolution found (set by the handler before the view runs). */
  resolverMatch: ResolverMatch | null = null;
  /** A per-request urlconf replacing ROOT_URLCONF (middleware may set it). */
  urlconf: UrlConfEntry | null = null;

  readonly #init: HttpRequestInit;
  readonly #body: RequestBody;
  #meta?: Record<string, string>;
  #headers?: HttpHeaders;
  #cookies?: Record<string, string>;
  #get?: QueryDict;
  #post?: QueryDict;
  #files?: MultiValueDict<UploadedFile>;
  #contentType?: [string, Record<string, string>];
  #encoding: string | null | undefined;
  #postParseError = false;
  #accepted?: MediaType[];

  constructor(init: HttpRequestInit) {
    this.settings = init.settings;
    this.method = init.method.toUpperCase();
    this.#init = init;
    this.#body = init.body ?? emptyBody();
    this.scriptName = decodeWirePath(init.scriptName ?? '');
    // An empty PATH_INFO (the mount point without a slash) is served as "/", as in Django.
    this.pathInfo = decodeWirePath(init.path) || '/';
    this.path =
      this.scriptName === '' && this.pathInfo.startsWith('/')
        ? this.pathInfo
        : `${this.scriptName.replace(/\/+$/, '')}/${this.pathInfo.replace('/', '')}`;
  }

  /**
   * Django's META: `HTTP_*` for each header (names containing `_` are dropped, repeated ones
   * joined with `,`), `CONTENT_TYPE`, `CONTENT_LENGTH`, and the CGI keys `REQUEST_METHOD`,
   * `QUERY_STRING`, `PATH_INFO`, `SCRIPT_NAME`, `SERVER_NAME`, `SERVER_PORT`, `REMOTE_ADDR`,
   * `REMOTE_HOST`, `REMOTE_PORT`, and gunicorn's `RAW_URI` (the request target exactly as sent). Built once, on first use; middleware may change it.
   */
  get META(): Record<string, string> {
    this.#meta ??= this.#buildMeta();
    return this.#meta;
  }

  /** Case-insensitive view of the headers (`request.headers.get('User-Agent')`). */
  get headers(): HttpHeaders {
    this.#headers ??= new HttpHeaders(this.META);
    return this.#headers;
  }

  /** Cookies sent by the client (Django's `parse_cookie` of the Cookie header). */
  get COOKIES(): Record<string, string> {
    this.#cookies ??= parseCookie(this.META.HTTP_COOKIE ?? '');
    return this.#cookies;
  }

  set COOKIES(value: Record<string, string>) {
    this.#cookies = value;
  }

  /** The query string parameters (immutable; `DATA_UPLOAD_MAX_NUMBER_FIELDS` applies). */
  get GET(): QueryDict {
    this.#get ??= new QueryDict(wireBytes(this.META.QUERY_STRING ?? ''), {
      encoding: this.#charset(),
      maxNumFields: this.settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    });
    return this.#get;
  }

  set GET(value: QueryDict) {
    this.#get = value;
  }

  /**
   * Form fields of a POST with an urlencoded or multipart body (empty for other methods and
   * content types). Throws the body's error the first time, then answers empty.
   */
  get POST(): QueryDict {
    if (this.#post === undefined) this.#loadPostAndFiles();
    return this.#post as QueryDict;
  }

  set POST(value: QueryDict) {
    this.#post = value;
  }

  /** Uploaded files of a multipart POST, by field name. */
  get FILES(): MultiValueDict<UploadedFile> {
    if (this.#files === undefined) this.#loadPostAndFiles();
    return this.#files as MultiValueDict<UploadedFile>;
  }

  /**
   * The exact body bytes. Throws RequestDataTooBig, UnreadablePostError or (after a multipart
   * body was streamed into POST/FILES) RawPostDataException.
   */
  get body(): Buffer {
    return this.#body.bytes();
  }

  /** The main value of Content-Type, lower-cased (`'application/json'`). */
  get contentType(): string {
    this.#contentType ??= parseHeaderParameters(this.META.CONTENT_TYPE ?? '');
    return this.#contentType[0];
  }

  /** The Content-Type parameters (`{ charset: 'utf-8' }`). */
  get contentParams(): Record<string, string> {
    this.#contentType ??= parseHeaderParameters(this.META.CONTENT_TYPE ?? '');
    return this.#contentType[1];
  }

  /**
   * Charset of the form data: the Content-Type's `charset` when it names a known encoding,
   * else `null` (meaning `DEFAULT_CHARSET`). Setting it re-decodes GET and POST on next access.
   */
  get encoding(): string | null {
    if (this.#encoding === undefined) {
      const charset = this.contentParams.charset;
      this.#encoding = charset !== undefined && normalizeEncoding(charset) !== null ? charset : null;
    }
    return this.#encoding;
  }

  set encoding(value: string | null) {
    this.#encoding = value;
    this.#get = undefined;
    this.#post = undefined;
  }

  /** `'https'` when `SECURE_PROXY_SSL_HEADER` says so (or the transport is TLS), else `'http'`. */
  get scheme(): 'http' | 'https' {
    const setting = this.settings.SECURE_PROXY_SSL_HEADER;
    if (setting) {
      if (!Array.isArray(setting) || setting.length !== 2) {
        throw new ImproperlyConfigured(
          "The SECURE_PROXY_SSL_HEADER setting must be a tuple containing two values, e.g. ['HTTP_X_FORWARDED_PROTO', 'https'].",
        );
      }
      const value = this.META[setting[0]];
      if (value !== undefined) return value.split(',', 1)[0]?.trim() === setting[1] ? 'https' : 'http';
    }
    return this.#init.scheme ?? 'http';
  }

  /** Whether the request came over HTTPS (see `scheme`). */
  isSecure(): boolean {
    return this.scheme === 'https';
  }

  /**
   * The client's host (`X-Forwarded-Host` when `USE_X_FORWARDED_HOST`, else `Host`, else
   * SERVER_NAME[:port]), validated against `ALLOWED_HOSTS`; returned as sent (case, port).
   * Throws DisallowedHost (400) otherwise.
   *
   * @example
   * request.getHost(); // 'example.com:8000'
   */
  getHost(): string {
    const host = this.#rawHost();
    let allowed = this.settings.ALLOWED_HOSTS;
    if (this.settings.DEBUG && allowed.length === 0) allowed = ['.localhost', '127.0.0.1', '[::1]'];
    const match = HOST_PATTERN.exec(host.toLowerCase());
    const domain = match?.[1]?.replace(/\.$/, '') ?? '';
    if (domain && allowed.some((pattern) => pattern === '*' || isSameDomain(domain, pattern))) return host;
    throw new DisallowedHost(
      domain
        ? `Invalid HTTP_HOST header: ${pyRepr(host)}. You may need to add ${pyRepr(domain)} to ALLOWED_HOSTS.`
        : `Invalid HTTP_HOST header: ${pyRepr(host)}. The domain name provided is not valid according to RFC 1034/1035.`,
    );
  }

  /** The port, as a string (`X-Forwarded-Port` when `USE_X_FORWARDED_PORT`, else SERVER_PORT). */
  getPort(): string {
    const forwarded = this.META.HTTP_X_FORWARDED_PORT;
    if (this.settings.USE_X_FORWARDED_PORT && forwarded !== undefined) return forwarded;
    return this.META.SERVER_PORT ?? '';
  }

  /**
   * Path plus query string, escaped for use in a URL (`/caf%C3%A9/?q=1`).
   *
   * @example
   * request.getFullPath(true); // '/search/?q=a' for '/search?q=a'
   */
  getFullPath(forceAppendSlash = false): string {
    return this.#fullPath(this.path, forceAppendSlash);
  }

  /** Like `getFullPath` but from `pathInfo` (without the script prefix). */
  getFullPathInfo(forceAppendSlash = false): string {
    return this.#fullPath(this.pathInfo, forceAppendSlash);
  }

  /**
   * An absolute URI for `location` (default: this request's full path), with this request's
   * scheme and host (validated by `getHost()`).
   *
   * @example
   * request.buildAbsoluteUri('/calls/'); // 'https://example.com/calls/'
   * request.buildAbsoluteUri('?page=2');  // 'https://example.com/list/?page=2'
   */
  buildAbsoluteUri(location?: string): string {
    let target = location ?? `//${this.getFullPath()}`;
    const bits = urlsplit(target);
    if (!(bits.scheme && bits.netloc)) {
      const current = `${this.scheme}://${this.getHost()}`;
      if (bits.path.startsWith('/') && !bits.scheme && !bits.netloc && !/\/\.\.?\//.test(bits.path)) {
        // A leading '//' without a netloc is this host's path.
        target = current + (target.startsWith('//') ? target.slice(2) : target);
      } else {
        target = urljoin(current + this.path, target);
      }
    }
    return iriToUri(target);
  }

  /** Whether `X-Requested-With: XMLHttpRequest` was sent (removed from Django 4; kept here). */
  isAjax(): boolean {
    return this.META.HTTP_X_REQUESTED_WITH === 'XMLHttpRequest';
  }

  /**
   * Whether the Accept header (default `*\/*`) accepts `mediaType` (Django 5.2 rules).
   *
   * @example
   * if (request.accepts('application/json')) return new JsonResponse(data);
   */
  accepts(mediaType: string): boolean {
    this.#accepted ??= (this.headers.get('Accept') ?? '*/*')
      .split(',')
      .filter((token) => token.trim())
      .map((token) => new MediaType(token))
      .filter((type) => type.quality !== 0);
    const other = new MediaType(mediaType);
    return this.#accepted.some((type) => type.match(other));
  }

  /**
   * A cookie set with `response.setSignedCookie`, verified (and checked for age with
   * `maxAge` seconds). A missing cookie or a bad or expired signature returns `default` when
   * given, else throws (CookieNotFound, BadSignature or SignatureExpired: a 500 if uncaught).
   *
   * @example
   * const cart = request.getSignedCookie('cart', { default: null, salt: 'shop', maxAge: 3600 });
   */
  getSignedCookie(key: string, options?: SignedCookieReadOptions): string;
  getSignedCookie<D>(key: string, options: SignedCookieReadOptions & { default: D }): string | D;
  getSignedCookie<D>(key: string, options: SignedCookieReadOptions & { default?: D } = {}): string | D {
    const hasDefault = 'default' in options;
    const value = Object.hasOwn(this.COOKIES, key) ? this.COOKIES[key] : undefined;
    if (value === undefined) {
      if (hasDefault) return options.default as D;
      throw new CookieNotFound(
        `No cookie named '${key}' in the request. Pass { default } to getSignedCookie to allow it to be missing.`,
      );
    }
    try {
      return unsignCookieValue(this.settings, key, value, {
        salt: options.salt ?? '',
        maxAge: options.maxAge,
      });
    } catch (error) {
      if (hasDefault && error instanceof BadSignature) return options.default as D;
      throw error;
    }
  }

  /** Delete temporary upload files (the host calls this once the response is sent). Never rejects. */
  close(): Promise<void> {
    return this.#body.close();
  }

  #charset(): string {
    return this.encoding ?? this.settings.DEFAULT_CHARSET;
  }

  #buildMeta(): Record<string, string> {
    const init = this.#init;
    const meta: Record<string, string> = {};
    const headers = init.headers ?? {};
    const names = Object.keys(headers);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const value = headers[name];
      // Names with "_" would collide with "-" in META: dropped to prevent spoofing, as Django does.
      if (value === undefined || name.includes('_')) continue;
      const text = Array.isArray(value) ? value.join(',') : String(value);
      if (name.startsWith(':')) {
        if (name === ':authority' && headers.host === undefined) meta.HTTP_HOST = text; // HTTP/2
        continue;
      }
      meta[toWsgiName(name)] = text;
    }
    meta.REQUEST_METHOD = this.method;
    meta.QUERY_STRING = init.queryString ?? '';
    meta.PATH_INFO = this.pathInfo;
    meta.SCRIPT_NAME = this.scriptName;
    meta.SERVER_NAME = init.serverName ?? 'unknown';
    meta.SERVER_PORT = String(init.serverPort ?? (init.scheme === 'https' ? 443 : 80));
    meta.REMOTE_ADDR = init.remoteAddr ?? '';
    meta.REMOTE_HOST = init.remoteAddr ?? '';
    meta.REMOTE_PORT = init.remotePort === undefined ? '' : String(init.remotePort);
    // gunicorn's RAW_URI: the request target as sent, before any decoding. Signatures over the
    // URL (Twilio's) need the client's own escapes, which decoding and re-quoting would change.
    meta.RAW_URI = `${init.scriptName ?? ''}${init.path}${meta.QUERY_STRING ? `?${meta.QUERY_STRING}` : ''}`;
    return meta;
  }

  #loadPostAndFiles(): void {
    if (this.method !== 'POST' || this.#postParseError) {
      this.#post = new QueryDict(null, { encoding: this.#charset() });
      this.#files ??= new MultiValueDict();
      return;
    }
    try {
      if (this.contentType === 'multipart/form-data') {
        this.#loadMultipart();
      } else if (this.contentType === 'application/x-www-form-urlencoded') {
        // RFC 1866: urlencoded data has no charset and is always UTF-8.
        if (this.encoding !== null && normalizeEncoding(this.encoding) !== 'utf-8') {
          throw new BadRequest(
            "HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded.",
          );
        }
        this.#post = new QueryDict(this.#body.bytes(), {
          encoding: 'utf-8',
          maxNumFields: this.settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        });
        this.#files ??= new MultiValueDict();
      } else {
        this.#post = new QueryDict(null, { encoding: this.#charset() });
        this.#files ??= new MultiValueDict();
      }
    } catch (error) {
      if (POST_PARSE_ERRORS.some((kind) => error instanceof kind)) this.#postParseError = true;
      throw error;
    }
  }

  #loadMultipart(): void {
    multipartBoundary(this.META.CONTENT_TYPE ?? '');
    const data = this.#body.multipart();
    const encoding = this.#charset();
    const decode = (bytes: string) =>
      WIDE.test(bytes) ? bytes : decodeBytes(Buffer.from(bytes, 'latin1'), encoding);
    if (data === null && this.#body.bytes().length > 0) {
      throw new MultiPartParserError(
        'This multipart/form-data body was not parsed when it was read: build the RequestBody with readBody() for a POST request with the same headers.',
      );
    }
    this.#post = QueryDict.fromPairs(
      (data?.fields ?? []).map(({ name, value }) => [decode(name), decodeBytes(value, encoding)]),
      { encoding },
    );
    if (this.#files === undefined) {
      const files = new MultiValueDict<UploadedFile>();
      for (const { fieldName, fileName, file } of data?.files ?? []) {
        const name = sanitizeFileName(decode(fileName));
        if (name === null) continue;
        file.name = name;
        file.fieldName = decode(fieldName);
        files.appendlist(file.fieldName, file);
      }
      this.#files = files;
    }
  }

  #rawHost(): string {
    const meta = this.META;
    if (this.settings.USE_X_FORWARDED_HOST && meta.HTTP_X_FORWARDED_HOST !== undefined) {
      return meta.HTTP_X_FORWARDED_HOST;
    }
    if (meta.HTTP_HOST !== undefined) return meta.HTTP_HOST;
    // Reconstructed from SERVER_NAME and the port, as PEP 3333 describes.
    const port = this.getPort();
    return port === (this.isSecure() ? '443' : '80')
      ? (meta.SERVER_NAME ?? '')
      : `${meta.SERVER_NAME}:${port}`;
  }

  #fullPath(path: string, forceAppendSlash: boolean): string {
    const query = this.META.QUERY_STRING ?? '';
    // RFC 3986 wants an ASCII query string; encode defensively rather than fail.
    return `${escapeUriPath(path)}${forceAppendSlash && !path.endsWith('/') ? '/' : ''}${query ? `?${iriToUri(query)}` : ''}`;
  }
}

/** Django's `is_same_domain`: exact match, or `.example.com` for it and its subdomains. */
function isSameDomain(host: string, pattern: string): boolean {
  if (!pattern) return false;
  const p = pattern.toLowerCase();
  return (p[0] === '.' && (host.endsWith(p) || host === p.slice(1))) || p === host;
}

/**
 * Node gives the request target one character per byte (latin-1). Put non-ASCII back as
 * percent-escaped bytes before decoding, so invalid UTF-8 stays percent-encoded as in Django;
 * characters above U+00FF (a JS caller's own text) are escaped as UTF-8.
 */
function decodeWirePath(raw: string): string {
  if (!NON_ASCII.test(raw)) return decodePath(raw);
  const wide = WIDE.test(raw);
  return decodePath(
    raw.replace(/[^\p{ASCII}]+/gu, (run) =>
      [...Buffer.from(run, wide ? 'utf8' : 'latin1')]
        .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
        .join(''),
    ),
  );
}

/** A query string from the wire as bytes (so invalid UTF-8 falls back to latin-1, as in Django). */
function wireBytes(query: string): string | Buffer {
  if (!NON_ASCII.test(query) || WIDE.test(query)) return query;
  return Buffer.from(query, 'latin1');
}

interface SplitUrl {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

/** Python's `urlsplit` (enough of it for `buildAbsoluteUri`). */
function urlsplit(url: string, defaultScheme = ''): SplitUrl {
  // Like Python: leading C0 controls and spaces are stripped, TAB/CR/LF removed anywhere.
  let start = 0;
  while (start < url.length && url.charCodeAt(start) <= 0x20) start++;
  const clean = url.slice(start).replace(/[\t\r\n]/g, '');
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(\/\/[^/?#]*)?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(clean);
  return {
    scheme: m?.[1]?.toLowerCase() ?? defaultScheme,
    netloc: m?.[2]?.slice(2) ?? '',
    path: m?.[3] ?? '',
    query: m?.[4] ?? '',
    fragment: m?.[5] ?? '',
  };
}

function urlunsplit({ scheme, netloc, path, query, fragment }: SplitUrl): string {
  let url = path;
  if (netloc || (scheme && !url.startsWith('//')))
    url = `//${netloc}${url && !url.startsWith('/') ? '/' : ''}${url}`;
  if (scheme) url = `${scheme}:${url}`;
  if (query) url += `?${query}`;
  if (fragment) url += `#${fragment}`;
  return url;
}

/** Python's `urljoin` for an http(s) base (RFC 3986 §5.2 with Python's quirks). */
function urljoin(base: string, url: string): string {
  if (!url) return base;
  const b = urlsplit(base);
  const u = urlsplit(url, b.scheme);
  if (u.scheme !== b.scheme || !['http', 'https'].includes(u.scheme)) return url;
  if (u.netloc) return urlunsplit(u);
  u.netloc = b.netloc;
  if (!u.path) return urlunsplit({ ...u, path: b.path, query: u.query || b.query });
  const baseParts = b.path.split('/');
  if (baseParts[baseParts.length - 1] !== '') baseParts.pop();
  let segments: string[];
  if (u.path.startsWith('/')) {
    segments = u.path.split('/');
  } else {
    // Drop empty middle segments, which would make "//" when joined (Python does the same).
    const all = [...baseParts, ...u.path.split('/')];
    segments =
      all.length < 3
        ? all
        : [all[0] as string, ...all.slice(1, -1).filter(Boolean), all[all.length - 1] as string];
  }
  const resolved: string[] = [];
  for (const seg of segments) {
    if (seg === '..') resolved.pop();
    else if (seg !== '.') resolved.push(seg);
  }
  const last = segments[segments.length - 1];
  if (last === '.' || last === '..') resolved.push('');
  return urlunsplit({ ...u, path: resolved.join('/') || '/' });
}
