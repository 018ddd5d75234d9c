/**
 * `koa-django`: the core API in one import — the Koa host, settings, request and response
 * objects, URLs, signals and every exception. Contrib apps and the less common pieces have their
 * own entry points (`koa-django/views`, `koa-django/middleware`, `koa-django/twilio`...).
 *
 * @example
 * import { createApp, defineSettings, HttpResponse, path } from 'koa-django';
 * const settings = defineSettings({
 *   SECRET_KEY: process.env.SECRET_KEY,
 *   ALLOWED_HOSTS: ['localhost'],
 *   ROOT_URLCONF: { urlpatterns: [path('', async () => new HttpResponse('Hello'))] },
 * });
 * (await createApp(settings)).listen(8000);
 *
 * @module
 */
export { createApp, type DjangoMiddlewareOptions, djangoMiddleware } from './app.ts';
export {
  checkSettings,
  DEFAULTS,
  defineSettings,
  loadSettings,
  overrideSettings,
  type Settings,
  type SettingsInput,
} from './conf/index.ts';
export * from './exceptions.ts';
export {
  FileResponse,
  HttpRequest,
  HttpResponse,
  HttpResponseBadRequest,
  HttpResponseBase,
  HttpResponseForbidden,
  HttpResponseGone,
  HttpResponseNotAllowed,
  HttpResponseNotFound,
  HttpResponseNotModified,
  HttpResponsePermanentRedirect,
  HttpResponseRedirect,
  HttpResponseServerError,
  JsonResponse,
  QueryDict,
  StreamingHttpResponse,
} from './http/index.ts';
export { gotRequestException, receiver, requestFinished, requestStarted, Signal } from './signals/index.ts';
export { include, path, rePath, resolve, reverse } from './urls/index.ts';
