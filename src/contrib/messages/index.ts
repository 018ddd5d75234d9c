/**
 * `koa-django/contrib/messages` (Django's `django.contrib.messages`): one-time notifications
 * ("Profile saved.") shown by the next page the user sees. See `docs/messages.md`.
 *
 * Importing this module adds `_messages` (the storage MessageMiddleware attaches) to the
 * `HttpRequest` type.
 *
 * @example
 * import * as messages from 'koa-django/contrib/messages';
 * export async function save(request: HttpRequest) {
 *   messages.success(request, 'Profile details updated.');
 *   return new HttpResponseRedirect('/profile/');
 * }
 *
 * @module
 */
import type { BaseStorage } from './storage/base.ts';

declare module '../../http/request.ts' {
  interface HttpRequest {
    /** This request's message storage (set by MessageMiddleware). */
    _messages?: BaseStorage;
  }
}

export {
  type AddMessageOptions,
  addMessage,
  debug,
  error,
  getLevel,
  getMessages,
  info,
  setLevel,
  success,
  warning,
} from './api.ts';
export * as constants from './constants.ts';
export {
  DEBUG,
  DEFAULT_LEVELS,
  DEFAULT_TAGS,
  ERROR,
  getLevelTags,
  INFO,
  SUCCESS,
  WARNING,
} from './constants.ts';
export { messagesContextProcessor } from './context-processors.ts';
export { MessageFailure } from './exceptions.ts';
export { MESSAGE_KEY, Message, type MessageOptions, reviveMessages } from './message.ts';
export { MessageMiddleware } from './middleware.ts';
export { BaseStorage, type LoadedMessages } from './storage/base.ts';
export { CookieStorage, NOT_FINISHED } from './storage/cookie.ts';
export { messageStorage, type StorageClass } from './storage/default-storage.ts';
export { FallbackStorage } from './storage/fallback.ts';
export { SessionStorage } from './storage/session.ts';
