/**
 * Built-in context processors (Django's `django/template/context_processors.py`). List them in
 * `TEMPLATES[0].OPTIONS.contextProcessors` (as functions, or as strings such as
 * `'koa-django/template#contextProcessors.request'`); `csrf` always runs, as in Django.
 *
 * A context processor takes the request and returns variables for every template rendered with
 * that request; write your own the same way: `(request) => ({ site: 'Acme' })`.
 *
 * @module
 */
import type { HttpRequest } from '../http/request.ts';
import { getToken } from '../middleware/csrf.ts';
import { markSafe, type SafeString } from './safe-string.ts';

/**
 * Adds `request`, the current HttpRequest.
 *
 * @example
 * // TEMPLATES: [{ DIRS: ['templates'], OPTIONS: { contextProcessors: [contextProcessors.request] } }]
 * // {{ request.path }}
 */
export function request(req: HttpRequest): { request: HttpRequest } {
  return { request: req };
}

/**
 * Adds `debug`: the `DEBUG` setting. (Django adds it only for `INTERNAL_IPS`, with
 * `sql_queries`; koa-django has neither, and DEBUG is never on in production.)
 *
 * @example
 * // {% if debug %}<p>development build</p>{% endif %}
 */
export function debug(req: HttpRequest): { debug: boolean } {
  return { debug: req.settings.DEBUG === true };
}

/**
 * Adds `csrf_token` (the masked token, for a form field or an `X-CSRFToken` header) and
 * `csrf_input` (the whole hidden `<input>`, safe HTML). Both are lazy: the token, and with it
 * the CSRF cookie, is only made when a template prints one of them (Django's
 * `SimpleLazyObject`), so pages without forms do not set the cookie.
 *
 * @example
 * // <form method="post">{{ csrf_input }}...</form>
 * // fetch(url, { headers: { 'X-CSRFToken': '{{ csrf_token }}' } })
 */
export function csrf(req: HttpRequest): { csrf_token: LazyString; csrf_input: SafeString } {
  let token: string | undefined;
  const value = () => {
    token ??= getToken(req);
    return token;
  };
  return {
    csrf_token: lazyString(value),
    csrf_input: markSafe(
      lazyString(() => `<input type="hidden" name="csrfmiddlewaretoken" value="${value()}">`),
    ),
  };
}

/** A value that prints as a string computed on first use. */
export interface LazyString {
  toString(): string;
  valueOf(): string;
}

function lazyString(compute: () => string): LazyString {
  let cached: string | undefined;
  const get = () => {
    cached ??= compute();
    return cached;
  };
  return { toString: get, valueOf: get, toJSON: get } as LazyString;
}
