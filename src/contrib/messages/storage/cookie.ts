/**
 * `CookieStorage` (Django's `django/contrib/messages/storage/cookie.py`): the messages travel in
 * a `messages` cookie, Django's format exactly, so Django and koa-django apps sharing a domain
 * and `SECRET_KEY` read each other's messages.
 *
 * The cookie is the compact JSON list of encoded messages, compressed when that is shorter and
 * signed by `getCookieSigner(settings, { salt: 'django.contrib.messages' })` (a
 * `TimestampSigner`; no age limit, as in Django). It is kept under 2048 bytes (half of the 4 KB
 * many servers allow for all headers, Django #18781): when the messages do not fit, the oldest
 * are dropped (or, inside FallbackStorage, the newest handed on to the session) and the
 * sentinel `"__messagesnotfinished__"` is appended so the reader knows more exist elsewhere.
 * A cookie that does not verify gives no messages and is deleted.
 *
 * @module
 */

import { quoteCookieValue } from '../../../http/morsel.ts';
import type { HttpResponseBase } from '../../../http/response.ts';
import { getCookieSigner, type TimestampSigner } from '../../../signing.ts';
import { Message, reviveMessages } from '../message.ts';
import { BaseStorage, type LoadedMessages } from './base.ts';

/** The sentinel that ends a cookie holding only part of the messages. */
export const NOT_FINISHED = '__messagesnotfinished__';

/**
 * Messages in a signed cookie: `MESSAGE_STORAGE: 'cookie'`.
 *
 * @example
 * export default defineSettings({ MIDDLEWARE: [MessageMiddleware], MESSAGE_STORAGE: 'cookie' });
 */
export class CookieStorage extends BaseStorage {
  /** The cookie's name (Django's). */
  static cookieName = 'messages';
  /** The largest cookie value, in bytes as sent (quoting included). */
  static maxCookieSize = 2048;
  /** The signing salt (Django's `key_salt`): it must match for Django to read the cookie. */
  static keySalt = 'django.contrib.messages';

  #signer: TimestampSigner | undefined;

  get #class(): typeof CookieStorage {
    return this.constructor as typeof CookieStorage;
  }

  get #cookieSigner(): TimestampSigner {
    this.#signer ??= this.createSigner();
    return this.#signer;
  }

  /** Django's `get_cookie_signer(salt=key_salt)` for this request's settings (tests freeze its clock). */
  protected createSigner(): TimestampSigner {
    return getCookieSigner(this.request.settings, { salt: this.#class.keySalt });
  }

  loadMessages(): LoadedMessages {
    const cookies = this.request.COOKIES;
    const name = this.#class.cookieName;
    const messages = this.#decode(Object.hasOwn(cookies, name) ? cookies[name] : undefined);
    const allRetrieved = !(messages && messages.at(-1) === NOT_FINISHED);
    if (messages && !allRetrieved) messages.pop();
    return [messages as Message[] | null, allRetrieved];
  }

  storeMessages(messages: Message[], response: HttpResponseBase, removeOldest = true): Message[] {
    let unstored: Message[] = [];
    let encoded = this.#encode(messages);
    const max = this.#class.maxCookieSize;
    if (max) {
      const tooLarge = (data: string | null) => data !== null && quoteCookieValue(data).length > max;
      const withSentinel = (some: Message[]) => this.#encode(some, true, true);
      if (tooLarge(encoded)) {
        if (removeOldest) {
          const at = bisectKeepRight(messages, (some) => tooLarge(withSentinel(some)));
          unstored = messages.slice(0, at);
          encoded = withSentinel(messages.slice(at));
        } else {
          const at = bisectKeepLeft(messages, (some) => tooLarge(withSentinel(some)));
          unstored = messages.slice(at);
          encoded = withSentinel(messages.slice(0, at));
        }
      }
    }
    this.#updateCookie(encoded, response);
    return unstored;
  }

  #updateCookie(encoded: string | null, response: HttpResponseBase): void {
    const settings = this.request.settings;
    if (encoded) {
      response.setCookie(this.#class.cookieName, encoded, {
        domain: settings.SESSION_COOKIE_DOMAIN,
        secure: settings.SESSION_COOKIE_SECURE,
        httpOnly: settings.SESSION_COOKIE_HTTPONLY,
        sameSite: settings.SESSION_COOKIE_SAMESITE,
      });
    } else {
      response.deleteCookie(this.#class.cookieName, {
        domain: settings.SESSION_COOKIE_DOMAIN,
        sameSite: settings.SESSION_COOKIE_SAMESITE,
      });
    }
  }

  /** The signed cookie value for `messages` (null for none, unless `encodeEmpty`). */
  #encode(messages: Message[], encodeEmpty = false, notFinished = false): string | null {
    if (messages.length === 0 && !encodeEmpty) return null;
    const parts: unknown[] = notFinished ? [...messages, NOT_FINISHED] : messages;
    return this.#cookieSigner.signObject(parts, { compress: true });
  }

  /** The messages in a cookie value; anything invalid gives null and marks the storage used (so it is cleared). */
  #decode(data: string | undefined): (Message | typeof NOT_FINISHED)[] | null {
    if (!data) return null;
    try {
      const decoded = reviveMessages(this.#cookieSigner.unsignObject(data), this.levelTags);
      if (Array.isArray(decoded)) {
        const items = decoded as unknown[];
        const valid = items.every(
          (item, i) => item instanceof Message || (item === NOT_FINISHED && i === items.length - 1),
        );
        if (valid) return items as (Message | typeof NOT_FINISHED)[];
      }
    } catch {
      // A bad signature, bad base64/zlib/JSON, or a malformed message: treated alike.
    }
    this.used = true;
    return null;
  }
}

/**
 * The first index from the end such that `tooLarge(a.slice(index))` is false (Django's
 * `bisect_keep_right`): drop `a.slice(0, index)` to fit.
 */
function bisectKeepRight<T>(a: T[], tooLarge: (part: T[]) => boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (tooLarge(a.slice(mid))) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index such that `tooLarge(a.slice(0, index + 1))` (Django's `bisect_keep_left`): keep `a.slice(0, index)`. */
function bisectKeepLeft<T>(a: T[], tooLarge: (part: T[]) => boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (tooLarge(a.slice(0, mid + 1))) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
