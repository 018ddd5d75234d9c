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
import { headerEntries } from '../http/response-headers.ts';
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
  return makeKoaHandler(settings, getResponse, options, false);
}

/**
 * Like `koaHandler`, for the Koa application `createApp()` builds: while this middleware is the
 * app's first (so no Koa middleware outside it reads `ctx.body`), a plain response is written
 * straight to Node's response (`ctx.respond = false`) with the semantics Koa's own `respond`
 * had: status and reason, headers, `Set-Cookie`s, then `Content-Length` for the body. HEAD,
 * bodiless statuses, streams and anything unusual still go through Koa.
 *
 * @example
 * app.use(koaAppHandler(settings, (request) => handler.getResponse(request)));
 */
export function koaAppHandler(
  settings: Settings,
  getResponse: GetResponse,
  options: KoaHandlerOptions = {},
): Middleware {
  return makeKoaHandler(settings, getResponse, options, true);
}

function makeKoaHandler(
  settings: Settings,
  getResponse: GetResponse,
  options: KoaHandlerOptions,
  direct: boolean,
): Middleware {
  const prefix = normalizePrefix(options.prefix);

  return async function djangoHandler(ctx: Context, next: Next): Promise<void> {
    const target = ctx.req.url ?? '/';
    if (prefix && !underPrefix(target, prefix)) return next();

    let request: HttpRequest | undefined;
    let response: HttpResponseBase | undefined;
    // Listening from the start: the client may go away while the body is read or the view runs,
    // and Node emits 'close' only once.
    const settled = finishWhenSent(ctx, () => finish(request, response));
    try {
      // Both awaits are skipped when there is nothing to do: most webhooks and pages have no
      // signal receivers, and GETs have no body.
      if (requestStarted.hasListeners(KoaHandler)) await requestStarted.sendRobust(KoaHandler, { ctx });
      const headers = ctx.req.headers;
      const body =
        headers['content-length'] === undefined && headers['transfer-encoding'] === undefined
          ? emptyBody()
          : await readBody(ctx.req, { method: ctx.method, headers, settings });
      request = buildRequest(ctx, settings, body, prefix);
      // Only DEBUG_PROPAGATE_EXCEPTIONS or a failing handler500 make this throw: Koa gets it.
      response = await getResponse(request);
    } finally {
      settled();
    }
    if (direct && ctx.app.middleware[0] === djangoHandler && writeDirect(ctx, response)) return;
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
 * Write a plain `HttpResponse` to Node as Koa's `respond` would have after `writeResponse`, or
 * return false (having written nothing) when the response needs Koa: HEAD, a status without a
 * body (1xx, 204, 205, 304) or outside what Koa accepts, a stream, HTTP/2, a response without a
 * Content-Type or with Transfer-Encoding or its own Set-Cookie header, or a closed connection.
 * Node checks every header name and value as it writes them (`ERR_INVALID_CHAR`), as it did
 * through Koa; what it would refuse (CR/LF, control characters, in headers, cookies and the
 * reason) was already refused with BadHeaderError when the view set it.
 */
function writeDirect(ctx: Context, response: HttpResponseBase): boolean {
  const res = ctx.res;
  const status = response.statusCode;
  if (
    response.streaming ||
    !Number.isInteger(status) ||
    status < 200 ||
    status > 999 ||
    status === 204 ||
    status === 205 ||
    status === 304 ||
    ctx.req.method === 'HEAD' ||
    ctx.req.httpVersionMajor >= 2 ||
    res.headersSent ||
    res.writableEnded ||
    (res.socket !== null && !res.socket.writable)
  ) {
    return false;
  }
  const headers = response.headers;
  if (!headers.has('Content-Type') || headers.has('Transfer-Encoding') || headers.has('Set-Cookie'))
    return false;
  const body = response.content;
  const length = String(body.length);
  const hasLength = headers.has('Content-Length');
  const flat: (string | string[])[] = [];
  for (const [name, value] of headerEntries(headers)) {
    // Koa sets Content-Length to the body's length, in place of one the response had.
    if (hasLength && name.length === 14 && name.toLowerCase() === 'content-length')
      flat.push('Content-Length', length);
    else flat.push(name, value);
  }
  // One entry with every cookie: when headers were already set on `res` (a requestStarted
  // receiver, a test harness), Node applies the list with setHeader, where a repeated name
  // would replace the one before. Cookies already on `res` stay first, as Koa's append keeps them.
  if (response.cookies.size > 0) {
    const earlier = res.getHeader('Set-Cookie');
    const cookies: string[] = earlier === undefined ? [] : [earlier].flat().map(String);
    for (const morsel of response.cookies.values()) cookies.push(morsel.outputString());
    flat.push('Set-Cookie', cookies);
  }
  if (!hasLength) flat.push('Content-Length', length);
  ctx.respond = false;
  res.writeHead(status, response.reasonPhrase, flat);
  res.end(body);
  return true;
}

/**
 * Call `finish` once, when both Node is done with the response (sent, or the client went away:
 * `close` fires in both cases, after `finish` when the body was sent) and the pipeline is done
 * with the request (the returned function is called). A client that hangs up while the view
 * runs gets its cleanup when the view returns, not never.
 */
function finishWhenSent(ctx: Context, finish: () => void): () => void {
  let closed = false;
  let settled = false;
  // 'close' is emitted once per response: `on` spares the wrapper `once` would allocate.
  ctx.res.on('close', () => {
    closed = true;
    if (settled) finish();
  });
  return () => {
    settled = true;
    if (closed) finish();
  };
}

/**
 * Close the response (its closers, e.g. a FileResponse's file), clean up the request (temporary
 * upload files), and send `requestFinished`.
 */
function finish(request: HttpRequest | undefined, response: HttpResponseBase | undefined): void {
  try {
    response?.close();
  } catch (error) {
    logger.error('Closing the response failed', {}, error);
  }
  void request?.close();
  if (requestFinished.hasListeners(KoaHandler)) void requestFinished.sendRobust(KoaHandler, {});
}
