/**
 * Errors of the Twilio app's request side (`twilioView`, `decompose`). Each has a stable code,
 * listed in docs/errors.md.
 *
 * @module
 */
import { KoaDjangoError } from '../../exceptions.ts';

/**
 * `decompose()` or a `twilioView` was given something that is not an `HttpRequest`
 * (django-twilio's `NotDjangoRequestException`).
 *
 * @example
 * try { decompose(ctx as never) } catch (e) { if (e instanceof NotHttpRequest) console.error(e.message) }
 */
export class NotHttpRequest extends KoaDjangoError {
  override readonly code = 'KD_TWILIO_NOT_HTTP_REQUEST';
}
