/**
 * The errors of `koa-django/contrib/sessions` (Django's `django/contrib/sessions/exceptions.py`
 * and the `CreateError` / `UpdateError` of `backends/base.py`). Each has a stable code, listed in
 * `docs/errors.md`.
 *
 * @module
 */
import { BadRequest, KoaDjangoError, SuspiciousOperation } from '../../exceptions.ts';

/**
 * The session was deleted while the request was being handled (the user logged out in another
 * tab, or `clearsessions` removed it), so SessionMiddleware could not save it: a 400.
 *
 * @example
 * // a concurrent request called `await request.session.flush()`; this one then fails to save:
 * // 400 Bad Request, "The request's session was deleted before the request completed..."
 */
export class SessionInterrupted extends BadRequest {
  override readonly code = 'KD_SESSION_INTERRUPTED';
}

/**
 * Session data whose signature does not verify (tampered, or signed with a key that is neither
 * `SECRET_KEY` nor in `SECRET_KEY_FALLBACKS`). Never thrown to a view: the session is read as
 * empty and the problem logged on `koa-django.security.SuspiciousSession`.
 *
 * @example
 * addLogHandler((r) => r.logger === 'koa-django.security.SuspiciousSession' && alert(r.message));
 */
export class SuspiciousSession extends SuspiciousOperation {
  override readonly code = 'KD_SUSPICIOUS_SESSION';
}

/**
 * `save({ mustCreate: true })` found the session key already taken. `create()` catches it and
 * draws another key; a custom backend's `save()` throws it the same way.
 *
 * @example
 * if (inserted.length === 0) throw new CreateError(`Session key ${key} already exists.`);
 */
export class CreateError extends KoaDjangoError {
  override readonly code = 'KD_SESSION_CREATE_ERROR';
}

/**
 * `save()` found no stored session to update (it was deleted meanwhile). SessionMiddleware turns
 * it into `SessionInterrupted` (400).
 *
 * @example
 * if (updated === 0) throw new UpdateError(`Session ${key} no longer exists.`);
 */
export class UpdateError extends KoaDjangoError {
  override readonly code = 'KD_SESSION_UPDATE_ERROR';
}

/**
 * The session's data was read before it was loaded from its store. SessionMiddleware loads it
 * before any view runs; a session made by hand needs `await session.ensureLoaded()` first.
 *
 * @example
 * const session = new DbSessionStore(key, settings);
 * await session.ensureLoaded();
 * session.get('cart');
 */
export class SessionNotLoaded extends KoaDjangoError {
  override readonly code = 'KD_SESSION_NOT_LOADED';
}
