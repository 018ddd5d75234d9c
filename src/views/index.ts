/**
 * `koa-django/views`: what a view is, the view decorators, class-based views and the default
 * error views (Django's `django.views` and `django.utils.decorators`).
 *
 * @example
 * import { csrfExempt, decoratorFromMiddlewareWithArgs, requirePOST } from 'koa-django/views';
 * export const hook = csrfExempt(requirePOST(async (request) => new HttpResponse('ok')));
 *
 * @module
 */
export { csrfProtect, ensureCsrfCookie, requiresCsrfToken } from './csrf.ts';
export { csrfFailure } from './csrf-failure.ts';
export {
  csrfExempt,
  type DecoratableMiddleware,
  type Decorator,
  decoratorFromMiddleware,
  decoratorFromMiddlewareWithArgs,
  methodDecorator,
  noAppendSlash,
  requireGET,
  requireHttpMethods,
  requirePOST,
  requireSafe,
  wraps,
} from './decorators.ts';
export { badRequest, type ErrorView, pageNotFound, permissionDenied, serverError } from './defaults.ts';
export { type Initkwargs, RedirectView, TemplateView, View, type ViewClass } from './generic.ts';
// The class-based `View` takes Django's name; the type of view functions is `ViewFunction` here.
export type { Kwargs, View as ViewFunction, ViewFlags } from './view.ts';
