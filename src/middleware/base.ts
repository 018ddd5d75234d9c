/**
 * The middleware protocol: Django's hook names in camelCase, and `MiddlewareMixin`, the adapter
 * that layers `processRequest` / `processResponse` over the next layer's `getResponse` (Django's
 * `django/utils/deprecation.py`).
 *
 * A middleware is a class constructed ONCE (at startup, or at decoration time for
 * `decoratorFromMiddleware`) as `new Middleware(getResponse, options, settings)`:
 * - `getResponse` is the next layer inward (or the view, when used as a decorator);
 * - `options` are its own options, with defaults (from `[Class, options]` in MIDDLEWARE, or the
 *   arguments given to `decoratorFromMiddlewareWithArgs(Class)(options)`);
 * - `settings` is the app's Settings when built by the pipeline, and `undefined` when used as a
 *   view decorator (decorators run before any app exists) — read `request.settings` per request.
 *
 * Every hook may be sync or async. Throw `MiddlewareNotUsed` from the constructor to opt out.
 *
 * @module
 */
import type { Settings } from '../conf/index.ts';
import { InvalidResponse } from '../exceptions.ts';
import type { HttpRequest } from '../http/request.ts';
import type { HttpResponseBase } from '../http/response.ts';
import type { Kwargs, View } from '../views/view.ts';

type MaybePromise<T> = T | Promise<T>;

/** The next layer inward: returns the response for a request. */
export type GetResponse = (request: HttpRequest) => Promise<HttpResponseBase>;

/** The hooks a middleware may define (all optional). */
export interface MiddlewareHooks {
  /** Before the URL is resolved. Return a response to short-circuit everything inner. */
  processRequest?(request: HttpRequest): MaybePromise<HttpResponseBase | null | undefined | void>;
  /** Just before the view is called (top-down). Return a response to skip the view. */
  processView?(
    request: HttpRequest,
    view: View,
    args: unknown[],
    kwargs: Kwargs,
  ): MaybePromise<HttpResponseBase | null | undefined | void>;
  /** For a TemplateResponse, before it renders (bottom-up). Must return a response. */
  processTemplateResponse?(request: HttpRequest, response: HttpResponseBase): MaybePromise<HttpResponseBase>;
  /** On the way out (bottom-up). Must return a response — usually the one it was given. */
  processResponse?(request: HttpRequest, response: HttpResponseBase): MaybePromise<HttpResponseBase>;
  /** When the view throws (bottom-up). Return a response to handle it, or nothing to pass it on. */
  processException?(
    request: HttpRequest,
    exception: unknown,
  ): MaybePromise<HttpResponseBase | null | undefined | void>;
}

/** A constructed middleware: hooks, and optionally its own `call` (Django's `__call__`). */
export interface MiddlewareInstance extends MiddlewareHooks {
  call?(request: HttpRequest): Promise<HttpResponseBase>;
}

/** A middleware class. */
export type MiddlewareClass<Options = never> = new (
  getResponse: GetResponse,
  options?: Options,
  settings?: Settings,
) => MiddlewareInstance;

/**
 * Base class for hook-style middleware: `call()` runs `processRequest`, then (unless it returned a
 * response) the inner layers, then `processResponse` — exactly `MiddlewareMixin.__call__`.
 *
 * @example
 * class TimingMiddleware extends MiddlewareMixin<{ header?: string }> {
 *   processResponse(request: HttpRequest, response: HttpResponseBase) {
 *     response.set(this.options.header ?? 'X-Served-By', 'koa-django');
 *     return response;
 *   }
 * }
 * // settings: MIDDLEWARE: [TimingMiddleware, [TimingMiddleware, { header: 'X-Other' }]]
 */
export class MiddlewareMixin<Options extends object = Record<string, unknown>> implements MiddlewareInstance {
  readonly getResponse: GetResponse;
  readonly options: Readonly<Partial<Options>>;
  readonly settings: Settings | undefined;

  constructor(getResponse: GetResponse, options?: Partial<Options>, settings?: Settings) {
    if (typeof getResponse !== 'function') {
      throw new TypeError(`${new.target.name} needs the next layer's getResponse as its first argument.`);
    }
    this.getResponse = getResponse;
    this.options = Object.freeze({ ...(options ?? {}) }) as Readonly<Partial<Options>>;
    this.settings = settings;
  }

  call(request: HttpRequest): Promise<HttpResponseBase> {
    return runHooks(this as MiddlewareHooks, request, this.getResponse);
  }
}

/**
 * Django's `MiddlewareMixin.__call__` for any object with hooks: request hook, inner layers,
 * response hook. Exported so a class that does not extend the mixin behaves the same.
 */
export async function runHooks(
  middleware: MiddlewareHooks,
  request: HttpRequest,
  getResponse: GetResponse,
): Promise<HttpResponseBase> {
  // Hooks are usually synchronous: only await what is actually a promise (each await costs a
  // trip through the microtask queue, on every layer of every request).
  let early = middleware.processRequest ? middleware.processRequest(request) : undefined;
  if (isThenable(early)) early = await early;
  let response = early || (await getResponse(request));
  if (middleware.processResponse) {
    let processed = middleware.processResponse(request, response);
    if (isThenable(processed)) processed = await processed;
    if (!processed) throw missingResponse(middleware, 'processResponse', processed);
    response = processed;
  }
  return response;
}

/** Whether `value` is a promise (or any thenable). */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The error for a hook that had to return a response and did not. */
export function missingResponse(middleware: object, hook: string, value: unknown): InvalidResponse {
  const name = middleware.constructor?.name ?? 'Middleware';
  return new InvalidResponse(
    `${name}.${hook} didn't return an HttpResponse object. It returned ${value === null ? 'null' : typeof value} instead; did you forget \`return response\`?`,
  );
}
