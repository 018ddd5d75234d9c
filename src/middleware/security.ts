/**
 * `SecurityMiddleware` (Django's `django/middleware/security.py`):
 *
 * - `SECURE_SSL_REDIRECT`: 301 from http to `https://<SECURE_SSL_HOST or host><full path>`,
 *   except for paths (without the leading `/`) matching a `SECURE_REDIRECT_EXEMPT` pattern;
 * - `SECURE_HSTS_SECONDS` (+ `_INCLUDE_SUBDOMAINS`, `_PRELOAD`): `Strict-Transport-Security` on
 *   secure responses only (browsers ignore it over http);
 * - `SECURE_CONTENT_TYPE_NOSNIFF`: `X-Content-Type-Options: nosniff`;
 * - `SECURE_REFERRER_POLICY` (a string, comma-separated string or list): `Referrer-Policy`;
 * - `SECURE_CROSS_ORIGIN_OPENER_POLICY`: `Cross-Origin-Opener-Policy`.
 *
 * Headers a view already set are kept. "Secure" is `request.isSecure()`, so behind a TLS proxy
 * set `SECURE_PROXY_SSL_HEADER` (e.g. `['HTTP_X_FORWARDED_PROTO', 'https']`), or every request
 * looks like http and SECURE_SSL_REDIRECT loops.
 *
 * @module
 */
import type { Settings } from '../conf/index.ts';
import type { HttpRequest } from '../http/request.ts';
import type { HttpResponseBase } from '../http/response.ts';
import { HttpResponsePermanentRedirect } from '../http/responses.ts';
import { compilePieces, fromRegExp } from '../urls/python-regex.ts';
import { type GetResponse, MiddlewareMixin } from './base.ts';

/** The settings SecurityMiddleware reads, compiled once per Settings object. */
interface SecurityConfig {
  readonly hsts: string | null;
  readonly nosniff: boolean;
  readonly redirect: boolean;
  readonly redirectHost: string | null;
  readonly redirectExempt: readonly RegExp[];
  readonly referrerPolicy: string | null;
  readonly crossOriginOpenerPolicy: string | null;
}

const configs = new WeakMap<Settings, SecurityConfig>();

function configFor(settings: Settings): SecurityConfig {
  let config = configs.get(settings);
  if (config) return config;
  let hsts: string | null = null;
  if (settings.SECURE_HSTS_SECONDS) {
    hsts = `max-age=${settings.SECURE_HSTS_SECONDS}`;
    if (settings.SECURE_HSTS_INCLUDE_SUBDOMAINS) hsts += '; includeSubDomains';
    if (settings.SECURE_HSTS_PRELOAD) hsts += '; preload';
  }
  const policy = settings.SECURE_REFERRER_POLICY;
  const policies = typeof policy === 'string' ? policy.split(',').map((v) => v.trim()) : (policy ?? []);
  config = {
    hsts,
    nosniff: Boolean(settings.SECURE_CONTENT_TYPE_NOSNIFF),
    redirect: Boolean(settings.SECURE_SSL_REDIRECT),
    redirectHost: settings.SECURE_SSL_HOST || null,
    // Strings are Python regexes, as in Django's settings; searched anywhere in the path (re.search).
    redirectExempt: (settings.SECURE_REDIRECT_EXEMPT ?? []).map((pattern) =>
      compilePieces(
        [typeof pattern === 'string' ? { source: pattern, flags: '' } : fromRegExp(pattern)],
        'search',
      ),
    ),
    referrerPolicy: policy ? policies.join(',') : null,
    crossOriginOpenerPolicy: settings.SECURE_CROSS_ORIGIN_OPENER_POLICY || null,
  };
  configs.set(settings, config);
  return config;
}

/**
 * Django's `SecurityMiddleware`. Put it first in MIDDLEWARE, so its redirect happens before
 * anything else runs and its headers go on every response.
 *
 * @example
 * // settings.ts
 * MIDDLEWARE: [SecurityMiddleware, CommonMiddleware, CsrfViewMiddleware],
 * SECURE_SSL_REDIRECT: true,
 * SECURE_HSTS_SECONDS: 3600,
 * SECURE_PROXY_SSL_HEADER: ['HTTP_X_FORWARDED_PROTO', 'https'],
 */
export class SecurityMiddleware extends MiddlewareMixin {
  readonly #config: SecurityConfig | undefined;

  constructor(getResponse: GetResponse, options?: Record<string, unknown>, settings?: Settings) {
    super(getResponse, options, settings);
    // In MIDDLEWARE the settings are known now: compile the exempt patterns once, at startup.
    this.#config = settings ? configFor(settings) : undefined;
  }

  #configOf(request: HttpRequest): SecurityConfig {
    return this.#config ?? configFor(request.settings);
  }

  /** Redirect http to https (SECURE_SSL_REDIRECT), unless the path is exempt. */
  processRequest(request: HttpRequest): HttpResponseBase | null {
    const config = this.#configOf(request);
    if (!config.redirect || request.isSecure()) return null;
    const path = request.path.replace(/^\/+/, '');
    if (config.redirectExempt.some((pattern) => pattern.test(path))) return null;
    const host = config.redirectHost ?? request.getHost();
    return new HttpResponsePermanentRedirect(`https://${host}${request.getFullPath()}`);
  }

  /** Add the security headers the settings ask for (never replacing a view's own). */
  processResponse(request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
    const config = this.#configOf(request);
    if (config.hsts && !response.has('Strict-Transport-Security') && request.isSecure()) {
      response.set('Strict-Transport-Security', config.hsts);
    }
    if (config.nosniff) response.setDefault('X-Content-Type-Options', 'nosniff');
    if (config.referrerPolicy) response.setDefault('Referrer-Policy', config.referrerPolicy);
    if (config.crossOriginOpenerPolicy) {
      response.setDefault('Cross-Origin-Opener-Policy', config.crossOriginOpenerPolicy);
    }
    return response;
  }
}
