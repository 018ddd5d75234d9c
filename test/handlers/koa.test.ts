import { once } from 'node:events';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import test from 'ava';
import Koa from 'koa';
import { createApp, djangoMiddleware } from '../../src/app.ts';
import { BadHeaderError, ImproperlyConfigured } from '../../src/exceptions.ts';
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse, type HttpResponseBase, StreamingHttpResponse } from '../../src/http/response.ts';
import type { TemporaryUploadedFile } from '../../src/http/uploads.ts';
import { MiddlewareMixin } from '../../src/middleware/base.ts';
import { requestFinished, requestStarted } from '../../src/signals/index.ts';
import { path, reverse } from '../../src/urls/index.ts';
import { addLogHandler, type LogRecord } from '../../src/utils/log.ts';
import { Client, testSettings } from '../helpers/client.ts';

async function listen(app: Koa) {
  const server = http.createServer(app.callback());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://127.0.0.1:${port}` };
}

test('createApp(settings) writes status, reason phrase, headers and every Set-Cookie', async (t) => {
  const view = async () => {
    const response = new HttpResponse('teapot', {
      status: 418,
      reason: 'Short And Stout',
      headers: { 'X-Kind': 'tea' },
    });
    response.setCookie('a', '1');
    response.setCookie('b', 'x y', { httpOnly: true });
    return response;
  };
  const { server, base } = await listen(
    await createApp(
      testSettings({ ROOT_URLCONF: { urlpatterns: [path('t/', view)] }, ALLOWED_HOSTS: ['127.0.0.1'] }),
    ),
  );
  try {
    const res = await new Promise<http.IncomingMessage>((resolve) => http.get(`${base}/t/`, resolve));
    res.resume();
    t.is(res.statusCode, 418);
    t.is(res.statusMessage, 'Short And Stout');
    t.is(res.headers['x-kind'], 'tea');
    t.deepEqual(res.headers['set-cookie'], ['a=1; Path=/', 'b="x y"; HttpOnly; Path=/']);
    t.is(res.headers['content-length'], '6');
  } finally {
    server.close();
  }
});

test('createApp(settings) streams a StreamingHttpResponse chunk by chunk', async (t) => {
  const view = async () =>
    new StreamingHttpResponse(
      (async function* () {
        yield 'one,';
        yield Buffer.from('two,');
        yield 'three';
      })(),
      { contentType: 'text/plain' },
    );
  const client = await Client.create(testSettings({ ROOT_URLCONF: { urlpatterns: [path('s/', view)] } }));
  const response = await client.get('/s/');
  t.is(response.status, 200);
  t.is(response.text, 'one,two,three');
  t.is(response.headers['content-type'], 'text/plain');
});

test('createApp(settings) sends no body for HEAD', async (t) => {
  const client = await Client.create(
    testSettings({ ROOT_URLCONF: { urlpatterns: [path('h/', async () => new HttpResponse('body'))] } }),
  );
  const response = await client.request('HEAD', '/h/');
  t.is(response.status, 200);
  t.is(response.text, '');
});

test('createApp(settings) refuses to start with a settings error', async (t) => {
  const error = await t.throwsAsync(createApp(testSettings({ SECRET_KEY: '' })), {
    instanceOf: ImproperlyConfigured,
  });
  t.regex(error.message, /security\.E101: The SECRET_KEY setting must not be empty/);
});

test('djangoMiddleware(settings, { prefix }) serves only its prefix; the path below it is resolved and reversed', async (t) => {
  const urls = {
    urlpatterns: [
      path(
        'sms/',
        async (request): Promise<HttpResponse> =>
          new HttpResponse(
            `${request.path} ${request.pathInfo} ${reverse('sms', { urlconf: request.urlconf as object, scriptPrefix: request.scriptName })}`,
          ),
        'sms',
      ),
    ],
  };
  const app = new Koa();
  app.use(await djangoMiddleware(testSettings({ ROOT_URLCONF: urls }), { prefix: '/twilio/' }));
  app.use((ctx) => {
    ctx.body = 'the rest of the Koa app';
  });
  const client = new Client(app);
  t.is((await client.get('/twilio/sms/')).text, '/twilio/sms/ /sms/ /twilio/sms/');
  t.is((await client.get('/other/')).text, 'the rest of the Koa app');
  t.is((await client.get('/twilio-not/')).text, 'the rest of the Koa app');
  t.is((await client.get('/twilio/nope/')).status, 404);
});

test.serial(
  'requestStarted and requestFinished fire once per request, in order, around the view',
  async (t) => {
    const log: string[] = [];
    const started = () => {
      log.push('started');
    };
    const finished = () => {
      log.push('finished');
    };
    requestStarted.connect(started);
    requestFinished.connect(finished);
    const view = async () => {
      log.push('view');
      return new StreamingHttpResponse(
        (async function* () {
          log.push('chunk');
          yield 'x';
        })(),
      );
    };
    const { server, base } = await listen(
      await createApp(
        testSettings({ ROOT_URLCONF: { urlpatterns: [path('v/', view)] }, ALLOWED_HOSTS: ['127.0.0.1'] }),
      ),
    );
    try {
      const res = await fetch(`${base}/v/`);
      t.is(await res.text(), 'x');
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      requestStarted.disconnect(started);
      requestFinished.disconnect(finished);
      server.close();
    }
    t.deepEqual(log, ['started', 'view', 'chunk', 'finished']);
  },
);

test.serial(
  'requestFinished fires when the client goes away in the middle of a streaming response',
  async (t) => {
    let finished = 0;
    let closed = false;
    const receiver = () => {
      finished += 1;
    };
    requestFinished.connect(receiver);
    const view = async () => {
      const response = new StreamingHttpResponse(
        (async function* () {
          yield 'first';
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          yield 'never';
        })(),
      );
      response.addCloser(() => {
        closed = true;
      });
      return response;
    };
    const { server, base } = await listen(
      await createApp(
        testSettings({ ROOT_URLCONF: { urlpatterns: [path('slow/', view)] }, ALLOWED_HOSTS: ['127.0.0.1'] }),
      ),
    );
    try {
      await new Promise<void>((resolve) => {
        const req = http.get(`${base}/slow/`, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => undefined);
      });
      for (let i = 0; i < 50 && finished === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      requestFinished.disconnect(receiver);
      server.closeAllConnections();
      server.close();
    }
    t.is(finished, 1);
    t.true(closed);
  },
);

test.serial(
  'createApp(settings): when the client goes away before the view answers, requestFinished still fires once, the response is closed and temporary uploads are deleted',
  async (t) => {
    let finished = 0;
    let closed = 0;
    let uploadPath = '';
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let viewStarted = () => {};
    const inView = new Promise<void>((resolve) => {
      viewStarted = resolve;
    });
    let serverSawClose = () => {};
    const clientGone = new Promise<void>((resolve) => {
      serverSawClose = resolve;
    });
    const started = ({ ctx }: { ctx?: unknown }) => {
      (ctx as Koa.Context).res.once('close', serverSawClose);
    };
    const receiver = () => {
      finished += 1;
    };
    requestStarted.connect(started);
    requestFinished.connect(receiver);
    const view = async (request: HttpRequest) => {
      const file = request.FILES.get('f') as TemporaryUploadedFile;
      uploadPath = file.temporaryFilePath();
      viewStarted();
      await gate;
      const response = new HttpResponse('too late');
      response.addCloser(() => {
        closed += 1;
      });
      return response;
    };
    const { server, base } = await listen(
      await createApp(
        testSettings({
          FILE_UPLOAD_MAX_MEMORY_SIZE: 10,
          ROOT_URLCONF: { urlpatterns: [path('upload/', view)] },
          ALLOWED_HOSTS: ['127.0.0.1'],
        }),
      ),
    );
    try {
      const body =
        '--b\r\nContent-Disposition: form-data; name="f"; filename="big.txt"\r\n\r\n' +
        `${'x'.repeat(100)}\r\n--b--\r\n`;
      const { port } = new URL(base);
      const socket = net.connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(
        `POST /upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      await inView;
      t.true(existsSync(uploadPath));
      socket.destroy();
      await clientGone;
      release();
      for (let i = 0; i < 50 && (finished === 0 || existsSync(uploadPath)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      requestStarted.disconnect(started);
      requestFinished.disconnect(receiver);
      server.close();
    }
    t.is(finished, 1);
    t.is(closed, 1);
    t.false(existsSync(uploadPath));
  },
);

test('createApp(settings): a header or cookie Node cannot send is a BadHeaderError in the view: the 500 goes through the middleware, not Koa bare', async (t) => {
  class MarkMiddleware extends MiddlewareMixin {
    processResponse(_request: HttpRequest, response: HttpResponseBase) {
      response.set('X-Mark', 'seen');
      return response;
    }
  }
  const errors: LogRecord[] = [];
  const removeHandler = addLogHandler((record) => {
    if (record.level === 'error') errors.push(record);
  });
  t.teardown(() => {
    removeHandler();
  });
  const header = async () => new HttpResponse('x', { headers: { 'X-Bad': 'a\u0000b' } });
  const cookie = async () => {
    const response = new HttpResponse('x');
    response.setCookie('a', 'b', { path: '/\r\nX-Evil: 1' });
    return response;
  };
  const client = await Client.create(
    testSettings({
      MIDDLEWARE: [MarkMiddleware],
      ROOT_URLCONF: { urlpatterns: [path('header/', header), path('cookie/', cookie)] },
    }),
  );
  for (const url of ['/header/', '/cookie/']) {
    const response = await client.get(url);
    t.is(response.status, 500, url);
    t.is(response.headers['x-mark'], 'seen', url);
    t.regex(response.text, /Server Error \(500\)/, url);
    t.is(response.headers['x-evil'], undefined);
  }
  t.true(errors.every((record) => !/Unhandled error in Koa/.test(record.message)));
  t.is(errors.filter((record) => record.error instanceof BadHeaderError).length, 2);
});
