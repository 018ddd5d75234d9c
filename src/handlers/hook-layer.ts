/**
 * One pipeline layer for a hook-style middleware (`MiddlewareMixin` without its own `call`), in a
 * single function: what `convertExceptionToResponse(request => runHooks(middleware, request,
 * middleware.getResponse))` does, without an async frame per step.
 *
 * Hooks are usually synchronous, so the layer calls `processRequest`, the inner layers and
 * `processResponse` directly and creates one promise (the `.then` on the inner layer); a hook that
 * returns a promise is awaited as before. Every exception still becomes a response at this layer
 * (`responseForException`), exactly where `convertExceptionToResponse` would have caught it.
 *
 * @module
 */
import type { HttpRequest } from '../http/request.ts';
import type { HttpResponseBase } from '../http/response.ts';
import { type GetResponse, isThenable, type MiddlewareHooks, missingResponse } from '../middleware/base.ts';
import { responseForException, type UrlconfOf } from './exception.ts';

/**
 * The layer for `middleware`, converting exceptions with the error handlers of `urlconfOf`.
 *
 * @example
 * const layer = hookLayer(new TimingMiddleware(next), urlconfOf);
 * const response = await layer(request);
 */
export function hookLayer(
  middleware: MiddlewareHooks & { readonly getResponse: GetResponse },
  urlconfOf: UrlconfOf,
): GetResponse {
  const convert = (request: HttpRequest, error: unknown) => responseForException(request, error, urlconfOf);

  /** `processResponse` on `response`; a response or a promise of one, never a throw. */
  const respond = (
    request: HttpRequest,
    response: HttpResponseBase,
  ): HttpResponseBase | Promise<HttpResponseBase> => {
    const processResponse = middleware.processResponse;
    if (!processResponse) return response;
    let processed: ReturnType<typeof processResponse>;
    try {
      processed = processResponse.call(middleware, request, response);
    } catch (error) {
      return convert(request, error);
    }
    if (isThenable(processed)) {
      return Promise.resolve(processed).then(
        (value) => value || convert(request, missingResponse(middleware, 'processResponse', value)),
        (error: unknown) => convert(request, error),
      );
    }
    return processed || convert(request, missingResponse(middleware, 'processResponse', processed));
  };

  const inner = (request: HttpRequest): Promise<HttpResponseBase> => {
    let pending: Promise<HttpResponseBase>;
    try {
      pending = middleware.getResponse(request);
    } catch (error) {
      return convert(request, error);
    }
    return pending.then(
      (response) => respond(request, response),
      (error: unknown) => convert(request, error),
    );
  };

  return function hookLayer(request: HttpRequest): Promise<HttpResponseBase> {
    const processRequest = middleware.processRequest;
    let early: ReturnType<NonNullable<typeof processRequest>> | undefined;
    try {
      early = processRequest ? processRequest.call(middleware, request) : undefined;
    } catch (error) {
      return convert(request, error);
    }
    if (isThenable(early)) {
      return Promise.resolve(early).then(
        (value) => (value ? respond(request, value) : inner(request)),
        (error: unknown) => convert(request, error),
      );
    }
    // A response from processRequest skips the inner layers; its own processResponse still runs.
    return early ? Promise.resolve(respond(request, early)) : inner(request);
  };
}
