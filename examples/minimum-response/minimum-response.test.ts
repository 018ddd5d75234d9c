import test from 'ava';
import { overrideSettings } from '../../src/conf/index.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { path } from '../../src/urls/index.ts';
import { addLogHandler, type LogRecord } from '../../src/utils/log.ts';
import { Client } from '../../test/helpers/client.ts';
import { RequestFactory } from '../../test/helpers/request-factory.ts';
import { MinimumResponseMiddleware } from './middleware.ts';
import settings from './settings.ts';
import { minimumResponse } from './views.ts';

/** The example's urlconf with the decorator only: MinimumResponseMiddleware is not in MIDDLEWARE. */
const decoratorOnly = overrideSettings(settings, { MIDDLEWARE: [] });

function padded(text: string, length: number): string {
  return text.padEnd(length, ' ');
}

async function capture<T>(loggerName: string, run: () => Promise<T>): Promise<[T, LogRecord[]]> {
  const records: LogRecord[] = [];
  const stop = addLogHandler((record) => record.logger === loggerName && records.push(record));
  try {
    return [await run(), records];
  } finally {
    stop();
  }
}

test.serial(
  'createApp(settings) warns once per view decorated with MinimumResponseMiddleware, which MIDDLEWARE also runs',
  async (t) => {
    const [, records] = await capture('koa-django.checks', () => Client.create(settings));
    t.deepEqual(
      records.map((r) => [r.level, r.extra?.id, r.message]),
      ['report', 'ping'].map((name) => [
        'warning',
        'middleware.W001',
        `View \`${name}\` (route '${name}/') is decorated with MinimumResponseMiddleware, which MIDDLEWARE also runs: its hooks run twice for this view. Remove the decorator or take MinimumResponseMiddleware out of MIDDLEWARE.`,
      ]),
    );
  },
);

test.serial(
  'MIDDLEWARE + minimumResponse({ minimum: 64 }): the view is padded by both layers, so it ends at 512 bytes, not 64',
  async (t) => {
    const client = await Client.create(settings);
    const [response, records] = await capture('examples.minimum-response', () => client.get('/ping/'));
    t.is(response.text, padded('pong', 512));
    t.deepEqual(
      records.map((r) => r.message),
      ['minimum=64: padded /ping/ from 4 to 64 bytes', 'minimum=512: padded /ping/ from 64 to 512 bytes'],
    );
  },
);

test.serial(
  'MIDDLEWARE + minimumResponse({ minimum: 1024 }): the decorator pads first, then MIDDLEWARE finds nothing to do',
  async (t) => {
    const client = await Client.create(settings);
    const [response, records] = await capture('examples.minimum-response', () => client.get('/report/'));
    t.is(response.text, padded('Quarterly report: all good.', 1024));
    t.deepEqual(
      records.map((r) => r.message),
      ['minimum=1024: padded /report/ from 27 to 1024 bytes'],
    );
  },
);

test('MinimumResponseMiddleware in MIDDLEWARE pads a short response with spaces to 512 bytes', async (t) => {
  const client = await Client.create(settings);
  const response = await client.get('/');
  t.is(response.status, 200);
  t.is(response.text, padded('Hello, world!', 512));
  t.is(response.headers['content-length'], '512');
});

test('MinimumResponseMiddleware in MIDDLEWARE pads the default 404 page to 512 bytes, so Internet Explorer shows it', async (t) => {
  const client = await Client.create(settings);
  const response = await client.get('/no-such-page/');
  t.is(response.status, 404);
  t.is(response.body.length, 512);
  t.regex(response.text, /^\n<!doctype html>[\s\S]*<h1>Not Found<\/h1>[\s\S]*<\/html>\n +$/);
});

test('MinimumResponseMiddleware in MIDDLEWARE leaves a streaming response unpadded', async (t) => {
  const client = await Client.create(settings);
  const response = await client.get('/events/');
  t.is(response.text, 'data: one\n\ndata: two\n\n');
});

test('MinimumResponseMiddleware in MIDDLEWARE leaves a response already at or above the minimum as it is', async (t) => {
  const long = 'x'.repeat(600);
  const client = await Client.create(
    overrideSettings(settings, {
      ROOT_URLCONF: { urlpatterns: [path('long/', async () => new HttpResponse(long))] },
    }),
  );
  t.is((await client.get('/long/')).text, long);
});

test('[[MinimumResponseMiddleware, { minimum: 100 }]] in MIDDLEWARE pads to the configured minimum', async (t) => {
  const client = await Client.create(
    overrideSettings(settings, { MIDDLEWARE: [[MinimumResponseMiddleware, { minimum: 100 }]] }),
  );
  t.is((await client.get('/')).text, padded('Hello, world!', 100));
});

test('minimumResponse({ minimum }) without MIDDLEWARE pads only the decorated views, each to its own minimum', async (t) => {
  const client = await Client.create(decoratorOnly);
  t.is((await client.get('/report/')).text, padded('Quarterly report: all good.', 1024));
  t.is((await client.get('/ping/')).text, padded('pong', 64));
  t.is((await client.get('/')).text, 'Hello, world!');
});

test('minimumResponse({ minimum }) counts bytes, not characters', async (t) => {
  const view = minimumResponse({ minimum: 10 })(async () => new HttpResponse('héllo'));
  const client = await Client.create(
    overrideSettings(decoratorOnly, { ROOT_URLCONF: { urlpatterns: [path('h/', view)] } }),
  );
  const response = await client.get('/h/');
  t.is(response.body.length, 10);
  t.is(response.text, 'héllo    ');
});

test('new MinimumResponseMiddleware(getResponse) defaults to 512 bytes; a bad minimum is a TypeError naming the fix', (t) => {
  const getResponse = async () => new HttpResponse('');
  t.is(new MinimumResponseMiddleware(getResponse).minimum, 512);
  t.throws(() => new MinimumResponseMiddleware(getResponse, { minimum: -1 }), {
    instanceOf: TypeError,
    message: /minimum must be a whole number of bytes \(0 or more\), not -1\. E\.g\. \{ minimum: 512 \}/,
  });
});

test('MinimumResponseMiddleware#processResponse() keeps a Content-Length set further in correct', async (t) => {
  const request = await new RequestFactory().get('/sized/');
  const response = new HttpResponse('sized', { headers: { 'Content-Length': '5' } });
  const middleware = new MinimumResponseMiddleware(async () => response, { minimum: 20 });
  const result = await middleware.call(request);
  t.is(result.content.length, 20);
  t.is(result.get('Content-Length'), '20');
});
