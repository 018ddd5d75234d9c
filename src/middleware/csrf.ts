/**
 * Cross-site request forgery protection (Django's `django/middleware/csrf.py`, 4.1+ scheme).
 *
 * The client holds a 32-character secret in the `CSRF_COOKIE_NAME` cookie (or in the session
 * with `CSRF_USE_SESSIONS`). Pages get masked 64-character tokens from `getToken(request)`. An
 * unsafe request (anything but GET, HEAD, OPTIONS, TRACE) to a view that is not `csrfExempt`
 * must then pass, in order:
 *
 * 1. the `Origin` check, when the header is sent: this site, or one of `CSRF_TRUSTED_ORIGINS`
 *    (`'https://*.example.com'` trusts subdomains); else, for HTTPS, the strict `Referer` check
 *    (same site, `CSRF_COOKIE_DOMAIN`, or a trusted origin's host);
 * 2. the token check: the secret exists and well formed, and the `csrfmiddlewaretoken` form field
 *    (POST only) or the `CSRF_HEADER_NAME` header carries it, masked or bare.
 *
 * A refusal is `CSRF_FAILURE_VIEW(request, { reason })` (a 403 page by default), logged as a
 * warning `Forbidden (<reason>): <path>` on `koa-django.security.csrf`. Malformed cookies and
 * tokens are refusals, never errors. The cookie is (re)sent when `getToken` or `rotateToken` ran.
 *
 * @module
 */
import { type CheckMessage, registerCheck } from '../conf/checks.ts';
import type { Settings } from '../conf/index.ts';
import { DisallowedHost, ImproperlyConfigured, UnreadablePostError } from '../exceptions.ts';
import { markLogged } from '../handlers/log-response.ts';
import { HttpHeaders } from '../http/headers.ts';
import type { HttpRequest } from '../http/request.ts';
import type { HttpResponseBase } from '../http/response.ts';
import { getLogger } from '../utils/log.ts';
import { REASON_NO_CSRF_COOKIE, REASON_NO_REFERER } from '../views/csrf-failure.ts';
import type { Kwargs, View } from '../views/view.ts';
import { type GetResponse, isThenable, MiddlewareMixin } from './base.ts';
import { failureView, loadFailureView } from './csrf-failure-view.ts';
import { isSameDomain, joinUrl, splitUrl, TrustedOrigins } from './csrf-origin.ts';
import {
  CSRF_SESSION_KEY,
  CSRF_TOKEN_LENGTH,
  checkTokenFormat,
  doesTokenMatch,
  maskCipherSecret,
  newCsrfSecret,
  type TokenFormatProblem,
  unmaskCipherToken,
} from './csrf-token.ts';

declare module '../http/request.ts' {
  interface HttpRequest {
    /** Set when CsrfViewMiddleware accepted the request, so a second instance (decorator) skips it. */
    csrfProcessingDone?: boolean;
    /** Skip the CSRF checks (Django test client's `_dont_enforce_csrf_checks`); tests only. */
    dontEnforceCsrfChecks?: boolean;
  }
}

export { REASON_NO_CSRF_COOKIE, REASON_NO_REFERER } from '../views/csrf-failure.ts';
/** Reason when `Origin` is neither this site nor trusted; `%s` is the header's value. */
export const REASON_BAD_ORIGIN = 'Origin checking failed - %s does not match any trusted origins.';
/** Reason when an HTTPS request's Referer is neither this site nor trusted. */
export const REASON_BAD_REFERER = 'Referer checking failed - %s does not match any trusted origins.';
/** Reason when neither the form field nor the header carries a token. */
export const REASON_CSRF_TOKEN_MISSING = 'CSRF token missing.';
/** Reason when an HTTPS request's Referer has no scheme or host. */
export const REASON_MALFORMED_REFERER = 'Referer checking failed - Referer is malformed.';
/** Reason when an HTTPS request's Referer is an http:// URL. */
export const REASON_INSECURE_REFERER = 'Referer checking failed - Referer is insecure while host is secure.';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const logger = getLogger('koa-django.security.csrf');

type MaybePromise<T> = T | Promise<T>;

/**
 * What CSRF_USE_SESSIONS needs from `request.session` (SessionMiddleware's session has it):
 * `get` may answer a promise, `set` may return one.
 *
 * @example
 * const store: CsrfSessionStore = new Map<string, unknown>(); // a Map is enough in tests
 */
export interface CsrfSessionStore {
  get(key: string): unknown;
  set(key: string, value: unknown): unknown;
}

// ---------------------------------------------------------------------------------------------
// getToken / rotateToken

/** Requests whose CSRF cookie must be (re)sent by `processResponse`. */
const needsUpdate = new WeakSet<HttpRequest>();

function addNewCsrfCookie(request: HttpRequest): string {
  const secret = newCsrfSecret();
  request.META.CSRF_COOKIE = secret;
  needsUpdate.add(request);
  return secret;
}

/**
 * A masked CSRF token for this request (64 characters, different on every call), to put in a
 * form's `csrfmiddlewaretoken` field or an `X-CSRFToken` header. Creates the client's secret if
 * it has none, and marks the cookie to be sent (or renewed) with the response. The secret is
 * kept in `request.META.CSRF_COOKIE`, as in Django.
 *
 * @example
 * export function form(request: HttpRequest) {
 *   const token = getToken(request);
 *   return new HttpResponse(`<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="${token}">...`);
 * }
 */
export function getToken(request: HttpRequest): string {
  let secret = request.META.CSRF_COOKIE;
  if (secret === undefined) {
    secret = addNewCsrfCookie(request);
  } else {
    // The cookie is in use: resend it so its expiry is renewed.
    needsUpdate.add(request);
  }
  return maskCipherSecret(secret);
}

/**
 * Replace the client's CSRF secret with a new one (call it on login, as Django's `login()`
 * does), so a token an attacker planted before login stops working.
 *
 * @example
 * rotateToken(request); // the response sets a new csrftoken cookie
 */
export function rotateToken(request: HttpRequest): void {
  addNewCsrfCookie(request);
}

// ---------------------------------------------------------------------------------------------
// Per-Settings configuration, parsed once

interface CsrfConfig {
  readonly settings: Settings;
  readonly trusted: TrustedOrigins;
  /** `the 'X-Csrftoken' HTTP header`, for reasons. */
  readonly headerSource: string;
}

const configs = new WeakMap<Settings, CsrfConfig>();

function configFor(settings: Settings): CsrfConfig {
  let config = configs.get(settings);
  if (!config) {
    const header = HttpHeaders.parseHeaderName(settings.CSRF_HEADER_NAME) ?? settings.CSRF_HEADER_NAME;
    config = {
      settings,
      trusted: new TrustedOrigins(settings.CSRF_TRUSTED_ORIGINS ?? []),
      headerSource: `the '${header}' HTTP header`,
    };
    configs.set(settings, config);
  }
  return config;
}

/** The secret the client holds, or why it cannot be used. */
type SecretResult =
  | { secret: string | null; problem?: undefined }
  | { secret?: undefined; problem: TokenFormatProblem };

function sessionOf(request: HttpRequest): CsrfSessionStore {
  const session = (request as unknown as { session?: Partial<CsrfSessionStore> }).session;
  if (!session || typeof session.get !== 'function' || typeof session.set !== 'function') {
    throw new ImproperlyConfigured(
      'CSRF_USE_SESSIONS is enabled, but request.session is not set. SessionMiddleware must appear before CsrfViewMiddleware in MIDDLEWARE.',
    );
  }
  return session as CsrfSessionStore;
}

function interpretSecret(value: unknown): SecretResult {
  if (value === undefined || value === null) return { secret: null };
  if (typeof value !== 'string') return { problem: 'has invalid characters' };
  const problem = checkTokenFormat(value);
  if (problem) return { problem };
  // Django before 4.1 stored a masked 64-character token: accept it as its secret.
  return { secret: value.length === CSRF_TOKEN_LENGTH ? unmaskCipherToken(value) : value };
}

function readSecret(request: HttpRequest, settings: Settings): MaybePromise<SecretResult> {
  if (settings.CSRF_USE_SESSIONS) {
    const value = sessionOf(request).get(CSRF_SESSION_KEY);
    return isThenable(value) ? Promise.resolve(value).then(interpretSecret) : interpretSecret(value);
  }
  const cookies = request.COOKIES;
  const name = settings.CSRF_COOKIE_NAME;
  return interpretSecret(Object.hasOwn(cookies, name) ? cookies[name] : undefined);
}

/** Django's `patch_vary_headers(response, ['Cookie'])`. */
function varyOnCookie(response: HttpResponseBase): void {
  const current = response.get('Vary');
  const list = current ? current.split(/\s*,\s*/).filter(Boolean) : [];
  if (!list.some((h) => h.toLowerCase() === 'cookie')) list.push('Cookie');
  response.set('Vary', list.includes('*') ? '*' : list.join(', '));
}

function format(template: string, value: string): string {
  // A function replacement: a string one would expand `$&`, `$'`... in the client's header.
  return template.replace('%s', () => value);
}

// ---------------------------------------------------------------------------------------------
// The middleware

/**
 * Django's `CsrfViewMiddleware`: refuses unsafe requests without a valid CSRF token, and sends
 * the CSRF cookie when a token was used. Per view: `csrfProtect`, `requiresCsrfToken`,
 * `ensureCsrfCookie` (`koa-django/views`); opt out with `csrfExempt`.
 *
 * @example
 * // settings.ts
 * MIDDLEWARE: [SecurityMiddleware, CommonMiddleware, CsrfViewMiddleware],
 * CSRF_TRUSTED_ORIGINS: ['https://*.example.com'],
 */
export class CsrfViewMiddleware extends MiddlewareMixin {
  readonly #config: CsrfConfig | undefined;

  constructor(getResponse: GetResponse, options?: Record<string, unknown>, settings?: Settings) {
    super(getResponse, options, settings);
    // In MIDDLEWARE the settings are known now: parse CSRF_TRUSTED_ORIGINS once, at startup.
    this.#config = settings ? configFor(settings) : undefined;
  }

  #configOf(request: HttpRequest): CsrfConfig {
    return this.#config ?? configFor(request.settings);
  }

  /** Read the client's secret into `request.META.CSRF_COOKIE`; a malformed one is replaced. */
  processRequest(request: HttpRequest): MaybePromise<null> {
    const apply = (result: SecretResult): null => {
      if (result.problem) addNewCsrfCookie(request);
      else if (result.secret !== null) request.META.CSRF_COOKIE = result.secret;
      return null;
    };
    const result = readSecret(request, this.#configOf(request).settings);
    return isThenable(result) ? result.then(apply) : apply(result);
  }

  /** Accept or refuse the request before its view runs (see the module header for the order). */
  processView(
    request: HttpRequest,
    view: View,
    _args?: unknown[],
    _kwargs?: Kwargs,
  ): MaybePromise<HttpResponseBase | null> {
    if (request.csrfProcessingDone) return null;
    // Only now, after processRequest read the secret, so getToken() still works in exempt views.
    if (view.csrfExempt) return null;
    if (SAFE_METHODS.has(request.method)) return this.accept(request);
    if (request.dontEnforceCsrfChecks) return this.accept(request);

    const config = this.#configOf(request);
    const origin = request.META.HTTP_ORIGIN;
    if (origin !== undefined) {
      if (!this.#originVerified(request, origin, config)) {
        return this.reject(request, format(REASON_BAD_ORIGIN, origin));
      }
    } else if (request.isSecure()) {
      // Without Origin, a browser's HTTPS request must show where it came from (man-in-the-middle
      // on an HTTP subdomain could otherwise set the cookie and post here).
      const problem = this.#refererProblem(request, config);
      if (problem) return this.reject(request, problem);
    }
    const finish = (problem: string | null) =>
      problem ? this.reject(request, problem) : this.accept(request);
    const problem = this.#tokenProblem(request, config);
    return isThenable(problem) ? problem.then(finish) : finish(problem);
  }

  /** Send the CSRF cookie (or store the secret in the session) if a token was handed out. */
  processResponse(request: HttpRequest, response: HttpResponseBase): MaybePromise<HttpResponseBase> {
    if (!needsUpdate.has(request)) return response;
    const settings = this.#configOf(request).settings;
    const secret = request.META.CSRF_COOKIE as string;
    // Cleared now, so a second instance (decorator + MIDDLEWARE) does not set it again.
    needsUpdate.delete(request);
    if (settings.CSRF_USE_SESSIONS) {
      const session = sessionOf(request);
      const store = (current: unknown) => {
        if (current === secret) return response;
        const done = session.set(CSRF_SESSION_KEY, secret);
        return isThenable(done) ? Promise.resolve(done).then(() => response) : response;
      };
      const current = session.get(CSRF_SESSION_KEY);
      return isThenable(current) ? Promise.resolve(current).then(store) : store(current);
    }
    response.setCookie(settings.CSRF_COOKIE_NAME, secret, {
      maxAge: settings.CSRF_COOKIE_AGE,
      domain: settings.CSRF_COOKIE_DOMAIN,
      path: settings.CSRF_COOKIE_PATH,
      secure: settings.CSRF_COOKIE_SECURE,
      httpOnly: settings.CSRF_COOKIE_HTTPONLY,
      sameSite: settings.CSRF_COOKIE_SAMESITE,
    });
    // The page holds a token derived from this cookie: caches must not share it.
    varyOnCookie(response);
    return response;
  }

  /** Let the request through (and remember that it was checked). */
  protected accept(request: HttpRequest): null {
    request.csrfProcessingDone = true;
    return null;
  }

  /**
   * Refuse the request: the failure view's response, logged on `koa-django.security.csrf`.
   * Subclasses may return `null` to let the view run anyway (`requiresCsrfToken`).
   */
  protected reject(request: HttpRequest, reason: string): MaybePromise<HttpResponseBase | null> {
    const log = (response: HttpResponseBase): HttpResponseBase => {
      const extra = { status: response.statusCode, request, reason };
      const message = `Forbidden (${reason}): ${request.path}`;
      if (response.statusCode >= 500) logger.error(message, extra);
      else logger.warning(message, extra);
      // Already logged here: the pipeline's koa-django.request log skips it.
      markLogged(response);
      return response;
    };
    const render = (view: View): MaybePromise<HttpResponseBase> => {
      const response = view(request, { reason });
      return isThenable(response) ? response.then(log) : log(response);
    };
    const view = failureView(this.#configOf(request).settings);
    return isThenable(view) ? view.then(render) : render(view);
  }

  #originVerified(request: HttpRequest, origin: string, config: CsrfConfig): boolean {
    let goodOrigin: string | null = null;
    try {
      goodOrigin = `${request.isSecure() ? 'https' : 'http'}://${request.getHost()}`;
    } catch (error) {
      if (!(error instanceof DisallowedHost)) throw error;
    }
    return config.trusted.allowsOrigin(origin, goodOrigin);
  }

  #refererProblem(request: HttpRequest, config: CsrfConfig): string | null {
    const raw = request.META.HTTP_REFERER;
    if (raw === undefined) return REASON_NO_REFERER;
    const referer = splitUrl(raw);
    if (!referer?.scheme || !referer.netloc) return REASON_MALFORMED_REFERER;
    if (referer.scheme !== 'https') return REASON_INSECURE_REFERER;
    if (config.trusted.allowsRefererHost(referer.netloc)) return null;
    const settings = config.settings;
    const bad = format(REASON_BAD_REFERER, joinUrl(referer));
    let good = settings.CSRF_USE_SESSIONS ? settings.SESSION_COOKIE_DOMAIN : settings.CSRF_COOKIE_DOMAIN;
    if (good === null || good === undefined) {
      // No cookie domain: only this exact host:port, if ALLOWED_HOSTS permits it.
      try {
        good = request.getHost();
      } catch (error) {
        if (error instanceof DisallowedHost) return bad;
        throw error;
      }
    } else {
      const port = request.getPort();
      if (port !== '443' && port !== '80') good = `${good}:${port}`;
    }
    return isSameDomain(referer.netloc, good) ? null : bad;
  }

  #tokenProblem(request: HttpRequest, config: CsrfConfig): MaybePromise<string | null> {
    // Read the client's secret again (not META.CSRF_COOKIE): an authentication middleware may
    // have rotated the token in processRequest, and the client's form carries the old one.
    const result = readSecret(request, config.settings);
    return isThenable(result)
      ? result.then((r) => this.#compareToken(request, config, r))
      : this.#compareToken(request, config, result);
  }

  #compareToken(request: HttpRequest, config: CsrfConfig, result: SecretResult): string | null {
    if (result.problem) return `CSRF cookie ${result.problem}.`;
    const secret = result.secret;
    // No cookie: refuse every unsafe request, which also stops login CSRF.
    if (secret === null) return REASON_NO_CSRF_COOKIE;

    let token = '';
    if (request.method === 'POST') {
      try {
        const field = request.POST.get('csrfmiddlewaretoken', '');
        token = typeof field === 'string' ? field : '';
      } catch (error) {
        // The client went away mid-body: treat as missing (a 403 nobody will read) rather than fail.
        if (!(error instanceof UnreadablePostError)) throw error;
      }
    }
    let source = 'POST';
    if (token === '') {
      const header = request.META[config.settings.CSRF_HEADER_NAME];
      if (header === undefined) return REASON_CSRF_TOKEN_MISSING;
      token = header;
      source = config.headerSource;
    }
    const problem = checkTokenFormat(token);
    if (problem) return `CSRF token from ${source} ${problem}.`;
    if (!doesTokenMatch(token, secret)) return `CSRF token from ${source} incorrect.`;
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Startup checks

function usesCsrfMiddleware(settings: Settings): boolean {
  return (settings.MIDDLEWARE ?? []).some((entry) => {
    const ref = Array.isArray(entry) ? entry[0] : entry;
    if (typeof ref === 'string') return ref.endsWith('#CsrfViewMiddleware');
    return (
      ref === CsrfViewMiddleware || (typeof ref === 'function' && ref.prototype instanceof CsrfViewMiddleware)
    );
  });
}

registerCheck(async (settings) => {
  const found: CheckMessage[] = [];
  for (const origin of settings.CSRF_TRUSTED_ORIGINS ?? []) {
    if (typeof origin !== 'string' || !origin.includes('://')) {
      found.push({
        id: '4_0.E001',
        level: 'error',
        message: `The values in the CSRF_TRUSTED_ORIGINS setting must start with a scheme (usually http:// or https://) but found ${JSON.stringify(origin)}.`,
        hint: "e.g. CSRF_TRUSTED_ORIGINS: ['https://example.com', 'https://*.example.com'].",
      });
    }
  }
  const view = settings.CSRF_FAILURE_VIEW;
  if (typeof view === 'string') {
    try {
      await loadFailureView(settings, view);
    } catch (error) {
      found.push({
        id: 'csrf.E001',
        level: 'error',
        message: `The CSRF failure view '${view}' could not be loaded: ${(error as Error)?.message ?? error}`,
        hint: "Give CSRF_FAILURE_VIEW as 'module#export' (relative to BASE_DIR), a function, or null.",
      });
    }
  } else if (view !== null && view !== undefined && typeof view !== 'function') {
    found.push({
      id: 'csrf.E001',
      level: 'error',
      message: `CSRF_FAILURE_VIEW must be a view function, a 'module#export' string or null, not ${typeof view}.`,
    });
  }
  if (
    !settings.DEBUG &&
    !settings.CSRF_USE_SESSIONS &&
    !settings.CSRF_COOKIE_SECURE &&
    usesCsrfMiddleware(settings)
  ) {
    found.push({
      id: 'security.W016',
      level: 'warning',
      message:
        'You have CsrfViewMiddleware in your MIDDLEWARE, but you have not set CSRF_COOKIE_SECURE to true. Using a secure-only CSRF cookie makes it more difficult for network traffic sniffers to steal the CSRF token.',
      hint: 'Set CSRF_COOKIE_SECURE: true when the site is served over HTTPS.',
    });
  }
  return found;
});
