/**
 * The Django pipeline (Django's `django/core/handlers/base.py`): `loadMiddleware()` builds the
 * middleware chain ONCE at startup; `getResponse(request)` runs it per request.
 *
 * The chain is an onion: each middleware wraps the next layer inward, and every layer is wrapped
 * by `convertExceptionToResponse`. `processView`, `processTemplateResponse` and
 * `processException` hooks are collected at build time and run from the innermost layer:
 *
 *   processRequest (top-down; a response short-circuits everything inner)
 *     → resolve the URL → processView (top-down; a response skips the view)
 *       → view → on a throw: processException (bottom-up; first response wins)
 *       → TemplateResponse: processTemplateResponse (bottom-up) → render
 *   processResponse (bottom-up, only for the layers whose processRequest ran)
 *
 * See docs/lifecycle.md for the diagram with the status on each exit.
 *
 * @module
 */
import type { MiddlewareEntry, MiddlewareRef, Settings } from '../conf/index.ts';
import { ImproperlyConfigured, InvalidResponse, MiddlewareNotUsed } from '../exceptions.ts';
import type { HttpRequest } from '../http/request.ts';
import { HttpResponseBase } from '../http/response.ts';
import type { GetResponse, MiddlewareHooks, MiddlewareInstance } from '../middleware/base.ts';
import { isThenable, MiddlewareMixin, missingResponse, runHooks } from '../middleware/base.ts';
import { getResolver, URLPattern, URLResolver, type UrlPatternEntry } from '../urls/resolvers.ts';
import { getLogger } from '../utils/log.ts';
import { importString } from '../utils/module-loading.ts';
import type { View } from '../views/view.ts';
import { convertExceptionToResponse, responseForException, type UrlconfOf } from './exception.ts';
import { hookLayer } from './hook-layer.ts';
import { logResponse } from './log-response.ts';

type Urlconf = Readonly<Record<string, unknown>>;
type ViewHook = NonNullable<MiddlewareHooks['processView']>;
type TemplateHook = NonNullable<MiddlewareHooks['processTemplateResponse']>;
/** A processTemplateResponse hook and the middleware it belongs to (named in errors). */
type TemplateHookEntry = readonly [owner: MiddlewareInstance, hook: TemplateHook];
type ExceptionHook = NonNullable<MiddlewareHooks['processException']>;

const logger = getLogger('koa-django.request');
const checksLogger = getLogger('koa-django.checks');

/**
 * Builds and runs the pipeline for one Settings object.
 *
 * @example
 * const handler = new BaseHandler(settings);
 * await handler.loadMiddleware();
 * const response = await handler.getResponse(request);
 */
export class BaseHandler {
  readonly settings: Settings;
  #urlconf: Urlconf | null = null;
  #viewMiddleware: ViewHook[] = [];
  #templateResponseMiddleware: TemplateHookEntry[] = [];
  #exceptionMiddleware: ExceptionHook[] = [];
  #chain: GetResponse | null = null;

  constructor(settings: Settings) {
    this.settings = settings;
  }

  /** The root urlconf module, once loaded. */
  get urlconf(): Urlconf | null {
    return this.#urlconf;
  }

  /**
   * Import everything settings name by string, construct every middleware (innermost first) and
   * collect their hooks. Configuration mistakes throw `ImproperlyConfigured` here, at startup.
   */
  async loadMiddleware(): Promise<void> {
    const settings = this.settings;
    this.#urlconf = await loadUrlconf(settings);
    // Loads every include and validates the error handlers now, not on the first request.
    if (this.#urlconf) getResolver(this.#urlconf).check();

    const urlconfOf: UrlconfOf = (request) => (request.urlconf as Urlconf | null) ?? this.#urlconf;
    const viewMiddleware: ViewHook[] = [];
    const templateResponseMiddleware: TemplateHookEntry[] = [];
    const exceptionMiddleware: ExceptionHook[] = [];

    let handler: GetResponse = (request) => {
      // convertExceptionToResponse for the innermost layer, which may answer synchronously.
      let result: HttpResponseBase | Promise<HttpResponseBase>;
      try {
        result = this.#innerResponse(request);
      } catch (error) {
        return responseForException(request, error, urlconfOf);
      }
      return isThenable(result)
        ? result.then(undefined, (error: unknown) => responseForException(request, error, urlconfOf))
        : Promise.resolve(result);
    };
    const used = new Set<unknown>();
    for (const entry of [...settings.MIDDLEWARE].reverse()) {
      const [Class, options, label] = await resolveEntry(entry, settings);
      let instance: MiddlewareInstance;
      try {
        instance = new Class(handler, options, settings);
      } catch (error) {
        if (error instanceof MiddlewareNotUsed) {
          if (settings.DEBUG)
            logger.debug(`MiddlewareNotUsed(${label})${error.message ? `: ${error.message}` : ''}`);
          continue;
        }
        throw error;
      }
      used.add(Class);
      if (instance.processView) viewMiddleware.unshift(instance.processView.bind(instance));
      if (instance.processTemplateResponse) {
        templateResponseMiddleware.push([instance, instance.processTemplateResponse.bind(instance)]);
      }
      if (instance.processException) exceptionMiddleware.push(instance.processException.bind(instance));
      const next = handler;
      if (instance instanceof MiddlewareMixin && instance.call === MiddlewareMixin.prototype.call) {
        // The mixin's own call(): the same hooks and conversion in one function, fewer promises.
        handler = hookLayer(instance as MiddlewareMixin<object> & MiddlewareHooks, urlconfOf);
      } else {
        const call = instance.call
          ? instance.call.bind(instance)
          : (request: HttpRequest) => runHooks(instance, request, next);
        handler = convertExceptionToResponse(call, urlconfOf);
      }
    }
    if (this.#urlconf) await checkViews(settings, getResolver(this.#urlconf).urlPatterns, used);
    this.#viewMiddleware = viewMiddleware;
    this.#templateResponseMiddleware = templateResponseMiddleware;
    this.#exceptionMiddleware = exceptionMiddleware;
    // Assigned last: a built chain means the handler is ready (Django does the same).
    this.#chain = handler;
  }

  /**
   * Run the chain for `request`. Never throws, except with `DEBUG_PROPAGATE_EXCEPTIONS` or when
   * `handler500` itself throws.
   */
  getResponse(request: HttpRequest): Promise<HttpResponseBase> {
    const chain = this.#chain;
    if (!chain) {
      return Promise.reject(
        new ImproperlyConfigured('BaseHandler.getResponse() called before loadMiddleware().'),
      );
    }
    // Django's set_urlconf(): from here on, reverse({ urlconf: request.urlconf }) works anywhere.
    request.urlconf ??= this.#urlconf;
    return chain(request).then((response) => {
      if (response.statusCode >= 400)
        logResponse(`${response.reasonPhrase}: ${request.path}`, request, response);
      return response;
    });
  }

  /**
   * Resolve, view middleware, the view, exception middleware, template responses. Synchronous
   * as long as the hooks and the view are: a promise only when one of them returns one.
   */
  #innerResponse(request: HttpRequest): HttpResponseBase | Promise<HttpResponseBase> {
    const urlconf = (request.urlconf as Urlconf | null) ?? this.#urlconf;
    if (!urlconf) {
      throw new ImproperlyConfigured(
        'ROOT_URLCONF is not set. Point it at a module exporting `urlpatterns`.',
      );
    }
    const match = getResolver(urlconf).resolve(request.pathInfo);
    request.resolverMatch = match;
    const view = match.func as View;

    const viewMiddleware = this.#viewMiddleware;
    for (let i = 0; i < viewMiddleware.length; i++) {
      const result = (viewMiddleware[i] as ViewHook)(request, view, match.args, match.kwargs);
      if (isThenable(result)) return this.#viewMiddlewareAsync(request, view, match, i, result);
      if (result) return this.#afterView(request, view, result);
    }
    let result: ReturnType<View>;
    try {
      result = view(request, match.kwargs);
    } catch (error) {
      return this.#viewFailed(error, request, view);
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(
        (response) => this.#afterView(request, view, response),
        (error: unknown) => this.#viewFailed(error, request, view),
      );
    }
    return this.#afterView(request, view, result);
  }

  /** The rest of the processView hooks once hook `index` returned `pending`, then the view. */
  async #viewMiddlewareAsync(
    request: HttpRequest,
    view: View,
    match: NonNullable<HttpRequest['resolverMatch']>,
    index: number,
    pending: PromiseLike<HttpResponseBase | null | undefined | void>,
  ): Promise<HttpResponseBase> {
    let response = await pending;
    for (let i = index + 1; !response && i < this.#viewMiddleware.length; i++) {
      const result = (this.#viewMiddleware[i] as ViewHook)(request, view, match.args, match.kwargs);
      response = isThenable(result) ? await result : result;
    }
    if (!response) {
      try {
        response = await view(request, match.kwargs);
      } catch (error) {
        return this.#viewFailed(error, request, view);
      }
    }
    return this.#afterView(request, view, response);
  }

  /** processException hooks for a view that threw; their response goes on as the view's. */
  async #viewFailed(error: unknown, request: HttpRequest, view: View): Promise<HttpResponseBase> {
    const response = await this.#processExceptionByMiddleware(error, request);
    if (!response) throw error;
    return this.#afterView(request, view, response);
  }

  /** Check what the view (or a hook) gave; a TemplateResponse goes through its hooks and renders. */
  #afterView(
    request: HttpRequest,
    view: View,
    response: unknown,
  ): HttpResponseBase | Promise<HttpResponseBase> {
    const checked = checkResponse(response, view);
    // Django's test is "has a callable render()": a TemplateResponse the view already rendered
    // still goes through processTemplateResponse (rendering it again is then a no-op).
    return typeof (checked as { render?: unknown }).render === 'function'
      ? this.#templateResponse(request, checked)
      : checked;
  }

  async #templateResponse(request: HttpRequest, response: HttpResponseBase): Promise<HttpResponseBase> {
    let checked: HttpResponseBase = response;
    for (const [owner, hook] of this.#templateResponseMiddleware) {
      const next = await hook(request, checked);
      if (!(next instanceof HttpResponseBase)) throw missingResponse(owner, 'processTemplateResponse', next);
      checked = next;
    }
    if (isUnrenderedTemplateResponse(checked)) {
      try {
        checked = ((await checked.render()) as HttpResponseBase | undefined) ?? checked;
      } catch (error) {
        const handled = await this.#processExceptionByMiddleware(error, request);
        if (!handled) throw error;
        checked = handled;
      }
    }
    return checked;
  }

  async #processExceptionByMiddleware(
    error: unknown,
    request: HttpRequest,
  ): Promise<HttpResponseBase | null> {
    for (const processException of this.#exceptionMiddleware) {
      const response = await processException(request, error);
      if (response) return response;
    }
    return null;
  }
}

/** What the startup pass needs to know about one view in the urlconf. */
interface ViewSite {
  view: View;
  route: string;
  /** Keyword arguments the view will get: urlconf extra kwargs and named captures on the way. */
  kwargNames: Set<string>;
}

/** Every view in the urlconf, with its full route and the kwargs it will receive. */
function* viewSites(
  entries: readonly UrlPatternEntry[],
  prefix = '',
  inherited = new Set<string>(),
): Generator<ViewSite> {
  for (const entry of entries) {
    const names = new Set([...inherited, ...captureNames(entry.pattern.regex.source)]);
    if (entry instanceof URLResolver) {
      for (const key of Object.keys(entry.defaultKwargs)) names.add(key);
      yield* viewSites(entry.urlPatterns, prefix + entry.pattern.toString(), names);
    } else if (entry instanceof URLPattern) {
      for (const key of Object.keys(entry.defaultArgs)) names.add(key);
      yield { view: entry.callback, route: prefix + entry.pattern.toString(), kwargNames: names };
    }
  }
}

function captureNames(pythonRegex: string): string[] {
  return [...pythonRegex.matchAll(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1] as string);
}

/**
 * The startup pass over every view in the urlconf:
 * - a view decorated (decoratorFromMiddleware) with a middleware class MIDDLEWARE also runs gets
 *   its hooks twice — warn (the double-processing trap);
 * - `view.requiredKwargs` not given by the urlconf (extra kwargs or captures) → ImproperlyConfigured
 *   now, rather than a 500 on the first request;
 * - `view.ready(settings)` hooks run once each (e.g. twilioView checks its credentials and loads
 *   the caller blacklist before the first request).
 */
async function checkViews(
  settings: Settings,
  entries: readonly UrlPatternEntry[],
  used: Set<unknown>,
): Promise<void> {
  const readyHooks = new Set<NonNullable<View['ready']>>();
  for (const { view, route, kwargNames } of viewSites(entries)) {
    const name = view.name || 'anonymous';
    for (const Class of view.middlewareDecorators ?? []) {
      if (!used.has(Class)) continue;
      const middleware = (Class as { name?: string }).name;
      checksLogger.warning(
        `View \`${name}\` (route '${route}') is decorated with ${middleware}, which MIDDLEWARE also runs: its hooks run twice for this view. Remove the decorator or take ${middleware} out of MIDDLEWARE.`,
        { id: 'middleware.W001' },
      );
    }
    const missing = (view.requiredKwargs ?? []).filter((key) => !kwargNames.has(key));
    if (missing.length > 0) {
      const list = missing.map((k) => `'${k}'`).join(', ');
      throw new ImproperlyConfigured(
        `View \`${name}\` (route '${route}') needs the keyword argument${missing.length > 1 ? 's' : ''} ${list}, which the urlconf does not give. Pass ${missing.length > 1 ? 'them' : 'it'} as extra kwargs, e.g. path('${route}', ${name}, { ${missing[0]}: '...' }), or capture ${missing.length > 1 ? 'them' : 'it'} in the route.`,
      );
    }
    if (view.ready) readyHooks.add(view.ready);
  }
  for (const ready of readyHooks) await ready(settings);
}

function isUnrenderedTemplateResponse(
  response: HttpResponseBase,
): response is HttpResponseBase & { render(): unknown; isRendered: boolean } {
  const candidate = response as HttpResponseBase & { render?: unknown; isRendered?: unknown };
  return typeof candidate.render === 'function' && candidate.isRendered === false;
}

/** Django's `check_response`, with a message that names the view and the likely fix. */
function checkResponse(response: unknown, view: View): HttpResponseBase {
  if (response instanceof HttpResponseBase) return response;
  const name = view.name || 'anonymous';
  const got =
    response === undefined
      ? 'undefined'
      : response === null
        ? 'null'
        : typeof response === 'object'
          ? `a ${(response as object).constructor?.name ?? 'object'}`
          : `a ${typeof response}`;
  const hint =
    response === undefined || response === null
      ? 'did you forget `return`?'
      : 'wrap it, e.g. `return new HttpResponse(value)`.';
  throw new InvalidResponse(`View \`${name}\` returned ${got}. Views must return an HttpResponse; ${hint}`);
}

async function loadUrlconf(settings: Settings): Promise<Urlconf | null> {
  const entry = settings.ROOT_URLCONF;
  if (entry === null || entry === undefined) return null;
  const mod =
    typeof entry === 'string' ? await importString(entry, settings.BASE_DIR, 'ROOT_URLCONF') : entry;
  if (!mod || typeof mod !== 'object' || !Array.isArray((mod as Urlconf).urlpatterns)) {
    throw new ImproperlyConfigured(
      `ROOT_URLCONF ${typeof entry === 'string' ? `'${entry}'` : 'module'} does not export \`urlpatterns\` (an array of path()/rePath() entries).`,
    );
  }
  return mod as Urlconf;
}

type MiddlewareCtor = new (
  getResponse: GetResponse,
  options: unknown,
  settings: Settings,
) => MiddlewareInstance;

async function resolveEntry(
  entry: MiddlewareEntry,
  settings: Settings,
): Promise<[MiddlewareCtor, unknown, string]> {
  const [ref, options] = Array.isArray(entry)
    ? (entry as readonly [MiddlewareRef, Record<string, unknown>])
    : [entry as MiddlewareRef, undefined];
  const resolved = typeof ref === 'string' ? await importString(ref, settings.BASE_DIR, 'MIDDLEWARE') : ref;
  const label = typeof ref === 'string' ? `'${ref}'` : (ref as { name?: string })?.name || String(ref);
  if (typeof resolved !== 'function') {
    throw new ImproperlyConfigured(`MIDDLEWARE entry ${label} is not a class (got ${typeof resolved}).`);
  }
  return [resolved as MiddlewareCtor, options, label];
}
