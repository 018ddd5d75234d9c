/**
 * Two pairs of view decorators that log before and after the view: one pair built from
 * middleware classes with `decoratorFromMiddleware`, one pair written as plain wrapper functions.
 * Both pairs nest the same way: the decorator applied last is the outermost layer.
 *
 * @module
 */
import type { HttpRequest } from '../../src/http/request.ts';
import { type Decorator, decoratorFromMiddleware, wraps } from '../../src/views/decorators.ts';
import type { Kwargs } from '../../src/views/view.ts';
import { InnerMiddleware, OuterMiddleware, trace } from './middleware.ts';

/** `OuterMiddleware` around one view. @example export const page = outer(inner(view)); */
export const outer: Decorator = decoratorFromMiddleware(OuterMiddleware);

/** `InnerMiddleware` around one view. @example export const page = outer(inner(view)); */
export const inner: Decorator = decoratorFromMiddleware(InnerMiddleware);

/**
 * A plain wrapper decorator that logs `<name> pre`, calls the view, then logs `<name> post`.
 * `wraps` keeps the view's name and flags on the wrapper (Python's `functools.wraps`).
 *
 * @example
 * export const page = logAround('outer')(logAround('inner')(view));
 */
export function logAround(name: string): Decorator {
  return (view) =>
    wraps(view, async function logged(request: HttpRequest, kwargs: Kwargs) {
      trace.info(`${name} pre`);
      const response = await view(request, kwargs);
      trace.info(`${name} post`);
      return response;
    });
}
