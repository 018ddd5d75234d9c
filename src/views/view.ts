/**
 * What a view is: `(request, kwargs) => HttpResponse | Promise<HttpResponse>`.
 *
 * `kwargs` holds the URL's named captures merged with the urlconf's extra kwargs (extra wins, as
 * in Django); unnamed captures are in `request.resolverMatch.args`. Flags that decorators set
 * (`csrfExempt`, `shouldAppendSlash`...) are plain properties on the function, so wrappers can
 * copy them (our `functools.wraps`).
 *
 * @module
 */
import type { Settings } from '../conf/index.ts';
import type { HttpRequest } from '../http/request.ts';
import type { HttpResponseBase } from '../http/response.ts';

/** Keyword arguments a view receives from the URL and the urlconf. */
export type Kwargs = Record<string, unknown>;

/**
 * Flags decorators put on view functions; read by middleware. Contrib apps add their own flags
 * by declaration merging (`declare module 'koa-django/views' { interface ViewFlags { ... } }`).
 */
export interface ViewFlags {
  /** Set by `csrfExempt`: CsrfViewMiddleware skips this view. */
  csrfExempt?: boolean;
  /** Set to false by `noAppendSlash`: CommonMiddleware will not redirect to add a slash. */
  shouldAppendSlash?: boolean;
  /** The function this one wraps (set by `wraps`). */
  __wrapped__?: View;
  /** Middleware classes applied by `decoratorFromMiddleware` (to warn about double processing). */
  middlewareDecorators?: readonly (abstract new (
    ...args: never[]
  ) => unknown)[];
  /** The class behind a function made by `View.asView()`. */
  viewClass?: abstract new (
    ...args: never[]
  ) => unknown;
  /** The keyword arguments given to `View.asView()`. */
  viewInitkwargs?: Readonly<Record<string, unknown>>;
  /**
   * Keyword arguments the view cannot work without. The pipeline checks at startup that the
   * urlconf gives each one (as an extra kwarg or a capture) and refuses to start otherwise.
   */
  requiredKwargs?: readonly string[];
  /**
   * Run once at startup for every view in the urlconf that has it (the same function once),
   * before the first request; a throw stops startup (e.g. ImproperlyConfigured).
   */
  ready?: (settings: Settings) => void | Promise<void>;
}

/** A view function. */
export type View = ((request: HttpRequest, kwargs: Kwargs) => HttpResponseBase | Promise<HttpResponseBase>) &
  ViewFlags;
