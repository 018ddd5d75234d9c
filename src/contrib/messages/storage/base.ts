/**
 * `BaseStorage`: what `request._messages` is (Django's `django/contrib/messages/storage/base.py`).
 * A storage keeps the messages added during a request and hands them to the next request that
 * reads them. Subclasses implement `loadMessages()` (Django's `_get`) and `storeMessages()`
 * (`_store`).
 *
 * The protocol, as Django's: iterating marks the storage `used` (and includes messages added
 * meanwhile); at the end of the request `update(response)` stores, if it was used, only the
 * messages added after the iteration (possibly none: the cookie or session key is then
 * removed); if it was not used but messages were added, the old and new ones together;
 * otherwise nothing changes.
 *
 * @module
 */
import type { HttpRequest } from '../../../http/request.ts';
import type { HttpResponseBase } from '../../../http/response.ts';
import { getLevelTags } from '../constants.ts';
import { Message } from '../message.ts';

/** What `loadMessages` answers: the messages (null: this storage holds none) and whether they are all there. */
export type LoadedMessages = [messages: Message[] | null, allRetrieved: boolean];

/**
 * Base class of message storages. Iterate it (or `getMessages(request)`) to read the messages.
 *
 * @example
 * for (const message of getMessages(request)) console.log(message.tags, String(message));
 */
export abstract class BaseStorage implements Iterable<Message> {
  readonly request: HttpRequest;
  /** Whether the messages were read (iterated) during this request. */
  used = false;
  /** Whether a message was added during this request. */
  addedNew = false;
  #levelTags: Readonly<Record<number, string>> | undefined;
  #queued: Message[] = [];
  #loaded: Message[] | undefined;
  #level: number | undefined;

  constructor(request: HttpRequest) {
    this.request = request;
  }

  /** The level → tag map (`DEFAULT_TAGS` with `MESSAGE_TAGS`), computed on first use. */
  get levelTags(): Readonly<Record<number, string>> {
    this.#levelTags ??= getLevelTags(this.request.settings);
    return this.#levelTags;
  }

  /**
   * How many messages there are, stored and new (does not mark them used). In templates:
   * `{% if messages.length %}`.
   */
  get length(): number {
    return this.#loadedMessages().length + this.#queued.length;
  }

  /** The messages, stored first then new; marks the storage used. */
  [Symbol.iterator](): Iterator<Message> {
    this.used = true;
    const loaded = this.#loadedMessages();
    if (this.#queued.length > 0) {
      loaded.push(...this.#queued);
      this.#queued = [];
    }
    return loaded[Symbol.iterator]();
  }

  /** Whether an equal message (same level and text) is stored or queued (Django's `in`). */
  includes(message: Message): boolean {
    return (
      this.#loadedMessages().some((m) => m.equals(message)) || this.#queued.some((m) => m.equals(message))
    );
  }

  #loadedMessages(): Message[] {
    if (this.#loaded === undefined) {
      const [messages] = this.loadMessages();
      this.#loaded = messages ?? [];
    }
    return this.#loaded;
  }

  /** Read the stored messages (Django's `_get`). */
  abstract loadMessages(): LoadedMessages;

  /**
   * Store `messages` (none: clear what is stored) and answer the ones that did not fit
   * (Django's `_store`). `removeOldest` says which end to drop when space is short.
   */
  abstract storeMessages(messages: Message[], response: HttpResponseBase, removeOldest?: boolean): Message[];

  /**
   * Persist at the end of the request (MessageMiddleware calls it); answers the messages that
   * could not be stored, or undefined when nothing needed storing.
   */
  update(response: HttpResponseBase): Message[] | undefined {
    if (this.used) return this.storeMessages(this.#queued, response);
    if (this.addedNew) return this.storeMessages([...this.#loadedMessages(), ...this.#queued], response);
    return undefined;
  }

  /**
   * Queue a message, unless it is empty or below `level` (Django's `storage.add`).
   *
   * @example
   * request._messages?.add(INFO, 'Profile saved.', 'toast');
   */
  add(level: number, message: unknown, extraTags = ''): void {
    if (!message) return;
    const numeric = Number(level);
    if (!Number.isSafeInteger(numeric)) {
      throw new TypeError(`A message level must be an integer (e.g. INFO = 20), not ${String(level)}.`);
    }
    if (numeric < this.level) return;
    this.addedNew = true;
    this.#queued.push(this.newMessage(numeric, message, extraTags));
  }

  /** A Message carrying this storage's level tags. */
  protected newMessage(level: number, message: unknown, extraTags: string | null): Message {
    return new Message(level, message, extraTags, { levelTags: this.levelTags });
  }

  /** The lowest level stored: set for this request, else `MESSAGE_LEVEL`. */
  get level(): number {
    return this.#level ?? this.request.settings.MESSAGE_LEVEL;
  }

  /** Set the lowest level for this request; `null` goes back to `MESSAGE_LEVEL`. */
  set level(value: number | null) {
    if (value === null || value === undefined) {
      this.#level = undefined;
      return;
    }
    const numeric = Number(value);
    if (!Number.isSafeInteger(numeric)) {
      throw new TypeError(`A message level must be an integer (e.g. INFO = 20), not ${String(value)}.`);
    }
    this.#level = numeric;
  }

  toString(): string {
    return `<${this.constructor.name}: request=<HttpRequest: ${this.request.method} '${this.request.path}'>>`;
  }
}
