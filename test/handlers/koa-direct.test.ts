/**
 * createApp() writes plain responses straight to Node (koaAppHandler) instead of through Koa's
 * ctx.body and respond. These tests compare the bytes on the wire with what the Koa path
 * (djangoMiddleware() mounted in a Koa app) sends for the same response: status line, every
 * header in order, body. Only the Date header is left out of the comparison.
 */
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import Koa, { type Context } from 'koa';
import { createApp, djangoMiddleware } from '../../src/app.ts';
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse, type HttpResponseBase, StreamingHttpResponse } from '../../src/http/response.ts';
import { requestStarted } from '../../src/signals/index.ts';
import { path } from '../../src/urls/index.ts';
import { addLogHandler } from '../../src/utils/log.ts';
import { Client, testSettings } from '../helpers/client.ts';

// Keep the expected error logs (500s) out of the test output.
addLogHandler(() => {});

type Case = (request: HttpRequest) => HttpResponseBase;

const cases: Record<string, Case> = {
  plain: () => new HttpResponse('Hello, world!'),
  empty: () => new HttpResponse(''),
  'status and reason': () => new HttpResponse('teapot', { status: 418, reason: 'Short And Stout' }),
  'unknown status': () => new HttpResponse('x', { status: 599 }),
  headers: () =>
    new HttpResponse('h', { headers: { 'X-One': '1', 'x-two': 'é' }, contentType: 'text/plain' }),
  cookies: () => {
    const response = new HttpResponse('c');
    response.setCookie('a', '1');
    response.setCookie('b', 'x y', { httpOnly: true, maxAge: 60 });
    response.deleteCookie('gone');
    return response;
  },
  'own Content-Length (replaced in place)': () => {
    const response = new HttpResponse('length');
    response.set('content-length', '999');
    response.set('X-After', 'yes');
    return response;
  },
  'Transfer-Encoding': () => {
    const response = new HttpResponse('te');
    response.set('Transfer-Encoding', 'chunked');
    return response;
  },
  'Set-Cookie header and cookies': () => {
    const response = new HttpResponse('sc');
    response.set('Set-Cookie', 'raw=1');
    response.set('X-After', 'yes');
    response.setCookie('m', '2');
    return response;
  },
  'no Content-Type': () => {
    const response = new HttpResponse('bin');
    response.delete('Content-Type');
    return response;
  },
  'status 204': () => new HttpResponse('dropped', { status: 204 }),
  'status 205': () => new HttpResponse('dropped', { status: 205 }),
  'status 304': () => new HttpResponse('dropped', { status: 304 }),
  'status set to 1000': () => {
    const response = new HttpResponse('x');
    response.statusCode = 1000;
    return response;
  },
  'status set to 200.5': () => {
    const response = new HttpResponse('x');
    response.statusCode = 200.5;
    return response;
  },
  'control character in a value': () => new HttpResponse('x', { headers: { 'X-Bad': 'a\u0001b' } }),
  'control character in the reason': () => new HttpResponse('x', { reason: 'Fine\u0001' }),
  streaming: () => new StreamingHttpResponse(['one,', 'two'], { contentType: 'text/plain' }),
  'view error': () => {
    throw new Error('view failed');
  },
};

const urlpatterns = Object.entries(cases).map(([name, make], i) =>
  path(`c${i}/`, async (request: HttpRequest) => make(request), name),
);

async function listen(app: Koa) {
  const server = http.createServer(app.callback());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** Send `method target` on a fresh connection and read everything until the server closes it. */
async function raw(server: http.Server, method: string, target: string): Promise<string> {
  const { port } = server.address() as AddressInfo;
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(`${method} ${target} HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n\r\n`);
  await once(socket, 'end');
  socket.destroy();
  return Buffer.concat(chunks)
    .toString('latin1')
    .replace(/^Date: .*\r\n/im, '');
}

async function compareAll(t: ExecutionContext) {
  const settings = testSettings({ ROOT_URLCONF: { urlpatterns } });
  const direct = await listen(await createApp(settings));
  const koa = new Koa();
  koa.silent = true;
  koa.use(await djangoMiddleware(settings));
  const viaKoa = await listen(koa);
  try {
    const names = Object.keys(cases);
    for (const method of ['GET', 'HEAD', 'POST']) {
      for (let i = 0; i < names.length; i++) {
        const [got, expected] = await Promise.all([
          raw(direct, method, `/c${i}/`),
          raw(viaKoa, method, `/c${i}/`),
        ]);
        t.is(got, expected, `${method} ${names[i]}`);
      }
    }
    t.regex(
      await raw(direct, 'GET', `/c${Object.keys(cases).indexOf('plain')}/`),
      /^HTTP\/1\.1 200 OK\r\n[\s\S]*Content-Length: 13\r\n[\s\S]*\r\n\r\nHello, world!$/,
    );
  } finally {
    direct.close();
    viaKoa.close();
  }
}

test.serial(
  'createApp(settings) puts the same bytes on the wire as Koa, for every kind of response',
  async (t) => {
    await compareAll(t);
  },
);

test.serial(
  'createApp(settings) sends the same bytes as Koa when headers were set on ctx before the pipeline',
  async (t) => {
    // A requestStarted receiver that sets a header and a cookie: Node then merges the header
    // list into them, and the response's cookies come after the one already there.
    const receiver = ({ ctx }: { ctx?: unknown }) => {
      (ctx as Context).set('X-Started', 'yes');
      (ctx as Context).append('Set-Cookie', 'early=1; Path=/');
    };
    requestStarted.connect(receiver);
    t.teardown(() => requestStarted.disconnect(receiver));
    await compareAll(t);
  },
);

test('createApp(settings) delivers every Set-Cookie to an in-process client', async (t) => {
  const index = Object.keys(cases).indexOf('cookies');
  const client = await Client.create(testSettings({ ROOT_URLCONF: { urlpatterns } }));
  const response = await client.get(`/c${index}/`);
  t.deepEqual(
    response.setCookies.map((cookie) => cookie.split('=')[0]),
    ['a', 'b', 'gone'],
  );
});

test('createApp(settings) leaves writing to Koa when another Koa middleware runs outside it', async (t) => {
  const app = await createApp(testSettings({ ROOT_URLCONF: { urlpatterns } }));
  const seen: unknown[] = [];
  // Unusual, but possible: a middleware put in front of koa-django's own.
  app.middleware.unshift(async (ctx, next) => {
    await next();
    seen.push(ctx.status, String(ctx.body));
  });
  const server = await listen(app);
  try {
    t.regex(await raw(server, 'GET', `/c${Object.keys(cases).indexOf('plain')}/`), /\r\n\r\nHello, world!$/);
    t.deepEqual(seen, [200, 'Hello, world!']);
  } finally {
    server.close();
  }
});
