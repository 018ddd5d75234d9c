/**
 * One view, decorated three ways. In Python you would stack decorators:
 *
 *     @outer
 *     @inner
 *     def greeting(request): ...
 *
 * which is `greeting = outer(inner(greeting))`: the decorator nearest the function is applied
 * first and ends up innermost. TypeScript has no decorators for functions, so we write the calls.
 *
 * @module
 */
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { inner, logAround, outer } from './decorators.ts';
import { trace } from './middleware.ts';

async function greeting(_request: HttpRequest): Promise<HttpResponse> {
  trace.info('view');
  return new HttpResponse('Hello from the middle of the onion', { contentType: 'text/plain; charset=utf-8' });
}

/** `outer(inner(greeting))`, decorators built from middleware. @example path('middleware/', fromMiddleware) */
export const fromMiddleware = outer(inner(greeting));

/** The same order with plain wrapper decorators. @example path('wrappers/', fromWrappers) */
export const fromWrappers = logAround('outer')(logAround('inner')(greeting));

/** `inner(outer(greeting))`: swap the calls and the layers swap. @example path('swapped/', swapped) */
export const swapped = inner(outer(greeting));
