/**
 * The default error views, used when the root urlconf exports no `handler400/403/404/500`
 * (Django's `django/views/defaults.py`): a minimal HTML page per status, byte-compatible with
 * Django's built-in bodies.
 *
 * One deliberate difference: for 400 and 403 the page shows the error's message when the error
 * is one of koa-django's client errors (`expose` is true). Those messages describe the client's
 * own request ("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE..."), never server
 * state, and webhook senders such as Twilio show response bodies in their debugger. Django shows
 * nothing; 404 and 500 pages here show nothing either.
 *
 * @module
 */
import type { Settings } from '../conf/index.ts';
import { KoaDjangoError } from '../exceptions.ts';
import type { HttpRequest } from '../http/request.ts';
import { HttpResponse, type HttpResponseBase } from '../http/response.ts';
import { escapeHtml } from '../utils/html.ts';

/** A urlconf error handler: `handler404(request, exception)`; `handler500` may ignore `exception`. */
export type ErrorView = (
  request: HttpRequest,
  exception?: unknown,
) => HttpResponseBase | Promise<HttpResponseBase>;

const TITLES = {
  400: 'Bad Request (400)',
  403: '403 Forbidden',
  404: 'Not Found',
  500: 'Server Error (500)',
} as const;

function page(title: string, details: string): string {
  return `\n<!doctype html>\n<html lang="en">\n<head>\n  <title>${title}</title>\n</head>\n<body>\n  <h1>${title}</h1><p>${details}</p>\n</body>\n</html>\n`;
}

function exposedMessage(exception: unknown): string {
  return exception instanceof KoaDjangoError && exception.expose ? escapeHtml(exception.message) : '';
}

/**
 * 404: "The requested resource was not found on this server."
 *
 * @example
 * export const handler404 = (request, exception) => pageNotFound(request, exception);
 */
export function pageNotFound(_request: HttpRequest, _exception?: unknown): HttpResponse {
  return new HttpResponse(page(TITLES[404], 'The requested resource was not found on this server.'), {
    status: 404,
  });
}

/**
 * 403, with the error's message when it is safe to show.
 *
 * @example
 * export const handler403 = permissionDenied;
 */
export function permissionDenied(_request: HttpRequest, exception?: unknown): HttpResponse {
  return new HttpResponse(page(TITLES[403], exposedMessage(exception)), { status: 403 });
}

/**
 * 400, with the error's message when it is safe to show.
 *
 * @example
 * export const handler400 = badRequest;
 */
export function badRequest(_request: HttpRequest, exception?: unknown): HttpResponse {
  return new HttpResponse(page(TITLES[400], exposedMessage(exception)), { status: 400 });
}

/**
 * 500: says nothing about the error.
 *
 * @example
 * export const handler500 = serverError;
 */
export function serverError(_request: HttpRequest): HttpResponse {
  return new HttpResponse(page(TITLES[500], ''), { status: 500 });
}

/**
 * The default view for an error status.
 *
 * @example
 * const view = defaultErrorView(404, settings);
 */
export function defaultErrorView(status: 400 | 403 | 404 | 500, _settings: Settings): ErrorView {
  switch (status) {
    case 400:
      return badRequest;
    case 403:
      return permissionDenied;
    case 404:
      return pageNotFound;
    default:
      return serverError;
  }
}
