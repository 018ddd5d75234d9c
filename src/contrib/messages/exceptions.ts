/**
 * The error of `koa-django/contrib/messages` (Django's `MessageFailure`).
 *
 * @module
 */
import { KoaDjangoError } from '../../exceptions.ts';

/**
 * A message could not be added or stored: MessageMiddleware is not installed (pass
 * `{ failSilently: true }` to ignore that), or, with DEBUG, not every message fitted in the
 * storage.
 *
 * @example
 * messages.info(request, 'Saved.', { failSilently: true }); // no MessageFailure without the middleware
 */
export class MessageFailure extends KoaDjangoError {
  override readonly code = 'KD_MESSAGE_FAILURE';
}
