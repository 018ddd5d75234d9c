/**
 * Log a 4xx/5xx response once, on `koa-django.request` (Django's `log_response`): warning for
 * 4xx, error for 5xx. A response logged where its exception was handled is not logged again when
 * it leaves the pipeline.
 *
 * @module
 */
import type { HttpRequest } from '../http/request.ts';
import type { HttpResponseBase } from '../http/response.ts';
import { getLogger } from '../utils/log.ts';

const logger = getLogger('koa-django.request');
const logged = new WeakSet<HttpResponseBase>();

/**
 * Remember that `response` has been logged already.
 *
 * @example
 * markLogged(response);
 */
export function markLogged(response: HttpResponseBase): void {
  logged.add(response);
}

/**
 * Log `message` for an error response, unless this response was logged before.
 *
 * @example
 * logResponse(`Not Found: ${request.path}`, request, response);
 */
export function logResponse(
  message: string,
  request: HttpRequest,
  response: HttpResponseBase,
  exception?: unknown,
): void {
  if (logged.has(response) || response.statusCode < 400) return;
  logged.add(response);
  const extra = { status: response.statusCode, request };
  if (response.statusCode >= 500) logger.error(message, extra, exception);
  else logger.warning(message, extra, exception);
}
