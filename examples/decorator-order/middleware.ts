/**
 * Middleware for the decorator-ordering exercise: each logs `<name> pre` in `processRequest` and
 * `<name> post` in `processResponse`, on logger `examples.decorator-order`.
 *
 * `OuterMiddleware` and `InnerMiddleware` become view decorators (decorators.ts);
 * `SiteMiddleware` runs site-wide from MIDDLEWARE, to show where view decorators sit in the
 * bigger onion.
 *
 * @module
 */
import type { HttpRequest } from '../../src/http/request.ts';
import type { HttpResponseBase } from '../../src/http/response.ts';
import { MiddlewareMixin } from '../../src/middleware/base.ts';
import { getLogger } from '../../src/utils/log.ts';

/**
 * The logger every step of the exercise writes to, one line per step.
 *
 * @example
 * addLogHandler((record) => record.logger === 'examples.decorator-order' && steps.push(record.message));
 */
export const trace = getLogger('examples.decorator-order');

/**
 * Logs `outer pre` / `outer post`.
 *
 * @example export const outer = decoratorFromMiddleware(OuterMiddleware);
 */
export class OuterMiddleware extends MiddlewareMixin {
  processRequest(_request: HttpRequest): void {
    trace.info('outer pre');
  }
  processResponse(_request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
    trace.info('outer post');
    return response;
  }
}

/**
 * Logs `inner pre` / `inner post`.
 *
 * @example export const inner = decoratorFromMiddleware(InnerMiddleware);
 */
export class InnerMiddleware extends MiddlewareMixin {
  processRequest(_request: HttpRequest): void {
    trace.info('inner pre');
  }
  processResponse(_request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
    trace.info('inner post');
    return response;
  }
}

/**
 * Logs `site pre` / `site post`; listed in MIDDLEWARE, so it wraps every view and its decorators.
 *
 * @example MIDDLEWARE: [SiteMiddleware]
 */
export class SiteMiddleware extends MiddlewareMixin {
  processRequest(_request: HttpRequest): void {
    trace.info('site pre');
  }
  processResponse(_request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
    trace.info('site post');
    return response;
  }
}
