/**
 * `SessionMiddleware` (Django's `django/contrib/sessions/middleware.py`): gives every request a
 * `request.session` and, on the way out, saves it and sends, refreshes or deletes the session
 * cookie.
 *
 * Loading: Django loads a session lazily, on first use. Our views use the session
 * synchronously, so `processRequest` loads it up front instead, and only when the request
 * carries a session cookie: requests without one (first visits, Twilio webhooks) cost nothing;
 * a request with one costs one primary-key lookup (`db`) or one signature check
 * (`signed_cookies`) even if the view does not use the session. A side effect Django does not
 * have: a cookie naming a session that is gone or invalid is cleaned up (deleted, or replaced
 * by a fresh empty session) on that response, whether or not the view looked at the session.
 *
 * On the response, as Django: a session emptied during the request deletes the cookie; a
 * session that was read adds `Vary: Cookie`; a modified one (or any non-empty one with
 * `SESSION_SAVE_EVERY_REQUEST`) is saved unless the status is 5xx, and the cookie is set with
 * the `SESSION_COOKIE_*` settings and `SESSION_COOKIE_AGE` (or no expiry with
 * `SESSION_EXPIRE_AT_BROWSER_CLOSE` / `setExpiry(0)`). A `db` session deleted meanwhile (a
 * logout in another tab) makes the save fail with `SessionInterrupted`: a 400.
 *
 * @module
 */
import type { Settings } from '../../conf/index.ts';
import type { HttpRequest } from '../../http/request.ts';
import type { HttpResponseBase } from '../../http/response.ts';
import { type GetResponse, isThenable, MiddlewareMixin } from '../../middleware/base.ts';
import { httpDate } from '../../utils/http.ts';
import { getLogger } from '../../utils/log.ts';
import { SessionBase, type SessionStoreClass } from './base.ts';
import { sessionEngine } from './engine.ts';
import { SessionInterrupted, UpdateError } from './exceptions.ts';

const logger = getLogger('koa-django.sessions');

/**
 * Requests that arrived with a session cookie, noted in processRequest: an inner middleware (a
 * per-view SignedCookiesMiddleware) may take the cookie out of `request.COOKIES`, and a flushed
 * session's cookie must still be deleted (with `signed_cookies`, the cookie is the session).
 */
const sentCookie = new WeakSet<HttpRequest>();

/**
 * Adds `request.session` (a `SessionBase` of the `SESSION_ENGINE` backend) and persists it.
 * Put it before every middleware that uses the session (MessageMiddleware,
 * CsrfViewMiddleware with `CSRF_USE_SESSIONS`).
 *
 * @example
 * import { SessionMiddleware } from 'koa-django/contrib/sessions';
 * export default defineSettings({
 *   MIDDLEWARE: [SessionMiddleware, MessageMiddleware],
 *   SESSION_ENGINE: 'signed_cookies',
 * });
 */
export class SessionMiddleware extends MiddlewareMixin {
  constructor(getResponse: GetResponse, options?: Record<string, never>, settings?: Settings) {
    super(getResponse, options, settings);
    // In MIDDLEWARE, a wrong SESSION_ENGINE fails here, at startup (a specifier is imported later).
    if (settings) void sessionEngine(settings);
  }

  /** Attach the session and load it if the request names one. */
  processRequest(request: HttpRequest): void | Promise<void> {
    const settings = request.settings;
    const name = settings.SESSION_COOKIE_NAME;
    const key = Object.hasOwn(request.COOKIES, name) ? (request.COOKIES[name] as string) : null;
    if (key !== null) sentCookie.add(request);
    const start = (Store: SessionStoreClass): void | Promise<void> => {
      const session = new Store(key, settings);
      request.session = session;
      if (!session.isLoaded) return session.ensureLoaded().then(() => undefined);
    };
    const Store = sessionEngine(settings);
    return isThenable(Store) ? Store.then(start) : start(Store);
  }

  /** Save the session and set, refresh or delete its cookie. */
  processResponse(
    request: HttpRequest,
    response: HttpResponseBase,
  ): HttpResponseBase | Promise<HttpResponseBase> {
    const session = (request as { session?: unknown }).session;
    // An outer middleware may have answered before processRequest ran.
    if (!(session instanceof SessionBase)) return response;
    if (!session.hasPendingOperations) return persist(request, response, session);
    return session.settled().then((errors) => {
      for (const error of errors) {
        logger.error(
          'A session flush() or cycleKey() the view did not await failed.',
          { path: request.path },
          error,
        );
      }
      return persist(request, response, session);
    });
  }
}

/** Django's `SessionMiddleware.process_response` once no storage operation is running. */
function persist(
  request: HttpRequest,
  response: HttpResponseBase,
  session: SessionBase,
): HttpResponseBase | Promise<HttpResponseBase> {
  const settings = request.settings;
  const name = settings.SESSION_COOKIE_NAME;
  const { accessed, modified } = session;
  const empty = session.isEmpty();

  if ((sentCookie.has(request) || Object.hasOwn(request.COOKIES, name)) && empty) {
    response.deleteCookie(name, {
      path: settings.SESSION_COOKIE_PATH,
      domain: settings.SESSION_COOKIE_DOMAIN,
      sameSite: settings.SESSION_COOKIE_SAMESITE,
    });
    patchVaryHeaders(response, ['Cookie']);
    return response;
  }
  if (accessed) patchVaryHeaders(response, ['Cookie']);
  if (!(modified || settings.SESSION_SAVE_EVERY_REQUEST) || empty) return response;

  let maxAge: number | undefined;
  let expires: string | undefined;
  if (!session.getExpireAtBrowserClose()) {
    maxAge = session.getExpiryAge();
    expires = httpDate(Date.now() / 1000 + maxAge);
  }
  // A server error may have left the data half-changed: do not save it (Django's rule).
  if (response.statusCode >= 500) return response;
  return session.save().then(
    () => {
      response.setCookie(name, session.sessionKey ?? '', {
        maxAge,
        expires,
        domain: settings.SESSION_COOKIE_DOMAIN,
        path: settings.SESSION_COOKIE_PATH,
        secure: settings.SESSION_COOKIE_SECURE,
        httpOnly: settings.SESSION_COOKIE_HTTPONLY,
        sameSite: settings.SESSION_COOKIE_SAMESITE,
      });
      return response;
    },
    (error: unknown) => {
      if (error instanceof UpdateError) {
        throw new SessionInterrupted(
          "The request's session was deleted before the request completed. The user may have logged out in a concurrent request, for example.",
          { cause: error },
        );
      }
      throw error;
    },
  );
}

/**
 * Add `headers` to the response's `Vary` unless already there (case-insensitively); `*` stays
 * `*` (Django's `patch_vary_headers`).
 */
function patchVaryHeaders(response: HttpResponseBase, headers: readonly string[]): void {
  const existing = (response.get('Vary') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const seen = new Set(existing.map((h) => h.toLowerCase()));
  const all = [...existing];
  for (const header of headers) {
    if (!seen.has(header.toLowerCase())) {
      seen.add(header.toLowerCase());
      all.push(header);
    }
  }
  response.set('Vary', all.includes('*') ? '*' : all.join(', '));
}
