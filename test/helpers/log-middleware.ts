/**
 * Fixture middleware that log their hooks into a shared list (Django's middleware_exceptions
 * approach), with switches to make any hook return a response or throw.
 */
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse, type HttpResponseBase } from '../../src/http/response.ts';
import { MiddlewareMixin } from '../../src/middleware/base.ts';

export type Hook = 'req' | 'view' | 'tmpl' | 'resp' | 'exc';

export interface LogBehaviour {
  /** Hooks that return a response of their own. */
  respond?: Hook[];
  /** Hooks that throw. */
  raise?: Hook[];
}

/** A middleware class named `name` logging `<name>.<hook>` into `log`. */
export function loggingMiddleware(name: string, log: string[], behaviour: LogBehaviour = {}) {
  const respond = new Set(behaviour.respond ?? []);
  const raise = new Set(behaviour.raise ?? []);
  const act = (hook: Hook) => {
    if (raise.has(hook)) throw new Error(`${name}.${hook} failed`);
    return respond.has(hook) ? new HttpResponse(`${name}.${hook}`) : undefined;
  };
  const Logging = class extends MiddlewareMixin {
    processRequest(_request: HttpRequest) {
      log.push(`${name}.req`);
      return act('req');
    }
    processView() {
      log.push(`${name}.view`);
      return act('view');
    }
    processTemplateResponse(_request: HttpRequest, response: HttpResponseBase) {
      log.push(`${name}.tmpl`);
      return act('tmpl') ?? response;
    }
    processResponse(_request: HttpRequest, response: HttpResponseBase) {
      log.push(`${name}.resp(${response.statusCode})`);
      return act('resp') ?? response;
    }
    processException() {
      log.push(`${name}.exc`);
      return act('exc');
    }
  };
  Object.defineProperty(Logging, 'name', { value: name });
  return Logging;
}
