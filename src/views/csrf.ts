/**
 * CSRF view decorators (Django's `django/views/decorators/csrf.py`), made from
 * CsrfViewMiddleware with `decoratorFromMiddleware`:
 *
 * - `csrfProtect(view)`: the full check on this one view (for sites without the middleware);
 * - `requiresCsrfToken(view)`: never refuses, but makes `getToken` work and sends the cookie
 *   when a token was used (e.g. a custom 404 page with a form);
 * - `ensureCsrfCookie(view)`: like `requiresCsrfToken`, and always sends the cookie (a page
 *   whose JavaScript posts with the `X-CSRFToken` header, without a form).
 *
 * `csrfExempt` lives in `views/decorators.ts`.
 *
 * @module
 */
import type { HttpRequest } from '../http/request.ts';
import { isThenable } from '../middleware/base.ts';
import { CsrfViewMiddleware, getToken } from '../middleware/csrf.ts';
import { type Decorator, decoratorFromMiddleware } from './decorators.ts';
import type { Kwargs, View } from './view.ts';

/** CsrfViewMiddleware that never refuses (Django's `_EnsureCsrfToken`). */
class EnsureCsrfToken extends CsrfViewMiddleware {
  protected override reject(_request: HttpRequest, _reason: string): null {
    return null;
  }
}

/** EnsureCsrfToken that always hands out a token, so the cookie is sent (`_EnsureCsrfCookie`). */
class EnsureCsrfCookie extends EnsureCsrfToken {
  override processView(request: HttpRequest, view: View, args?: unknown[], kwargs?: Kwargs) {
    const checked = super.processView(request, view, args, kwargs);
    const handOut = (): null => {
      getToken(request);
      return null;
    };
    return isThenable(checked) ? Promise.resolve(checked).then(handOut) : handOut();
  }
}

/**
 * Check CSRF on this view as CsrfViewMiddleware would (Django's `csrf_protect`).
 *
 * @example
 * export const contact = csrfProtect(async (request) => new HttpResponse('sent'));
 */
export const csrfProtect: Decorator = decoratorFromMiddleware(CsrfViewMiddleware);

/**
 * Never refuse, but let the view use `getToken(request)` and send the CSRF cookie it needs
 * (Django's `requires_csrf_token`).
 *
 * @example
 * export const handler404 = requiresCsrfToken(notFoundWithSearchForm);
 */
export const requiresCsrfToken: Decorator = decoratorFromMiddleware(EnsureCsrfToken);

/**
 * Always send the CSRF cookie with this view's response (Django's `ensure_csrf_cookie`), for
 * pages whose scripts read the cookie and post with an `X-CSRFToken` header.
 *
 * @example
 * export const app = ensureCsrfCookie(async (request) => render(request, 'app.html'));
 */
export const ensureCsrfCookie: Decorator = decoratorFromMiddleware(EnsureCsrfCookie);
