/**
 * `SignedCookiesMiddleware`, from Marty Alchin's *Pro Django* (chapter 7): every cookie is
 * signed on the way out and verified on the way in, so views read and write plain values in
 * `request.COOKIES` / `response.setCookie()` and never see one a client forged or altered.
 *
 * - `processRequest` replaces `request.COOKIES` with the verified, unsigned values; a cookie that
 *   is unsigned, tampered with, signed for another cookie name or salt, signed with a key that
 *   is neither `SECRET_KEY` nor in `SECRET_KEY_FALLBACKS`, or older than `maxAge` is dropped
 *   silently (logged at debug level on `koa-django.security.SignedCookiesMiddleware`).
 * - `processResponse` signs the value of every cookie the response sets, except deletions
 *   (`Max-Age` 0 or an `expires` in the past), whose empty value must stay empty.
 *
 * The wire format is Django's signed cookie (`value:timestamp:signature`, the v2 salt of
 * `setSignedCookie`, see `signing.ts`), so Django's `request.get_signed_cookie(name, salt=...)`
 * reads a cookie this middleware set, and `request.getSignedCookie` here reads one Django set.
 *
 * Put it FIRST in MIDDLEWARE: middleware above it would see the signed values in
 * `request.COOKIES`, and cookies they set in `processResponse` would go out unsigned.
 *
 * @module
 */
import type { Settings } from '../conf/index.ts';
import type { Morsel } from '../http/morsel.ts';
import type { HttpRequest } from '../http/request.ts';
import type { HttpResponseBase } from '../http/response.ts';
import { BadSignature, signCookieValue, unsignCookieValue } from '../signing.ts';
import { getLogger } from '../utils/log.ts';
import { type GetResponse, MiddlewareMixin } from './base.ts';

/** The options `SignedCookiesMiddleware` takes (in MIDDLEWARE as `[Class, options]`, or as decorator arguments). */
export interface SignedCookiesOptions {
  /** Extra namespace on top of each cookie's name (default `''`): cookies signed with another salt are dropped. */
  salt: string;
  /** Drop cookies signed more than this many seconds ago (default: no limit). */
  maxAge: number | null;
}

const logger = getLogger('koa-django.security.SignedCookiesMiddleware');

/**
 * Signs every cookie a response sets and verifies every cookie a request brings, dropping the
 * invalid ones, so `request.COOKIES` only ever holds values this site signed.
 *
 * @example
 * // settings.ts: every cookie of the site
 * MIDDLEWARE: [SignedCookiesMiddleware, SessionMiddleware],
 * // or one view, with its own namespace and a 30-day limit:
 * const signedCookies = decoratorFromMiddlewareWithArgs(SignedCookiesMiddleware);
 * export const theme = signedCookies({ salt: 'theme', maxAge: 30 * 86400 })(themeView);
 */
export class SignedCookiesMiddleware extends MiddlewareMixin<SignedCookiesOptions> {
  readonly salt: string;
  readonly maxAge: number | undefined;

  constructor(getResponse: GetResponse, options?: Partial<SignedCookiesOptions>, settings?: Settings) {
    super(getResponse, options, settings);
    const { salt = '', maxAge = null } = this.options;
    if (typeof salt !== 'string') {
      throw new TypeError(
        `SignedCookiesMiddleware: salt must be a string, not ${typeof salt}. E.g. { salt: 'theme' }.`,
      );
    }
    if (maxAge !== null && (typeof maxAge !== 'number' || !(maxAge >= 0))) {
      throw new TypeError(
        `SignedCookiesMiddleware: maxAge must be a number of seconds (0 or more) or null, not ${String(maxAge)}. E.g. { maxAge: 86400 }.`,
      );
    }
    this.salt = salt;
    this.maxAge = maxAge ?? undefined;
  }

  /** Replace `request.COOKIES` with the cookies whose signature verifies, unsigned. */
  processRequest(request: HttpRequest): void {
    // Settings come from the request: as a view decorator, the middleware is built without any.
    const settings = request.settings;
    const verified: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.COOKIES)) {
      try {
        const unsigned = unsignCookieValue(settings, name, value, { salt: this.salt, maxAge: this.maxAge });
        // defineProperty: a cookie named "__proto__" stays an ordinary key (as in parseCookie).
        Object.defineProperty(verified, name, {
          value: unsigned,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } catch (error) {
        if (!(error instanceof BadSignature)) throw error;
        logger.debug(`Dropped cookie ${JSON.stringify(name)} on ${request.path}: ${error.message}`);
      }
    }
    request.COOKIES = verified;
  }

  /** Sign the value of every cookie the response sets, deletions excepted. */
  processResponse(request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
    for (const [name, morsel] of response.cookies) {
      if (isDeletion(morsel)) continue;
      morsel.setValue(signCookieValue(request.settings, name, morsel.value, { salt: this.salt }));
    }
    return response;
  }
}

/** Whether a Morsel tells the browser to forget the cookie (`deleteCookie`, or any past expiry). */
function isDeletion(morsel: Morsel): boolean {
  const maxAge = morsel.get('max-age');
  if (maxAge !== '' && Number(maxAge) <= 0) return true;
  const expires = morsel.get('expires');
  if (typeof expires === 'number') return expires <= 0;
  if (typeof expires === 'string' && expires !== '') {
    const at = Date.parse(expires);
    return !Number.isNaN(at) && at <= Date.now();
  }
  return false;
}
