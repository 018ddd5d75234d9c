/**
 * The `signed_cookies` session backend (Django's
 * `django/contrib/sessions/backends/signed_cookies.py`): the whole session lives in the cookie,
 * as `signing.dumps(data, compress=True, salt='django.contrib.sessions.backends.signed_cookies')`
 * with `SECRET_KEY`. Nothing is stored on the server, so a Django app with the same
 * `SECRET_KEY` reads these cookies and we read its.
 *
 * Signed, not encrypted: the client can read (not change) what is in the session. The cookie
 * is checked against `SESSION_COOKIE_AGE` when read; a tampered, expired or foreign-key cookie
 * reads as an empty session and is replaced. A "logged out" cookie stays valid until it expires
 * if someone kept a copy: keep `SESSION_COOKIE_AGE` short, or use the `db` backend.
 *
 * @module
 */
import type { Settings } from '../../../conf/index.ts';
import { dumps, loads } from '../../../signing.ts';
import { SessionBase } from '../base.ts';

/** Django's salt for these cookies (it must match for Django to read them). */
export const SIGNED_COOKIES_SALT = 'django.contrib.sessions.backends.signed_cookies';

/**
 * A session stored entirely in its (signed) cookie: `SESSION_ENGINE: 'signed_cookies'`.
 *
 * @example
 * export default defineSettings({
 *   SESSION_ENGINE: 'signed_cookies',
 *   MIDDLEWARE: [SessionMiddleware],
 * });
 */
export class SignedCookieSessionStore extends SessionBase {
  /**
   * The data carried by the cookie, verified (including its age, `SESSION_COOKIE_AGE`). Anything
   * wrong gives an empty session, marked modified so a fresh cookie is sent.
   */
  async load(): Promise<Record<string, unknown>> {
    try {
      const data = loads(this.sessionKey ?? '', {
        key: this.settings.SECRET_KEY,
        fallbackKeys: this.settings.SECRET_KEY_FALLBACKS,
        salt: SIGNED_COOKIES_SALT,
        // Django checks the cookie age only (a custom setExpiry is not enforced: Django #19201).
        maxAge: this.getSessionCookieAge(),
        clock: () => this.now(),
      });
      if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
        return data as Record<string, unknown>;
      }
    } catch {
      // BadSignature, SignatureExpired, or data that is not JSON: reset the session.
    }
    await this.create();
    return {};
  }

  /** Nothing to store: just make sure a cookie is sent. */
  async create(): Promise<void> {
    this.modified = true;
  }

  /** The new key is the signed data itself. */
  async save(_mustCreate = false): Promise<void> {
    const data = await this.sessionData();
    this.sessionKey = dumps(Object.fromEntries(data), {
      key: this.settings.SECRET_KEY,
      salt: SIGNED_COOKIES_SALT,
      compress: true,
      clock: () => this.now(),
    });
    this.modified = true;
  }

  /** Cookies are not in a shared store: a key never "exists". */
  async exists(_sessionKey: string): Promise<boolean> {
    return false;
  }

  /** Forget the key and the data; SessionMiddleware then deletes the cookie. */
  async destroy(_sessionKey?: string | null): Promise<void> {
    this.sessionKey = null;
    this.replaceData(new Map());
    this.modified = true;
  }

  /** A new key is simply a re-signed cookie. */
  protected override async rotateKey(): Promise<void> {
    await this.save();
  }

  /** Expired cookies expire in the browser: nothing to clear. */
  static async clearExpired(_settings: Settings): Promise<number> {
    return 0;
  }
}
