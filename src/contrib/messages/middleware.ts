/**
 * `MessageMiddleware` (Django's `django/contrib/messages/middleware.py`): gives each request
 * its message storage (`request._messages`, of `MESSAGE_STORAGE`) and stores what is left at
 * the end. Put it after SessionMiddleware (the default `'fallback'` storage and `'session'`
 * need the session).
 *
 * @module
 */
import type { Settings } from '../../conf/index.ts';
import type { HttpRequest } from '../../http/request.ts';
import type { HttpResponseBase } from '../../http/response.ts';
import { type GetResponse, isThenable, MiddlewareMixin } from '../../middleware/base.ts';
import { MessageFailure } from './exceptions.ts';
import { BaseStorage } from './storage/base.ts';
import { messageStorage, type StorageClass } from './storage/default-storage.ts';

/**
 * Makes `messages.info(request, ...)` work, and keeps messages until a later request reads them.
 *
 * @example
 * import { SessionMiddleware } from 'koa-django/contrib/sessions';
 * import { MessageMiddleware } from 'koa-django/contrib/messages';
 * export default defineSettings({ MIDDLEWARE: [SessionMiddleware, MessageMiddleware] });
 */
export class MessageMiddleware extends MiddlewareMixin {
  constructor(getResponse: GetResponse, options?: Record<string, never>, settings?: Settings) {
    super(getResponse, options, settings);
    // In MIDDLEWARE, a wrong MESSAGE_STORAGE fails here, at startup (a specifier is imported later).
    if (settings) void messageStorage(settings);
  }

  /** Attach the storage. */
  processRequest(request: HttpRequest): void | Promise<void> {
    const attach = (Storage: StorageClass): void => {
      request._messages = new Storage(request);
    };
    const Storage = messageStorage(request.settings);
    return isThenable(Storage) ? Storage.then(attach) : attach(Storage);
  }

  /** Store the messages not yet shown. */
  processResponse(request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
    const storage = request._messages;
    // An outer middleware may have answered before processRequest ran.
    if (storage instanceof BaseStorage) {
      const unstored = storage.update(response);
      if (unstored && unstored.length > 0 && request.settings.DEBUG) {
        throw new MessageFailure(
          `Not all temporary messages could be stored: ${unstored.length} did not fit in ${storage.constructor.name}. Use MESSAGE_STORAGE 'fallback' or 'session', or add fewer or shorter messages. (Shown with DEBUG only; otherwise they are dropped.)`,
        );
      }
    }
    return response;
  }
}
