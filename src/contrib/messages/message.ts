/**
 * `Message`: one message (Django's `django/contrib/messages/storage/base.py` `Message`), and
 * its JSON form, shared with Django: `["__json_message", isSafe, level, message, extraTags]`
 * (Django's `MessageEncoder` / `MessageDecoder`), used by the cookie and session storages.
 *
 * @module
 */
import nunjucks from 'nunjucks';
import { DEFAULT_TAGS } from './constants.ts';

/** The first item of an encoded message (Django's `MessageEncoder.message_key`). */
export const MESSAGE_KEY = '__json_message';

/** Options of `new Message()`. */
export interface MessageOptions {
  /** The message is HTML to print unescaped (Django's `mark_safe`); default: a nunjucks `SafeString` message is. */
  isSafe?: boolean;
  /** The level → tag map for `levelTag` (storages pass `DEFAULT_TAGS` + `MESSAGE_TAGS`). */
  levelTags?: Readonly<Record<number, string>>;
}

/**
 * One message: a level, the text, and extra CSS tags. In a template, `{{ message }}` prints
 * the text and `{{ message.tags }}` the classes (`'extra success'`).
 *
 * @example
 * const m = new Message(SUCCESS, 'Saved.', 'toast');
 * m.tags;     // 'toast success'
 * String(m);  // 'Saved.'
 */
export class Message {
  /** The level (`INFO`, `ERROR`, or any integer). */
  readonly level: number;
  /** The text. */
  readonly message: string;
  /** Extra tags given when it was added (`''` by default; `null` when a Django cookie had none). */
  readonly extraTags: string | null;
  /** Whether the text is HTML to print unescaped. */
  readonly isSafe: boolean;
  readonly #levelTags: Readonly<Record<number, string>>;

  constructor(
    level: number,
    message: unknown,
    extraTags: string | null = null,
    options: MessageOptions = {},
  ) {
    if (!Number.isSafeInteger(level)) {
      throw new TypeError(`A message level must be an integer (e.g. INFO = 20), not ${String(level)}.`);
    }
    this.level = level;
    this.isSafe = options.isSafe ?? message instanceof nunjucks.runtime.SafeString;
    this.message = String(message);
    this.extraTags = extraTags === null ? null : String(extraTags);
    this.#levelTags = options.levelTags ?? DEFAULT_TAGS;
  }

  /** The tag of the level (`'success'`), `''` for a level without one. */
  get levelTag(): string {
    return Object.hasOwn(this.#levelTags, this.level) ? (this.#levelTags[this.level] as string) : '';
  }

  /** Extra tags then the level tag, space-separated, empty parts left out. */
  get tags(): string {
    return [this.extraTags, this.levelTag].filter(Boolean).join(' ');
  }

  /** Messages are equal when level and text are (Django's `__eq__`). */
  equals(other: unknown): boolean {
    return other instanceof Message && other.level === this.level && other.message === this.message;
  }

  /** The text (so `{{ message }}` prints it). */
  toString(): string {
    return this.message;
  }

  /** The encoded form Django's `MessageEncoder` writes. */
  toJSON(): unknown[] {
    const encoded: unknown[] = [MESSAGE_KEY, this.isSafe ? 1 : 0, this.level, this.message];
    if (this.extraTags !== null) encoded.push(this.extraTags);
    return encoded;
  }
}

/**
 * Turn decoded JSON back into Messages: every `["__json_message", ...]` array becomes one,
 * other arrays and objects are walked (Django's `MessageDecoder.process_messages`). Throws a
 * TypeError for a malformed message array.
 *
 * @example
 * reviveMessages(JSON.parse('[["__json_message",0,20,"hi",""]]')); // [Message(20, 'hi')]
 */
export function reviveMessages(
  value: unknown,
  levelTags: Readonly<Record<number, string>> = DEFAULT_TAGS,
): unknown {
  if (Array.isArray(value)) {
    if (value.length > 0 && value[0] === MESSAGE_KEY) {
      const [, safe, level, text, extraTags = null, ...rest] = value;
      if (
        rest.length > 0 ||
        (safe !== 0 && safe !== 1 && typeof safe !== 'boolean') ||
        typeof level !== 'number' ||
        typeof text !== 'string' ||
        (extraTags !== null && typeof extraTags !== 'string')
      ) {
        throw new TypeError('Malformed encoded message.');
      }
      return new Message(level, text, extraTags as string | null, { isSafe: Boolean(safe), levelTags });
    }
    return value.map((item) => reviveMessages(item, levelTags));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reviveMessages(v, levelTags)]));
  }
  return value;
}
