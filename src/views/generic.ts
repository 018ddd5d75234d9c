/**
 * Class-based views (Django's `django/views/generic/base.py`): `View` dispatches each request to
 * the method named after its HTTP verb (`get`, `post`...); `TemplateView` renders a template;
 * `RedirectView` redirects to a URL or a named pattern.
 *
 * `MyView.asView(initkwargs)` turns a class into a view function for the urlconf. Each request
 * gets a new instance (so per-request state on `this` is safe), with the initkwargs copied onto
 * it, then `setup()` and `dispatch()`. Handlers may be sync or async.
 *
 * Decorate a class with `methodDecorator(decorator, 'dispatch')(MyView)`: the flags such a
 * decorator leaves on `dispatch` (`csrfExempt`, twilioView's startup hook...) are copied onto the
 * function `asView()` returns, as Django does, so middleware see them.
 *
 * @module
 */
import { ImproperlyConfigured } from '../exceptions.ts';
import { logResponse } from '../handlers/log-response.ts';
import type { HttpRequest } from '../http/request.ts';
import { HttpResponse, type HttpResponseBase, type ResponseOptions } from '../http/response.ts';
import {
  HttpResponseGone,
  HttpResponseNotAllowed,
  HttpResponsePermanentRedirect,
  HttpResponseRedirect,
} from '../http/responses.ts';
import { TemplateResponse } from '../template/response.ts';
import { reverse } from '../urls/base.ts';
import type { Kwargs, View as ViewFunction } from './view.ts';

/** Django's `http_method_names`, in the order `Allow` lists them. */
const HTTP_METHOD_NAMES: readonly string[] = Object.freeze([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'trace',
]);

type Handler = (request: HttpRequest, kwargs: Kwargs) => HttpResponseBase | Promise<HttpResponseBase>;

/** A View subclass, as `asView` is called on it. */
export type ViewClass<T extends View = View> = (new () => T) & {
  readonly name: string;
  readonly prototype: T;
};

/** What `asView` may set on each instance: attributes the class already has. */
export type Initkwargs<T extends View> = Partial<Omit<T, 'request' | 'args' | 'kwargs'>>;

/**
 * The base class-based view (Django's `View`). Subclass it and add `get`, `post`... methods
 * taking `(request, kwargs)`.
 *
 * @example
 * class GreetingView extends View {
 *   greeting = 'Good day';
 *   get(request: HttpRequest) {
 *     return new HttpResponse(this.greeting);
 *   }
 * }
 * export const urlpatterns = [path('about/', GreetingView.asView({ greeting: "G'day" }))];
 */
export class View {
  /** The HTTP methods this view may answer, lower-case; a method also needs a handler. */
  httpMethodNames: readonly string[] = HTTP_METHOD_NAMES;
  /** The request being answered (set by `setup()`). */
  request!: HttpRequest;
  /** Unnamed URL captures (`request.resolverMatch.args`; set by `setup()`). */
  args: readonly unknown[] = [];
  /** Named captures and urlconf extra kwargs (set by `setup()`). */
  kwargs: Kwargs = {};

  /**
   * A view function for this class (Django's classonlymethod `as_view`): every request builds
   * a new instance, copies `initkwargs` onto it, then calls `setup()` and `dispatch()`.
   *
   * @throws TypeError for an initkwarg that is an HTTP method name or not an attribute of the
   *   class; ImproperlyConfigured when the class cannot work as configured (e.g. a
   *   TemplateView without `templateName`).
   * @example
   * path('hooks/', methodDecorator(csrfExempt, 'dispatch')(HookView).asView())
   */
  static asView<T extends View>(this: ViewClass<T>, initkwargs: Initkwargs<T> = {}): ViewFunction {
    // biome-ignore lint/complexity/noThisInStatic: asView builds views of the subclass it is called on
    return buildView(this, initkwargs);
  }

  /**
   * `asView` is a class method: reaching it through an instance is a mistake (Django's
   * classonlymethod).
   *
   * @throws TypeError always.
   */
  get asView(): never {
    throw new TypeError(
      'This method is available only on the class, not on instances. Call MyView.asView(), not new MyView().asView().',
    );
  }

  /**
   * Called once by `asView()` on a throwaway instance carrying the initkwargs; throw
   * ImproperlyConfigured here to refuse a configuration at startup. Does nothing by default.
   */
  checkConfiguration(): void {}

  /**
   * Store the request and its arguments on the instance, before `dispatch()`. When the view has
   * `get` but no `head`, HEAD requests are answered by `get`. Call `super.setup()` if you
   * override it.
   */
  setup(request: HttpRequest, kwargs: Kwargs): void {
    const self = this as unknown as Record<string, unknown>;
    if (typeof self.get === 'function' && self.head === undefined) self.head = self.get;
    this.request = request;
    this.args = request.resolverMatch?.args ?? [];
    this.kwargs = kwargs;
  }

  /**
   * Call the handler named after the request method in lower case (`get`, `post`...), when it
   * is in `httpMethodNames` and defined; otherwise `httpMethodNotAllowed()`.
   */
  dispatch(request: HttpRequest, kwargs: Kwargs): HttpResponseBase | Promise<HttpResponseBase> {
    const method = request.method.toLowerCase();
    const handler = this.httpMethodNames.includes(method)
      ? (this as unknown as Record<string, Handler | undefined>)[method]
      : undefined;
    if (typeof handler !== 'function') return this.httpMethodNotAllowed(request, kwargs);
    return handler.call(this, request, kwargs);
  }

  /** 405 with `Allow` listing the methods this view implements; logged as a warning. */
  httpMethodNotAllowed(request: HttpRequest, _kwargs: Kwargs): HttpResponseBase {
    const response = new HttpResponseNotAllowed(this.allowedMethods());
    logResponse(`Method Not Allowed (${request.method}): ${request.path}`, request, response);
    return response;
  }

  /** Answer OPTIONS: 200, empty, `Allow` as for a 405, `Content-Length: 0`. */
  options(_request: HttpRequest, _kwargs: Kwargs): HttpResponseBase {
    const response = new HttpResponse();
    response.set('Allow', this.allowedMethods().join(', '));
    response.set('Content-Length', '0');
    return response;
  }

  /** The methods with a handler, upper-case, in `httpMethodNames` order (`GET, HEAD, OPTIONS`). */
  allowedMethods(): string[] {
    const self = this as unknown as Record<string, unknown>;
    return this.httpMethodNames.filter((m) => typeof self[m] === 'function').map((m) => m.toUpperCase());
  }
}

/**
 * Render a template with the URL kwargs as context (Django's `TemplateView`). The context is
 * `{ view: this, ...kwargs, ...extraContext }`; override `getContextData` to add more (it may
 * be async).
 *
 * @example
 * path('about/', TemplateView.asView({ templateName: 'about.html', extraContext: { title: 'About' } }))
 */
export class TemplateView extends View {
  /** The template (or names to try in order). */
  templateName: string | readonly string[] | null = null;
  /** Added to every context (Django's ContextMixin `extra_context`). */
  extraContext: Readonly<Record<string, unknown>> | null = null;
  /** Content-Type of the response (default `text/html; charset=utf-8`). */
  contentType: string | null = null;

  /** @throws ImproperlyConfigured at `asView()` when there is no template to render. */
  override checkConfiguration(): void {
    if (this.templateName === null && this.getTemplateNames === TemplateView.prototype.getTemplateNames) {
      throw new ImproperlyConfigured(
        `${this.constructor.name} requires either a definition of 'templateName' or an implementation of 'getTemplateNames()'. Pass it: ${this.constructor.name}.asView({ templateName: 'page.html' }).`,
      );
    }
  }

  /** The names to try; by default `templateName`. */
  getTemplateNames(): readonly string[] {
    if (this.templateName === null) {
      throw new ImproperlyConfigured(
        `${this.constructor.name} requires either a definition of 'templateName' or an implementation of 'getTemplateNames()'.`,
      );
    }
    return typeof this.templateName === 'string' ? [this.templateName] : this.templateName;
  }

  /** The template variables (Django's `get_context_data(**kwargs)`). */
  getContextData(kwargs: Kwargs): Record<string, unknown> | Promise<Record<string, unknown>> {
    return { view: this, ...kwargs, ...(this.extraContext ?? {}) };
  }

  /** A TemplateResponse for the request (Django's `render_to_response`). */
  renderToResponse(context: Record<string, unknown>, options: ResponseOptions = {}): TemplateResponse {
    return new TemplateResponse(this.request, this.getTemplateNames(), context, {
      ...(this.contentType ? { contentType: this.contentType } : {}),
      ...options,
    });
  }

  async get(_request: HttpRequest, kwargs: Kwargs): Promise<HttpResponseBase> {
    return this.renderToResponse(await this.getContextData(kwargs));
  }
}

/**
 * Redirect every method to `url` (with `%(name)s` filled from the URL kwargs) or to the URL
 * of `patternName` reversed with this request's arguments (Django's `RedirectView`). No URL:
 * 410 Gone.
 *
 * @example
 * path('go/<int:pk>/', RedirectView.asView({ url: '/articles/%(pk)s/', permanent: true }))
 * path('old-sms/', RedirectView.asView({ patternName: 'sms', queryString: true }))
 */
export class RedirectView extends View {
  /** 301 instead of 302. */
  permanent = false;
  /** The target; `%(name)s` is replaced by that URL kwarg, `%%` by `%`. */
  url: string | null = null;
  /** A URL pattern name to reverse with the request's args or kwargs. */
  patternName: string | null = null;
  /** Append the request's query string. */
  queryString = false;

  /** The URL to redirect to, or null for 410 Gone. */
  getRedirectUrl(kwargs: Kwargs): string | null {
    let url: string;
    if (this.url) {
      url = interpolate(this.url, kwargs, this.constructor.name);
    } else if (this.patternName) {
      const urlconf = this.request.urlconf;
      if (!urlconf || typeof urlconf !== 'object') {
        throw new ImproperlyConfigured(
          `${this.constructor.name} with patternName '${this.patternName}' needs the request's urlconf; serve it through createApp() (which sets request.urlconf) or set request.urlconf.`,
        );
      }
      url = reverse(this.patternName, {
        urlconf,
        ...(this.args.length > 0 ? { args: this.args } : { kwargs }),
        scriptPrefix: this.request.scriptName || '/',
      });
    } else {
      return null;
    }
    const query = this.request.META.QUERY_STRING;
    if (query && this.queryString) url = `${url}?${query}`;
    return url;
  }

  get(request: HttpRequest, kwargs: Kwargs): HttpResponseBase {
    const url = this.getRedirectUrl(kwargs);
    if (url) return this.permanent ? new HttpResponsePermanentRedirect(url) : new HttpResponseRedirect(url);
    const response = new HttpResponseGone();
    logResponse(`Gone: ${request.path}`, request, response);
    return response;
  }

  head(request: HttpRequest, kwargs: Kwargs): HttpResponseBase {
    return this.get(request, kwargs);
  }

  post(request: HttpRequest, kwargs: Kwargs): HttpResponseBase {
    return this.get(request, kwargs);
  }

  override options(request: HttpRequest, kwargs: Kwargs): HttpResponseBase {
    return this.get(request, kwargs);
  }

  delete(request: HttpRequest, kwargs: Kwargs): HttpResponseBase {
    return this.get(request, kwargs);
  }

  put(request: HttpRequest, kwargs: Kwargs): HttpResponseBase {
    return this.get(request, kwargs);
  }

  patch(request: HttpRequest, kwargs: Kwargs): HttpResponseBase {
    return this.get(request, kwargs);
  }
}

/** `View.asView` (see there): validate the initkwargs once, return the per-request view function. */
function buildView<T extends View>(cls: ViewClass<T>, initkwargs: Initkwargs<T>): ViewFunction {
  const probe = new cls();
  for (const key of Object.keys(initkwargs)) {
    if (probe.httpMethodNames.includes(key)) {
      throw new TypeError(`The method name ${key} is not accepted as a keyword argument to ${cls.name}().`);
    }
    if (!(key in probe) || key === 'asView') {
      throw new TypeError(
        `${cls.name}() received an invalid keyword '${key}'. asView only accepts arguments that are already attributes of the class.`,
      );
    }
  }
  const frozen = Object.freeze({ ...initkwargs });
  Object.assign(probe, frozen);
  probe.checkConfiguration();

  const view = ((request: HttpRequest, kwargs: Kwargs) => {
    const self = new cls();
    Object.assign(self, frozen);
    self.setup(request, kwargs);
    if (self.request === undefined) {
      throw new TypeError(
        `${cls.name} instance has no 'request' attribute. Did you override setup() and forget to call super.setup(request, kwargs)?`,
      );
    }
    return self.dispatch(request, kwargs);
  }) as ViewFunction;
  // Named after the class (Django's stays `view`), so startup checks and logs say which view.
  Object.defineProperty(view, 'name', { value: cls.name, configurable: true });
  view.viewClass = cls;
  view.viewInitkwargs = frozen;
  // Django's `view.__dict__.update(cls.dispatch.__dict__)`: flags that decorators put on
  // dispatch (csrfExempt, twilioView's `ready`...) are the view's flags.
  Object.assign(view, cls.prototype.dispatch);
  return view;
}

/** Python's `url % kwargs` for `%(name)s` placeholders. */
function interpolate(template: string, kwargs: Kwargs, owner: string): string {
  return template.replace(/%%|%\(([^)]+)\)s/g, (_whole, key: string | undefined) => {
    if (key === undefined) return '%';
    if (!(key in kwargs)) {
      throw new ImproperlyConfigured(
        `${owner}.url '${template}' uses %(${key})s, but the URL gives no '${key}' (it gives ${Object.keys(kwargs).join(', ') || 'nothing'}).`,
      );
    }
    return String(kwargs[key]);
  });
}
