/**
 * `koa-django/middleware`: the middleware protocol and the built-in middleware (Django's
 * `django.middleware`).
 *
 * @example
 * import { MiddlewareMixin } from 'koa-django/middleware';
 * class PoweredByMiddleware extends MiddlewareMixin {
 *   processResponse(request, response) { response.set('X-Powered-By', 'koa-django'); return response; }
 * }
 *
 * @module
 */
export {
  type GetResponse,
  isThenable,
  type MiddlewareClass,
  type MiddlewareHooks,
  type MiddlewareInstance,
  MiddlewareMixin,
  runHooks,
} from './base.ts';
export { AppendSlashError, CommonMiddleware } from './common.ts';
export { type CsrfSessionStore, CsrfViewMiddleware, getToken, rotateToken } from './csrf.ts';
export { SecurityMiddleware } from './security.ts';
export { SignedCookiesMiddleware, type SignedCookiesOptions } from './signed-cookies.ts';
