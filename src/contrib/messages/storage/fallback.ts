/**
 * `FallbackStorage` (Django's `django/contrib/messages/storage/fallback.py`), the default
 * `MESSAGE_STORAGE`: messages go in the cookie first (no server state), and those that do not
 * fit in its 2048 bytes overflow into the session. Needs SessionMiddleware before
 * MessageMiddleware, as in Django.
 *
 * One deliberate difference: a messages cookie that does not verify is deleted on the next
 * response, as CookieStorage alone does (Django's FallbackStorage leaves it in place).
 *
 * @module
 */
import type { HttpRequest } from '../../../http/request.ts';
import type { HttpResponseBase } from '../../../http/response.ts';
import type { Message } from '../message.ts';
import { BaseStorage, type LoadedMessages } from './base.ts';
import { CookieStorage } from './cookie.ts';
import { SessionStorage } from './session.ts';

/**
 * Cookie first, session for the overflow: `MESSAGE_STORAGE: 'fallback'` (the default).
 *
 * @example
 * export default defineSettings({ MIDDLEWARE: [SessionMiddleware, MessageMiddleware] });
 */
export class FallbackStorage extends BaseStorage {
  /** The storages tried in order. */
  static storageClasses: ReadonlyArray<new (request: HttpRequest) => BaseStorage> = [
    CookieStorage,
    SessionStorage,
  ];

  readonly storages: BaseStorage[];
  readonly #usedStorages = new Set<BaseStorage>();

  constructor(request: HttpRequest) {
    super(request);
    this.storages = (this.constructor as typeof FallbackStorage).storageClasses.map(
      (Storage) => new Storage(request),
    );
  }

  loadMessages(): LoadedMessages {
    const all: Message[] = [];
    let allRetrieved = true;
    for (const storage of this.storages) {
      const [messages, retrieved] = storage.loadMessages();
      allRetrieved = retrieved;
      if (storage.used) {
        // It found invalid data: clear it on the way out.
        this.#usedStorages.add(storage);
        this.used = true;
      }
      // This storage was never written to: the later ones were not either.
      if (messages === null) break;
      if (messages.length > 0) this.#usedStorages.add(storage);
      all.push(...messages);
      // This storage held all the messages: no need to look further.
      if (allRetrieved) break;
    }
    return [all, allRetrieved];
  }

  storeMessages(messages: Message[], response: HttpResponseBase): Message[] {
    let rest = messages;
    for (const storage of this.storages) {
      if (rest.length > 0) {
        rest = storage.storeMessages(rest, response, false);
      } else if (this.#usedStorages.has(storage)) {
        // Keep going with nothing left, so storages that held messages are emptied.
        storage.storeMessages([], response);
        this.#usedStorages.delete(storage);
      }
    }
    return rest;
  }
}
