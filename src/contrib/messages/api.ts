/**
 * Adding and reading messages (Django's `django/contrib/messages/api.py`): `addMessage` and the
 * shortcuts `debug`, `info`, `success`, `warning`, `error`; `getMessages`; `getLevel` /
 * `setLevel`. Messages added during one request are shown by the next one that reads them
 * (usually after a redirect).
 *
 * @module
 */
import { HttpRequest } from '../../http/request.ts';
import { DEBUG, ERROR, INFO, SUCCESS, WARNING } from './constants.ts';
import { MessageFailure } from './exceptions.ts';
import type { Message } from './message.ts';
import type { BaseStorage } from './storage/base.ts';

/** Options of `addMessage` and its shortcuts. */
export interface AddMessageOptions {
  /** Extra CSS classes for this message (`message.tags` = extra tags + the level tag). */
  extraTags?: string;
  /** Without MessageMiddleware, do nothing instead of throwing MessageFailure (for reusable apps). */
  failSilently?: boolean;
}

function storageOf(request: HttpRequest): BaseStorage | undefined {
  return (request as { _messages?: BaseStorage })._messages;
}

/**
 * Queue a message for the user. Empty messages and levels below the storage's level are
 * ignored. Throws MessageFailure without MessageMiddleware (unless `failSilently`), and a
 * TypeError for something that is not a request.
 *
 * @example
 * addMessage(request, INFO, 'Over 9000!', { extraTags: 'dragonball' });
 */
export function addMessage(
  request: HttpRequest,
  level: number,
  message: unknown,
  options: AddMessageOptions = {},
): void {
  const storage = request instanceof HttpRequest ? storageOf(request) : undefined;
  if (storage) {
    storage.add(level, message, options.extraTags ?? '');
    return;
  }
  if (
    !(request instanceof HttpRequest) &&
    !(typeof request === 'object' && request !== null && 'META' in request)
  ) {
    const name = (request as object | null)?.constructor?.name ?? String(request);
    throw new TypeError(`addMessage() argument must be an HttpRequest object, not '${name}'.`);
  }
  if (!options.failSilently) {
    throw new MessageFailure(
      'You cannot add messages without installing MessageMiddleware: add it (from koa-django/contrib/messages) to MIDDLEWARE, after SessionMiddleware.',
    );
  }
}

/** Add a DEBUG message (dropped unless MESSAGE_LEVEL or setLevel allows it). @example debug(request, `${rows} rows`); */
export function debug(request: HttpRequest, message: unknown, options?: AddMessageOptions): void {
  addMessage(request, DEBUG, message, options);
}

/** Add an INFO message. @example info(request, 'Three credits remain in your account.'); */
export function info(request: HttpRequest, message: unknown, options?: AddMessageOptions): void {
  addMessage(request, INFO, message, options);
}

/** Add a SUCCESS message. @example success(request, 'Profile details updated.'); */
export function success(request: HttpRequest, message: unknown, options?: AddMessageOptions): void {
  addMessage(request, SUCCESS, message, options);
}

/** Add a WARNING message. @example warning(request, 'Your account expires in three days.'); */
export function warning(request: HttpRequest, message: unknown, options?: AddMessageOptions): void {
  addMessage(request, WARNING, message, options);
}

/** Add an ERROR message. @example error(request, 'Document deleted.'); */
export function error(request: HttpRequest, message: unknown, options?: AddMessageOptions): void {
  addMessage(request, ERROR, message, options);
}

/**
 * The request's messages: the storage (iterating it marks them read, so they are not shown
 * again), or an empty list without MessageMiddleware.
 *
 * @example
 * for (const message of getMessages(request)) html += `<li class="${message.tags}">${escapeHtml(message)}</li>`;
 */
export function getMessages(request: HttpRequest): BaseStorage | Message[] {
  return storageOf(request) ?? [];
}

/**
 * The lowest level stored for this request (`MESSAGE_LEVEL` unless `setLevel` changed it).
 *
 * @example
 * if (getLevel(request) <= DEBUG) debug(request, 'verbose detail');
 */
export function getLevel(request: HttpRequest): number {
  return storageOf(request)?.level ?? request.settings.MESSAGE_LEVEL;
}

/**
 * Set the lowest level stored for this request (`null`: back to `MESSAGE_LEVEL`). False
 * without MessageMiddleware.
 *
 * @example
 * setLevel(request, DEBUG);
 */
export function setLevel(request: HttpRequest, level: number | null): boolean {
  const storage = storageOf(request);
  if (!storage) return false;
  storage.level = level;
  return true;
}
