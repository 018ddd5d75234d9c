/**
 * The same reply as bare-koa.ts, served through the whole koa-django pipeline with five
 * hook-style middleware and a 100-pattern urlconf in which the request matches the LAST pattern.
 * `node --import=tsx bench/servers/pipeline.ts <port>`
 *
 * The middleware each do a little real work, as an app's own middleware would: a request id, a
 * Server-Timing header, a language chosen from Accept-Language, the view's name (from
 * processView) and security headers. None changes the status or the body.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createApp } from '../../src/app.ts';
import { defineSettings } from '../../src/conf/index.ts';
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse, type HttpResponseBase } from '../../src/http/response.ts';
import { MiddlewareMixin } from '../../src/middleware/base.ts';
import { path, type URLPattern } from '../../src/urls/index.ts';
import { getLogger } from '../../src/utils/log.ts';
import type { View } from '../../src/views/view.ts';
import { HELLO, serve } from './serve.ts';

/** `X-Request-Id`: a fresh UUID per request, kept for the response. */
class RequestIdMiddleware extends MiddlewareMixin {
  readonly #ids = new WeakMap<HttpRequest, string>();
  processRequest(request: HttpRequest): void {
    this.#ids.set(request, randomUUID());
  }
  processResponse(request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
    response.set('X-Request-Id', this.#ids.get(request) ?? '-');
    return response;
  }
}

/** `Server-Timing: app;dur=<ms>` from processRequest to processResponse. */
class TimingMiddleware extends MiddlewareMixin {
  readonly #started = new WeakMap<HttpRequest, number>();
  processRequest(request: HttpRequest): void {
    this.#started.set(request, performance.now());
  }
  processResponse(request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
    const started = this.#started.get(request) ?? performance.now();
    response.set('Server-Timing', `app;dur=${(performance.now() - started).toFixed(3)}`);
    return response;
  }
}

const LANGUAGES = new Set(['en', 'fr', 'de', 'es']);

/** Picks a language from Accept-Language (first supported one), says so in Content-Language. */
class LocaleMiddleware extends MiddlewareMixin {
  readonly #languages = new WeakMap<HttpRequest, string>();
  processRequest(request: HttpRequest): void {
    const header = request.headers.get('Accept-Language') ?? '';
    let language = 'en';
    for (const part of header.split(',')) {
      const code = part.split(';')[0]?.trim().slice(0, 2).toLowerCase() ?? '';
      if (LANGUAGES.has(code)) {
        language = code;
        break;
      }
    }
    this.#languages.set(request, language);
  }
  processResponse(request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
    response.set('Content-Language', this.#languages.get(request) ?? 'en');
    const vary = response.get('Vary');
    response.set('Vary', vary ? `${vary}, Accept-Language` : 'Accept-Language');
    return response;
  }
}

/** processView: remembers the view's name; `X-View` on the way out. */
class ViewNameMiddleware extends MiddlewareMixin {
  readonly #views = new WeakMap<HttpRequest, string>();
  processView(request: HttpRequest, view: View): void {
    this.#views.set(request, view.name || 'anonymous');
  }
  processResponse(request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
    const name = this.#views.get(request);
    if (name) response.set('X-View', name);
    return response;
  }
}

const log = getLogger('bench.pipeline');

/** Security headers on every response; logs view exceptions (a no-op on the happy path). */
class SecurityHeadersMiddleware extends MiddlewareMixin {
  processResponse(_request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
    response.setDefault('X-Content-Type-Options', 'nosniff');
    response.setDefault('Referrer-Policy', 'same-origin');
    response.setDefault('X-Frame-Options', 'DENY');
    return response;
  }
  processException(request: HttpRequest, exception: unknown): void {
    log.error(`View failed: ${request.path}`, {}, exception);
  }
}

async function itemDetail(_request: HttpRequest): Promise<HttpResponse> {
  return new HttpResponse(HELLO);
}

async function other(_request: HttpRequest): Promise<HttpResponse> {
  return new HttpResponse('not this one');
}

/** 99 patterns that do not match, a mix of literal routes and converters, then the one that does. */
function urlpatterns(): URLPattern[] {
  const shapes = [
    (i: number) => path(`api/v1/resource${i}/`, other, `resource${i}-list`),
    (i: number) => path(`api/v1/resource${i}/<int:pk>/`, other, `resource${i}-detail`),
    (i: number) => path(`api/v1/resource${i}/<slug:slug>/edit/`, other, `resource${i}-edit`),
    (i: number) => path(`api/v1/resource${i}/<uuid:id>/<str:part>/`, other, `resource${i}-part`),
  ];
  const patterns = Array.from({ length: 99 }, (_, i) =>
    (shapes[i % shapes.length] as (i: number) => URLPattern)(i),
  );
  patterns.push(path('api/v1/items/<int:pk>/<slug:action>/', itemDetail, 'item-detail'));
  return patterns;
}

const settings = defineSettings({
  DEBUG: false,
  SECRET_KEY: 'bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
  ALLOWED_HOSTS: ['127.0.0.1', 'localhost'],
  ROOT_URLCONF: { urlpatterns: urlpatterns() },
  MIDDLEWARE: [
    SecurityHeadersMiddleware,
    RequestIdMiddleware,
    TimingMiddleware,
    LocaleMiddleware,
    ViewNameMiddleware,
  ],
});

const app = await createApp(settings);

await serve(app.callback(), () => ({
  request: {
    method: 'GET',
    path: '/api/v1/items/42/details/',
    headers: { 'Accept-Language': 'fr-CH, fr;q=0.9' },
  },
  // X-View proves the last pattern matched; Content-Language that the middleware ran.
  expect: { status: 200, body: HELLO, headers: { 'X-View': 'itemDetail', 'Content-Language': 'fr' } },
}));
