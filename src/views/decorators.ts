/**
 * View decorators: wrapper functions (not TypeScript `@decorators`, which only apply to class
 * members) that take a view and return a new one. Django's `django/utils/decorators.py` and
 * `django/views/decorators/{http,csrf,common}.py`.
 *
 * - `decoratorFromMiddleware(Class)` / `decoratorFromMiddlewareWithArgs(Class)(options)` run one
 *   middleware's hooks around a single view, with Django's exact algorithm.
 * - `methodDecorator(decorator, name?)` adapts a view decorator to class-based view methods.
 * - `wraps(wrapped, wrapper)` is our `functools.wraps`: name, flags and `__wrapped__` carry over,
 *   so `csrfExempt` on an inner view is still seen on every outer wrapper.
 *
 * @module
 */

import { logResponse } from '../handlers/log-response.ts';
import type { HttpRequest } from '../http/request.ts';
import type { HttpResponseBase } from '../http/response.ts';
import { HttpResponseNotAllowed } from '../http/responses.ts';
import type { GetResponse, MiddlewareInstance } from '../middleware/base.ts';
import type { Kwargs, View } from './view.ts';

/** Takes a view, returns a view. */
export type Decorator = (view: View) => View;

/** A middleware class as `decoratorFromMiddleware` constructs it: `(getResponse, options)`. */
// biome-ignore lint/suspicious/noExplicitAny: options are whatever the middleware declares
export type DecoratableMiddleware<Options = any> = new (
  getResponse: GetResponse,
  options?: Options,
) => MiddlewareInstance;

/**
 * Give `wrapper` the identity of `wrapped`: its `name`, every flag property on it (merged over
 * the wrapper's own), and `__wrapped__`. Returns `wrapper`.
 *
 * @example
 * const logged = wraps(view, async (request, kwargs) => { console.log(request.path); return view(request, kwargs); });
 * logged.name === view.name; // true
 */
export function wraps<T extends (...args: never[]) => unknown>(wrapped: View, wrapper: T): T & View {
  Object.defineProperty(wrapper, 'name', { value: wrapped.name, configurable: true });
  Object.assign(wrapper, wrapped);
  Object.defineProperty(wrapper, '__wrapped__', { value: wrapped, configurable: true, writable: true });
  return wrapper as T & View;
}

/**
 * A decorator that runs `Middleware`'s hooks around one view, constructed with `options`
 * (Django's `decorator_from_middleware_with_args`, e.g. `cache_page(3600)`).
 *
 * The middleware is built once, when the view is decorated. Per call: `processRequest` (a
 * non-null result is returned as is), `processView`, the view (a throw goes to
 * `processException`; its non-null result is returned as is), then for a TemplateResponse
 * `processTemplateResponse` and `processResponse` after rendering, else `processResponse`.
 *
 * @example
 * const minimumResponse = decoratorFromMiddlewareWithArgs(MinimumResponseMiddleware);
 * export const tiny = minimumResponse({ minimum: 1000 })(async (request) => new HttpResponse('hi'));
 */
export function decoratorFromMiddlewareWithArgs<Options>(
  Middleware: DecoratableMiddleware<Options>,
): (options?: Options) => Decorator {
  return (options) => (view) => {
    const getResponse: GetResponse = async (request) => view(request, request.resolverMatch?.kwargs ?? {});
    const middleware = new Middleware(getResponse, options);
    const wrapped = wraps(view, async function middlewareDecorated(request: HttpRequest, kwargs: Kwargs) {
      if (middleware.processRequest) {
        const early = await middleware.processRequest(request);
        if (early != null) return early;
      }
      if (middleware.processView) {
        const early = await middleware.processView(request, view, request.resolverMatch?.args ?? [], kwargs);
        if (early != null) return early;
      }
      let response: HttpResponseBase;
      try {
        response = await view(request, kwargs);
      } catch (error) {
        if (middleware.processException) {
          const handled = await middleware.processException(request, error);
          if (handled != null) return handled;
        }
        throw error;
      }
      if (isTemplateResponse(response)) {
        if (middleware.processTemplateResponse) {
          response = await middleware.processTemplateResponse(request, response);
        }
        if (middleware.processResponse && isTemplateResponse(response)) {
          const processResponse = middleware.processResponse.bind(middleware);
          // Django runs processResponse after rendering, on the rendered content.
          if (response.isRendered) return processResponse(request, response);
          response.addPostRenderCallback((rendered) => processResponse(request, rendered));
        }
        return response;
      }
      return middleware.processResponse ? middleware.processResponse(request, response) : response;
    });
    wrapped.middlewareDecorators = [...(view.middlewareDecorators ?? []), Middleware];
    return wrapped;
  };
}

/**
 * `decoratorFromMiddlewareWithArgs(Middleware)()` — the middleware with its default options.
 *
 * @example
 * export const csrfProtect = decoratorFromMiddleware(CsrfViewMiddleware);
 */
export function decoratorFromMiddleware(Middleware: DecoratableMiddleware): Decorator {
  return decoratorFromMiddlewareWithArgs(Middleware)();
}

interface TemplateResponseLike extends HttpResponseBase {
  isRendered: boolean;
  render(): unknown;
  addPostRenderCallback(callback: (response: HttpResponseBase) => unknown): void;
}

function isTemplateResponse(response: HttpResponseBase): response is TemplateResponseLike {
  return typeof (response as Partial<TemplateResponseLike>).render === 'function';
}

type Method = (
  this: object,
  request: HttpRequest,
  kwargs: Kwargs,
) => HttpResponseBase | Promise<HttpResponseBase>;

/**
 * Turn a view decorator (or a list, first one outermost) into one for methods of class-based
 * views. With `name`, decorate that method of a class and return the class (Django's
 * `@method_decorator(d, name="dispatch")`); without it, decorate a method function.
 *
 * @example
 * class ThanksView extends View { ... }
 * methodDecorator(twilioView, 'dispatch')(ThanksView);
 * // or, on one method:
 * class Hooks extends View { post = methodDecorator(requirePOST)(async function (request) { ... }) }
 */
export function methodDecorator(decorator: Decorator | Decorator[], name?: string) {
  const decorators = Array.isArray(decorator) ? decorator : [decorator];
  const decorate = (method: Method): Method => {
    const decorated = function (this: object, request: HttpRequest, kwargs: Kwargs) {
      // Bind per call, as Django does: the decorators see a plain view.
      const bound = wraps(method as unknown as View, method.bind(this) as View);
      const view = decorators.reduceRight<View>((inner, d) => d(inner), bound);
      return view(request, kwargs);
    };
    // Flags the decorators add (e.g. csrfExempt) must be visible on the method itself.
    const probe = decorators.reduceRight<View>((inner, d) => d(inner), (() => undefined) as unknown as View);
    Object.assign(decorated, probe, method);
    Object.defineProperty(decorated, 'name', { value: method.name, configurable: true });
    return decorated;
  };

  return <T extends Method | (abstract new (...args: never[]) => object)>(target: T): T => {
    if (name === undefined) return decorate(target as Method) as T;
    const proto = (target as { prototype?: Record<string, unknown> }).prototype;
    if (!proto || !(name in proto)) {
      throw new TypeError(
        `The keyword argument \`name\` must be the name of a method of the decorated class: ${(target as { name: string }).name}. Got '${name}' instead.`,
      );
    }
    const method = proto[name];
    if (typeof method !== 'function') {
      throw new TypeError(
        `Cannot decorate '${name}' as it isn't a callable attribute of ${(target as { name: string }).name} (${String(method)}).`,
      );
    }
    Object.defineProperty(proto, name, {
      value: decorate(method as Method),
      writable: true,
      configurable: true,
    });
    return target;
  };
}

/**
 * Mark a view as exempt from CsrfViewMiddleware (returns a new function; the view is unchanged).
 *
 * @example
 * export const webhook = csrfExempt(async (request) => new HttpResponse('ok'));
 */
export function csrfExempt(view: View): View {
  const wrapped = wraps(view, function csrfExempted(request: HttpRequest, kwargs: Kwargs) {
    return view(request, kwargs);
  });
  wrapped.csrfExempt = true;
  return wrapped;
}

/**
 * Tell CommonMiddleware not to redirect to this view's URL with a slash appended.
 *
 * @example
 * export const api = noAppendSlash(apiView);
 */
export function noAppendSlash(view: View): View {
  const wrapped = wraps(view, function noAppendSlashed(request: HttpRequest, kwargs: Kwargs) {
    return view(request, kwargs);
  });
  wrapped.shouldAppendSlash = false;
  return wrapped;
}

/**
 * Only let the listed methods through; anything else gets 405 with an `Allow` header.
 *
 * @example
 * export const hook = requireHttpMethods(['GET', 'POST'])(async (request) => new HttpResponse('ok'));
 */
export function requireHttpMethods(methods: readonly string[]): Decorator {
  const allowed = methods.map((m) => m.toUpperCase());
  return (view) =>
    wraps(view, function methodsRequired(request: HttpRequest, kwargs: Kwargs) {
      if (!allowed.includes(request.method)) {
        const response = new HttpResponseNotAllowed(allowed);
        logResponse(`Method Not Allowed (${request.method}): ${request.path}`, request, response);
        return response;
      }
      return view(request, kwargs);
    });
}

/** Only GET. @example export const page = requireGET(view); */
export const requireGET: Decorator = requireHttpMethods(['GET']);
/** Only POST. @example export const submit = requirePOST(view); */
export const requirePOST: Decorator = requireHttpMethods(['POST']);
/** Only the safe methods GET and HEAD. @example export const page = requireSafe(view); */
export const requireSafe: Decorator = requireHttpMethods(['GET', 'HEAD']);
