/**
 * Exceptions into responses, at every layer of the pipeline (Django's
 * `django/core/handlers/exception.py`). `convertExceptionToResponse` wraps each layer so no
 * middleware ever sees an exception from the layer inside it, only a response; the mapping
 * itself lives in `responseForException`:
 *
 * | thrown                                   | DEBUG off          | DEBUG on                      |
 * | ---------------------------------------- | ------------------ | ----------------------------- |
 * | Http404 (incl. Resolver404)              | handler404 → 404   | technical 404 page            |
 * | PermissionDenied                         | handler403 → 403   | handler403 → 403              |
 * | MultiPartParserError                     | handler400 → 400   | handler400 → 400              |
 * | BadRequest, SuspiciousOperation (+ subs) | handler400 → 400   | technical 500 page, status 400|
 * | any other error with a 4xx `status`      | that status        | that status                   |
 * | anything else                            | handler500 → 500 (after `gotRequestException`) | technical 500 page |
 *
 * @module
 */
import type { Settings } from '../conf/index.ts';
import {
  BadRequest,
  Http404,
  KoaDjangoError,
  MultiPartParserError,
  PermissionDenied,
  SuspiciousOperation,
} from '../exceptions.ts';
import type { HttpRequest } from '../http/request.ts';
import { HttpResponse, type HttpResponseBase } from '../http/response.ts';
import { gotRequestException } from '../signals/index.ts';
import { getResolver } from '../urls/resolvers.ts';
import { getLogger } from '../utils/log.ts';
import { technical404Response, technical500Response } from '../views/debug.ts';
import { defaultErrorView, type ErrorView } from '../views/defaults.ts';
import { logResponse, markLogged } from './log-response.ts';

const securityLoggers = new Map<string, ReturnType<typeof getLogger>>();
function securityLogger(name: string) {
  let logger = securityLoggers.get(name);
  if (!logger) {
    logger = getLogger(`koa-django.security.${name}`);
    securityLoggers.set(name, logger);
  }
  return logger;
}

/** Resolves the urlconf that error handlers come from (`request.urlconf` or `ROOT_URLCONF`). */
export type UrlconfOf = (request: HttpRequest) => Readonly<Record<string, unknown>> | null;

/**
 * Wrap one layer so that anything it throws becomes a response at that layer.
 *
 * @example
 * const layer = convertExceptionToResponse(getResponse, urlconfOf);
 */
export function convertExceptionToResponse(
  getResponse: (request: HttpRequest) => Promise<HttpResponseBase>,
  urlconfOf: UrlconfOf,
): (request: HttpRequest) => Promise<HttpResponseBase> {
  return function layer(request) {
    // `.then(onFulfilled, onRejected)` instead of an async wrapper: one promise per layer, not
    // three, on every request.
    let pending: Promise<HttpResponseBase>;
    try {
      pending = getResponse(request);
    } catch (error) {
      return responseForException(request, error, urlconfOf);
    }
    return pending.then(undefined, (error: unknown) => responseForException(request, error, urlconfOf));
  };
}

/**
 * The response for `exception`, per the table in the module header. Logs like Django does, and
 * sends `gotRequestException` for server errors.
 *
 * @example
 * return responseForException(request, new Http404('No such caller'), urlconfOf);
 */
export async function responseForException(
  request: HttpRequest,
  exception: unknown,
  urlconfOf: UrlconfOf,
): Promise<HttpResponseBase> {
  const settings = request.settings;
  let response: HttpResponseBase;
  if (exception instanceof Http404) {
    response = settings.DEBUG
      ? technical404Response(request, exception)
      : await errorResponse(request, 404, exception, urlconfOf);
  } else if (exception instanceof PermissionDenied) {
    response = await errorResponse(request, 403, exception, urlconfOf);
    logResponse(`Forbidden (Permission denied): ${request.path}`, request, response, exception);
  } else if (exception instanceof MultiPartParserError) {
    response = await errorResponse(request, 400, exception, urlconfOf);
    logResponse(`Bad request (Unable to parse request body): ${request.path}`, request, response, exception);
  } else if (exception instanceof BadRequest) {
    response = settings.DEBUG
      ? technical500Response(request, exception, 400)
      : await errorResponse(request, 400, exception, urlconfOf);
    logResponse(`${exception.message}: ${request.path}`, request, response, exception);
  } else if (exception instanceof SuspiciousOperation) {
    securityLogger(exception.name).error(exception.message, { request, status: 400 }, exception);
    response = settings.DEBUG
      ? technical500Response(request, exception, 400)
      : await errorResponse(request, 400, exception, urlconfOf);
    markLogged(response);
  } else if (isClientError(exception)) {
    response = new HttpResponse(exception.expose ? exception.message : '', {
      status: exception.status,
      contentType: 'text/plain; charset=utf-8',
    });
    logResponse(`${exception.message}: ${request.path}`, request, response, exception);
  } else {
    await gotRequestException.sendRobust(null, { request });
    response = await handleUncaughtException(request, exception, urlconfOf);
    logResponse(`${response.reasonPhrase}: ${request.path}`, request, response, exception);
  }
  return ensureRendered(response);
}

/**
 * Render a TemplateResponse that has not been rendered yet (an error view may return one).
 *
 * @example
 * response = await ensureRendered(await handler404(request, exception));
 */
export async function ensureRendered(response: HttpResponseBase): Promise<HttpResponseBase> {
  const candidate = response as HttpResponseBase & { render?: () => unknown; isRendered?: boolean };
  if (typeof candidate.render === 'function' && candidate.isRendered === false) {
    return ((await candidate.render()) as HttpResponseBase | undefined) ?? response;
  }
  return response;
}

function isClientError(e: unknown): e is KoaDjangoError & { status: number } {
  return e instanceof KoaDjangoError && typeof e.status === 'number' && e.status >= 400 && e.status < 500;
}

/**
 * The urlconf's `handler<status>` (or the default view) called with the exception; a handler that
 * throws falls back to the 500 handling, as in Django.
 */
async function errorResponse(
  request: HttpRequest,
  status: 400 | 403 | 404,
  exception: unknown,
  urlconfOf: UrlconfOf,
): Promise<HttpResponseBase> {
  const view = errorHandler(request.settings, urlconfOf(request), status);
  try {
    return await ensureRendered(await view(request, exception));
  } catch (error) {
    await gotRequestException.sendRobust(null, { request });
    return handleUncaughtException(request, error, urlconfOf);
  }
}

/** Django's `handle_uncaught_exception`: propagate, technical 500, or handler500. */
async function handleUncaughtException(
  request: HttpRequest,
  exception: unknown,
  urlconfOf: UrlconfOf,
): Promise<HttpResponseBase> {
  const settings = request.settings;
  if (settings.DEBUG_PROPAGATE_EXCEPTIONS) throw exception;
  if (settings.DEBUG) return technical500Response(request, exception, 500);
  // If handler500 itself throws, the error escapes the pipeline (Django does the same).
  return ensureRendered(await errorHandler(settings, urlconfOf(request), 500)(request, exception));
}

function errorHandler(
  settings: Settings,
  urlconf: Readonly<Record<string, unknown>> | null,
  status: 400 | 403 | 404 | 500,
): ErrorView {
  const custom = urlconf ? getResolver(urlconf).resolveErrorHandler(status) : undefined;
  return (custom as ErrorView | undefined) ?? defaultErrorView(status, settings);
}
