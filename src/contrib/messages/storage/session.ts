/**
 * `SessionStorage` (Django's `django/contrib/messages/storage/session.py`): the messages live
 * in the session, under `_messages`, as the JSON text Django stores there, so no size limit
 * applies. Needs SessionMiddleware before MessageMiddleware.
 *
 * @module
 */
import { ImproperlyConfigured } from '../../../exceptions.ts';
import type { HttpRequest } from '../../../http/request.ts';
import type { HttpResponseBase } from '../../../http/response.ts';
import { pythonJsonDumps } from '../../../utils/json.ts';
import { Message, reviveMessages } from '../message.ts';
import { BaseStorage, type LoadedMessages } from './base.ts';

/** What this storage needs from `request.session` (SessionMiddleware's session has it). */
interface MessageSession {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  pop(key: string, defaultValue: unknown): unknown;
}

/**
 * Messages in the session: `MESSAGE_STORAGE: 'session'`.
 *
 * @example
 * export default defineSettings({
 *   MIDDLEWARE: [SessionMiddleware, MessageMiddleware],
 *   MESSAGE_STORAGE: 'session',
 * });
 */
export class SessionStorage extends BaseStorage {
  /** The session key (Django's). */
  static sessionKey = '_messages';

  readonly #session: MessageSession;

  constructor(request: HttpRequest) {
    const session = (request as { session?: Partial<MessageSession> }).session;
    if (!session || typeof session.get !== 'function' || typeof session.set !== 'function') {
      throw new ImproperlyConfigured(
        'The session-based temporary message storage requires session middleware to be installed, and come before the message middleware in the MIDDLEWARE list: MIDDLEWARE: [SessionMiddleware, MessageMiddleware].',
      );
    }
    super(request);
    this.#session = session as MessageSession;
  }

  get #key(): string {
    return (this.constructor as typeof SessionStorage).sessionKey;
  }

  loadMessages(): LoadedMessages {
    return [this.#deserialize(this.#session.get(this.#key)), true];
  }

  storeMessages(messages: Message[], _response: HttpResponseBase): Message[] {
    if (messages.length > 0) this.#session.set(this.#key, pythonJsonDumps(messages));
    else this.#session.pop(this.#key, undefined);
    return [];
  }

  #deserialize(data: unknown): Message[] | null {
    if (data === undefined || data === null || data === '') return null;
    try {
      const decoded = reviveMessages(typeof data === 'string' ? JSON.parse(data) : data, this.levelTags);
      if (Array.isArray(decoded) && decoded.every((m) => m instanceof Message)) return decoded as Message[];
    } catch {
      // Not what this storage writes: no messages (the key is replaced on the next store).
    }
    return null;
  }
}
