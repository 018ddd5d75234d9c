/**
 * Views of the SignedCookiesMiddleware example. They read and write plain values
 * (`request.COOKIES.visits`, `response.setCookie('visits', '3')`); the middleware does the
 * signing, so a visitor who edits a cookie only loses it.
 *
 * - `visits` counts the visitor's visits in a `visits` cookie;
 * - `forget` deletes that cookie;
 * - `theme` keeps a colour theme in a `theme` cookie, signed by the middleware applied to this
 *   view alone, with its own salt and a 30-day limit.
 *
 * @module
 */
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { SignedCookiesMiddleware } from '../../src/middleware/signed-cookies.ts';
import { decoratorFromMiddlewareWithArgs } from '../../src/views/decorators.ts';

/** One year, in seconds. */
const YEAR = 365 * 24 * 60 * 60;
/** The themes `theme` accepts. */
export const THEMES = ['light', 'dark'] as const;

/**
 * The middleware as a view decorator factory: `signedCookies({ salt, maxAge })(view)`.
 *
 * @example
 * export const cart = signedCookies({ salt: 'cart', maxAge: 3600 })(cartView);
 */
export const signedCookies = decoratorFromMiddlewareWithArgs(SignedCookiesMiddleware);

/**
 * "Visit number N": the count lives in the `visits` cookie, which the client cannot forge.
 *
 * @example path('', visits, 'visits')
 */
export async function visits(request: HttpRequest): Promise<HttpResponse> {
  const previous = Number.parseInt(request.COOKIES.visits ?? '0', 10);
  const count = (Number.isSafeInteger(previous) && previous > 0 ? previous : 0) + 1;
  const response = new HttpResponse(`Visit number ${count}`, { contentType: 'text/plain; charset=utf-8' });
  response.setCookie('visits', String(count), { maxAge: YEAR, httpOnly: true, sameSite: 'Lax' });
  return response;
}

/** Delete the `visits` cookie (deletions are not signed). @example path('forget/', forget, 'forget') */
export async function forget(_request: HttpRequest): Promise<HttpResponse> {
  const response = new HttpResponse('Forgotten.', { contentType: 'text/plain; charset=utf-8' });
  response.deleteCookie('visits');
  return response;
}

/**
 * `?set=dark` stores the theme; otherwise show the current one. Signed for this view only,
 * with salt `'theme'` and a 30-day limit: an older cookie is dropped and the theme resets.
 *
 * @example path('theme/', theme, 'theme')
 */
export const theme = signedCookies({ salt: 'theme', maxAge: 30 * 24 * 60 * 60 })(async function theme(
  request: HttpRequest,
) {
  const wanted = request.GET.get('set');
  const current = wanted ?? request.COOKIES.theme ?? 'light';
  if (!(THEMES as readonly string[]).includes(current)) {
    return new HttpResponse(`Unknown theme. Choose one of: ${THEMES.join(', ')}.`, {
      status: 400,
      contentType: 'text/plain; charset=utf-8',
    });
  }
  const response = new HttpResponse(`Theme: ${current}`, { contentType: 'text/plain; charset=utf-8' });
  if (wanted) response.setCookie('theme', wanted, { maxAge: 30 * 24 * 60 * 60, sameSite: 'Lax' });
  return response;
});
