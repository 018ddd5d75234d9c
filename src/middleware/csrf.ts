/**
 * Cross-site request forgery protection (Django's `django/middleware/csrf.py`).
 *
 * `getToken(request)` gives a page a masked token; `CsrfViewMiddleware` refuses unsafe requests
 * whose token does not carry the client's secret.
 *
 * @module
 */
import type { HttpRequest } from '../http/request.ts';
import { maskCipherSecret, newCsrfSecret } from './csrf-token.ts';

/** Requests whose CSRF cookie must be (re)sent by `processResponse`. */
const needsUpdate = new WeakSet<HttpRequest>();

/** Whether `getToken` or `rotateToken` asked for the cookie to be sent with this response. */
export function csrfCookieNeedsUpdate(request: HttpRequest): boolean {
  return needsUpdate.has(request);
}

/** Clear the "send the cookie" mark (after the cookie was set). */
export function markCsrfCookieSent(request: HttpRequest): void {
  needsUpdate.delete(request);
}

function addNewCsrfCookie(request: HttpRequest): string {
  const secret = newCsrfSecret();
  request.META.CSRF_COOKIE = secret;
  needsUpdate.add(request);
  return secret;
}

/**
 * A masked CSRF token for this request (64 characters, different on every call), to put in a
 * form's `csrfmiddlewaretoken` field or an `X-CSRFToken` header. Creates the client's secret if
 * it has none, and marks the cookie to be sent (or renewed) with the response. The secret is
 * kept in `request.META.CSRF_COOKIE`, as in Django.
 *
 * @example
 * export function form(request: HttpRequest) {
 *   const token = getToken(request);
 *   return new HttpResponse(`<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="${token}">...`);
 * }
 */
export function getToken(request: HttpRequest): string {
  let secret = request.META.CSRF_COOKIE;
  if (secret === undefined) {
    secret = addNewCsrfCookie(request);
  } else {
    // The cookie is in use: resend it so its expiry is renewed.
    needsUpdate.add(request);
  }
  return maskCipherSecret(secret);
}

/**
 * Replace the client's CSRF secret with a new one (call it on login, as Django's `login()`
 * does), so a token an attacker planted before login stops working.
 *
 * @example
 * rotateToken(request); // the response sets a new csrftoken cookie
 */
export function rotateToken(request: HttpRequest): void {
  addNewCsrfCookie(request);
}
