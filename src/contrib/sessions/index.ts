/**
 * `koa-django/contrib/sessions` (Django's `django.contrib.sessions`): `SessionMiddleware`, the
 * `request.session` it adds, and the `db` and `signed_cookies` backends. See `docs/sessions.md`.
 *
 * Importing this module adds `session` to the `HttpRequest` type (declaration merging); the
 * property exists at run time once SessionMiddleware has run.
 *
 * @example
 * import { SessionMiddleware } from 'koa-django/contrib/sessions';
 * // settings: MIDDLEWARE: [SessionMiddleware], SESSION_ENGINE: 'db' | 'signed_cookies'
 * export async function counter(request: HttpRequest) {
 *   const visits = request.session.get<number>('visits', 0) + 1;
 *   request.session.set('visits', visits);
 *   return new HttpResponse(`Visit number ${visits}`);
 * }
 *
 * @module
 */
import type { SessionBase } from './base.ts';

declare module '../../http/request.ts' {
  interface HttpRequest {
    /** This request's session (set by SessionMiddleware). */
    session: SessionBase;
  }
}

export { DbSessionStore, SESSION_TABLE } from './backends/db.ts';
export { SIGNED_COOKIES_SALT, SignedCookieSessionStore } from './backends/signed-cookies.ts';
export {
  type ExpiryOptions,
  parsePythonIsoformat,
  pythonIsoformat,
  SessionBase,
  type SessionExpiry,
  type SessionStoreClass,
  VALID_KEY_CHARS,
} from './base.ts';
export { sessionEngine } from './engine.ts';
export {
  CreateError,
  SessionInterrupted,
  SessionNotLoaded,
  SuspiciousSession,
  UpdateError,
} from './exceptions.ts';
export { SessionMiddleware } from './middleware.ts';
