/**
 * Views for the MinimumResponseMiddleware example: short bodies, so the padding shows.
 *
 * - `hello` is padded by MIDDLEWARE alone (to 512 bytes);
 * - `report` is also decorated with a per-view minimum of 1024: it comes out 1024 bytes long;
 * - `ping` is decorated with a per-view minimum of 64, but comes out 512 bytes long, because the
 *   site-wide middleware pads it again after the decorator did (the double-processing trap);
 * - `events` streams, so nothing pads it.
 *
 * @module
 */
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse, StreamingHttpResponse } from '../../src/http/response.ts';
import { decoratorFromMiddlewareWithArgs } from '../../src/views/decorators.ts';
import { MinimumResponseMiddleware } from './middleware.ts';

/**
 * The middleware as a view decorator factory: `minimumResponse({ minimum })(view)`.
 *
 * @example
 * export const page = minimumResponse({ minimum: 2048 })(async () => new HttpResponse('short'));
 */
export const minimumResponse = decoratorFromMiddlewareWithArgs(MinimumResponseMiddleware);

/** A 13-byte page: MIDDLEWARE pads it to 512 bytes. @example path('', hello, 'hello') */
export async function hello(_request: HttpRequest): Promise<HttpResponse> {
  return new HttpResponse('Hello, world!', { contentType: 'text/plain; charset=utf-8' });
}

/**
 * A page with its own, larger minimum (1024 bytes).
 *
 * @example path('report/', report, 'report')
 */
export const report = minimumResponse({ minimum: 1024 })(async function report(_request: HttpRequest) {
  return new HttpResponse('Quarterly report: all good.', { contentType: 'text/plain; charset=utf-8' });
});

/**
 * A page that asks for a smaller minimum (64 bytes) than MIDDLEWARE's 512, and does not get it.
 *
 * @example path('ping/', ping, 'ping')
 */
export const ping = minimumResponse({ minimum: 64 })(async function ping(_request: HttpRequest) {
  return new HttpResponse('pong', { contentType: 'text/plain; charset=utf-8' });
});

/** A streaming response: its length is unknown up front, so it is never padded. @example path('events/', events) */
export async function events(_request: HttpRequest): Promise<StreamingHttpResponse> {
  return new StreamingHttpResponse(['data: one\n\n', 'data: two\n\n'], { contentType: 'text/event-stream' });
}
