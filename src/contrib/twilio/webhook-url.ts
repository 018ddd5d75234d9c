/**
 * The URL a webhook request was sent to, as Twilio saw it: what its signature covers.
 *
 * Twilio signs the URL configured for the webhook. Behind a TLS-terminating proxy, a load
 * balancer or a tunnel, the server sees another scheme, host or port, and a naive
 * reconstruction fails every signature (django-twilio issues #62, #175, #196). So:
 *
 * - with a base URL (`TWILIO_WEBHOOK_BASE_URL` or `twilioView({ baseUrl })`): that base, then the
 *   request's path below the mount point, then its query string;
 * - otherwise Django's rules: `request.scheme` (https only via TLS or `SECURE_PROXY_SSL_HEADER`),
 *   `request.getHost()` (`X-Forwarded-Host` only with `USE_X_FORWARDED_HOST`; checked against
 *   `ALLOWED_HOSTS`), the port of `X-Forwarded-Port` only with `USE_X_FORWARDED_PORT`, then the
 *   path and the query string exactly as the request line had it (never re-sorted: see
 *   https://github.com/bmlt-enabled/yap/issues/1627).
 *
 * @module
 */
import { ImproperlyConfigured } from '../../exceptions.ts';
import type { HttpRequest } from '../../http/request.ts';
import { escapeUriPath } from '../../utils/encoding.ts';

/** A host with an optional port: `example.com:8443`, `[::1]:8000`. */
const HOST_AND_PORT = /^(\[[^\]]*\]|[^:]*)(?::\d*)?$/;

/**
 * Check and normalise a base URL setting or option: an absolute http(s) URL without a query or
 * fragment, returned without its trailing slash. Throws ImproperlyConfigured naming `source`.
 *
 * @example
 * parseBaseUrl('https://abc.ngrok.app/', 'TWILIO_WEBHOOK_BASE_URL'); // 'https://abc.ngrok.app'
 */
export function parseBaseUrl(value: unknown, source: string): string {
  const problem = baseUrlProblem(value);
  if (problem) {
    throw new ImproperlyConfigured(
      `${source} ${JSON.stringify(value)} ${problem}. Give the public URL Twilio calls, without the webhook's own path, e.g. 'https://abc.ngrok.app' or 'https://example.com/twilio'.`,
    );
  }
  return (value as string).replace(/\/+$/, '');
}

/** Why `value` is not a usable base URL, or `null` when it is. */
export function baseUrlProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return 'is not a URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must start with https:// or http://';
  if (url.search || url.hash || value.includes('?') || value.includes('#'))
    return 'must not have a query string or fragment';
  return null;
}

/**
 * The absolute URL `request` was sent to (see the module comment for the rules). Throws
 * DisallowedHost (a 400) when the host is not in `ALLOWED_HOSTS` and no base URL is given.
 *
 * @example
 * webhookUrl(request);                            // 'https://example.com/sms/?x=1'
 * webhookUrl(request, 'https://abc.ngrok.app');   // 'https://abc.ngrok.app/sms/?x=1'
 */
export function webhookUrl(request: HttpRequest, baseUrl?: string | null): string {
  const query = wireText(request.META.QUERY_STRING ?? '');
  const search = query ? `?${query}` : '';
  if (baseUrl) return `${baseUrl}${wirePathBelowMount(request)}${search}`;
  let host = request.getHost();
  const settings = request.settings;
  if (settings.USE_X_FORWARDED_PORT && request.META.HTTP_X_FORWARDED_PORT !== undefined) {
    const port = request.getPort().split(',', 1)[0]?.trim() ?? '';
    if (/^\d{1,5}$/.test(port)) host = `${HOST_AND_PORT.exec(host)?.[1] ?? host}:${port}`;
  }
  return `${request.scheme}://${host}${wirePath(request)}${search}`;
}

/**
 * The path exactly as the request line had it (META.RAW_URI), so the client's own escapes
 * (`%7E`, lower-case hex...) are what gets signed; re-quoting the decoded path only when a
 * request was built without one.
 */
function wirePath(request: HttpRequest): string {
  const raw = request.META.RAW_URI;
  if (raw === undefined || !raw.startsWith('/')) return escapeUriPath(request.path);
  const query = raw.indexOf('?');
  return wireText(query === -1 ? raw : raw.slice(0, query));
}

/** The raw path below the mount point (`djangoMiddleware({ prefix })`), for a base URL. */
function wirePathBelowMount(request: HttpRequest): string {
  const path = wirePath(request);
  const mount = escapeUriPath(request.scriptName.replace(/\/+$/, ''));
  if (mount === '') return path;
  return path.startsWith(mount) ? path.slice(mount.length) || '/' : escapeUriPath(request.pathInfo);
}

/**
 * Node hands over the request line one character per byte; Twilio signed text, so UTF-8 bytes
 * are read back as UTF-8 (anything else is left as it came).
 */
function wireText(raw: string): string {
  if (!/[^\p{ASCII}]/u.test(raw) || /[\u0100-\uffff]/.test(raw)) return raw;
  const text = Buffer.from(raw, 'latin1').toString('utf8');
  return text.includes('\ufffd') ? raw : text;
}
