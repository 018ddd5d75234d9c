/**
 * The Koa host: turns a Koa `ctx` into an `HttpRequest`, runs the Django pipeline, and writes the
 * returned `HttpResponse` back onto `ctx` (status, reason, headers, every Set-Cookie, body or
 * stream). This is our `WSGIHandler.__call__`, and the only place koa-django touches Koa.
 *
 * Per request: `requestStarted` fires, the body is read once (bounded by
 * `DATA_UPLOAD_MAX_MEMORY_SIZE`, exact bytes kept), the request object is built (everything in it
 * is parsed lazily), the pipeline runs, and `requestFinished` fires when Node has finished
 * sending the response or the client went away.
 *
 * @module
 */
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { Context, Middleware, Next } from 'koa';
import type { Settings } from '../conf/index.ts';
import { emptyBody, readBody } from '../http/body.ts';
import { HttpRequest } from '../http/request.ts';
import type { HttpResponseBase } from '../http/response.ts';
import { requestFinished, requestStarted } from '../signals/index.ts';
import { getLogger } from '../utils/log.ts';

/** Runs the pipeline for one request; never rejects except with `DEBUG_PROPAGATE_EXCEPTIONS`. */
export type GetResponse = (request: HttpRequest) => Promise<HttpResponseBase>;

export interface KoaHandlerOptions {
  /**
   * Serve only paths under this prefix (e.g. `'/twilio'`); others go to the next Koa middleware.
   * The prefix becomes the request's `scriptName` (Django's `SCRIPT_NAME`), so `pathInfo` and
   * the urlconf see the path below it, and `reverse()` puts it back.
   */
  prefix?: string;
}

/** The sender of `requestStarted` / `requestFinished` (Django sends the handler class). */
export const KoaHandler = Object.freeze({ name: 'KoaHandler' });

const logger = getLogger('koa-django.request');

/**
 * Build the Koa middleware that serves requests through `getResponse`.
 *
 * @example
 * app.use(koaHandler(settings, (request) => handler.getResponse(request)));
 */
export function koaHandler(
  settings: Settings,
  getResponse: GetResponse,
  options: KoaHandlerOptions = {},
): Middleware {
  const prefix = normalizePrefix(options.prefix);

  return async function djangoHandler(ctx: Context, next: Next): Promise<void> {
    const target = ctx.req.url ?? '/';
    if (prefix && !underPrefix(target, prefix)) return next();

    // Both awaits are skipped when there is nothing to do: most webhooks and pages have no
    // signal receivers, and GETs have no body.
    if (requestStarted.hasListeners(KoaHandler)) await requestStarted.sendRobust(KoaHandler, { ctx });
    const headers = ctx.req.headers;
    const body =
      headers['content-length'] === undefined && headers['transfer-encoding'] === undefined
        ? emptyBody()
        : await readBody(ctx.req, { method: ctx.method, headers, settings });
    const request = buildRequest(ctx, settings, body, prefix);

    let response: HttpResponseBase;
    try {
      response = await getResponse(request);
    } catch (error) {
      // Only DEBUG_PROPAGATE_EXCEPTIONS or a failing handler500 get here: hand it to Koa.
      finishWhenSent(ctx, request, undefined);
      throw error;
    }
    finishWhenSent(ctx, request, response);
    writeResponse(ctx, response);
  };
}

function normalizePrefix(prefix: string | undefined): string {
  if (!prefix || prefix === '/') return '';
  return `/${prefix.replace(/^\/+|\/+$/g, '')}`;
}

function underPrefix(target: string, prefix: string): boolean {
  const path = pathOf(target);
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The path of a request target, also for absolute-form targets (`GET http://host/x HTTP/1.1`). */
function pathOf(target: string): string {
  const query = target.indexOf('?');
  let path = query === -1 ? target : target.slice(0, query);
  if (!path.startsWith('/')) {
    const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*(\/.*)?$/.exec(path);
    path = match?.[1] ?? '/';
  }
  return path;
}

function buildRequest(
  ctx: Context,
  settings: Settings,
  body: Awaited<ReturnType<typeof readBody>>,
  prefix: string,
) {
  const target = ctx.req.url ?? '/';
  const query = target.indexOf('?');
  const socket = ctx.req.socket as Socket & Partial<Pick<TLSSocket, 'encrypted'>>;
  const path = pathOf(target);
  return new HttpRequest({
    settings,
    method: ctx.method,
    path: prefix ? path.slice(prefix.length) || '/' : path,
    queryString: query === -1 ? '' : target.slice(query + 1),
    headers: ctx.req.headers,
    body,
    scheme: socket.encrypted ? 'https' : 'http',
    remoteAddr: socket.remoteAddress,
    remotePort: socket.remotePort,
    serverName: socket.localAddress,
    serverPort: socket.localPort,
    scriptName: prefix,
  });
}

/**
 * Copy an HttpResponse onto Koa's response. Headers first, so Koa's body setter keeps our
 * Content-Type; Koa then adds Content-Length for buffers and strips bodies for HEAD/204/304.
 */
function writeResponse(ctx: Context, response: HttpResponseBase): void {
  ctx.status = response.statusCode;
  ctx.message = response.reasonPhrase;
  for (const [name, value] of response.items()) ctx.set(name, value);
  for (const morsel of response.cookies.values()) ctx.append('Set-Cookie', morsel.outputString());
  if (response.streaming) {
    const stream = Readable.from(response.streamingContent);
    stream.on('error', (error) => {
      logger.error(`Streaming response failed: ${ctx.path}`, { status: response.statusCode }, error);
    });
    ctx.body = stream;
  } else {
    ctx.body = response.content;
  }
}

/**
 * Once Node is done with the response (sent, or the client went away): close the response (its
 * closers, e.g. a FileResponse's file), clean up the request (temporary upload files), and send
 * `requestFinished`. `close` fires in both cases, after `finish` when the body was sent.
 */
function finishWhenSent(ctx: Context, request: HttpRequest, response: HttpResponseBase | undefined): void {
  ctx.res.once('close', () => {
    try {
      response?.close();
    } catch (error) {
      logger.error('Closing the response failed', {}, error);
    }
    request.close();
    if (requestFinished.hasListeners(KoaHandler)) void requestFinished.sendRobust(KoaHandler, {});
  });
}
