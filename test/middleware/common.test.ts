import test from 'ava';
import { defineSettings, type SettingsInput } from '../../src/conf/index.ts';
import { PermissionDenied } from '../../src/exceptions.ts';
import { HttpResponse, type HttpResponseBase, StreamingHttpResponse } from '../../src/http/response.ts';
import { AppendSlashError, CommonMiddleware } from '../../src/middleware/common.ts';
import { path, rePath } from '../../src/urls/index.ts';
import { decoratorFromMiddleware, noAppendSlash } from '../../src/views/decorators.ts';
import { Client, testSettings } from '../helpers/client.ts';
import { RequestFactory } from '../helpers/request-factory.ts';

const ok = () => new HttpResponse('ok');
const urls = {
  urlpatterns: [
    path('slash/', ok),
    path('noslash', ok),
    path('api/', noAppendSlash(ok)),
    rePath('^(.+)/security/$', ok),
  ],
};

function client(overrides: SettingsInput = {}) {
  return Client.create(testSettings({ ROOT_URLCONF: urls, MIDDLEWARE: [CommonMiddleware], ...overrides }));
}

/** CommonMiddleware's two hooks around a 404 (or `response`), with `urls` as the request's urlconf. */
async function run(
  overrides: SettingsInput,
  build: (rf: RequestFactory) => ReturnType<RequestFactory['get']>,
  response: HttpResponseBase = new HttpResponse('', { status: 404 }),
) {
  const settings = defineSettings({
    SECRET_KEY: 'k',
    ALLOWED_HOSTS: ['testserver', '.example.com'],
    ...overrides,
  });
  const request = await build(new RequestFactory({ settings }));
  request.urlconf = urls;
  const middleware = new CommonMiddleware(async () => response, undefined, settings);
  return (await middleware.processRequest(request)) ?? middleware.processResponse(request, response);
}

// --- APPEND_SLASH ----------------------------------------------------------------------------

test('CommonMiddleware#processResponse(request, response) redirects a 404 to the slash URL when that resolves', async (t) => {
  const response = await (await client()).get('/slash');
  t.is(response.status, 301);
  t.is(response.headers.location, '/slash/');
});

test('CommonMiddleware#processResponse(request, response) keeps the query string in the slash redirect', async (t) => {
  const response = await (await client()).get('/slash?test=1&b=%C3%A9');
  t.is(response.status, 301);
  t.is(response.headers.location, '/slash/?test=1&b=%C3%A9');
});

test('CommonMiddleware#processResponse(request, response) leaves a 404 alone when the slash path does not resolve', async (t) => {
  t.is((await (await client()).get('/nowhere')).status, 404);
});

test('CommonMiddleware#processResponse(request, response) does not redirect to a noAppendSlash view', async (t) => {
  t.is((await (await client()).get('/api')).status, 404);
  t.is((await (await client()).get('/api/')).status, 200);
});

test('CommonMiddleware#processResponse(request, response) serves a path that resolves without the slash', async (t) => {
  const response = await (await client()).get('/noslash');
  t.is(response.status, 200);
  t.is(response.text, 'ok');
});

test('CommonMiddleware#processResponse(request, response) does nothing with APPEND_SLASH off', async (t) => {
  t.is((await (await client({ APPEND_SLASH: false })).get('/slash')).status, 404);
});

test('CommonMiddleware#processResponse(request, response) only redirects 404s', async (t) => {
  const response = await run({}, (rf) => rf.get('/slash'), new HttpResponse('gone', { status: 410 }));
  t.is(response.statusCode, 410);
});

test('CommonMiddleware#processResponse(request, response) escapes a leading // so the redirect stays on this host', async (t) => {
  const response = await run({}, (rf) => rf.get('//evil.com/security'));
  t.is(response.statusCode, 301);
  t.is(response.get('Location'), '/%2Fevil.com/security/');
});

test('CommonMiddleware#processResponse(request, response) throws AppendSlashError for a POST with DEBUG on', async (t) => {
  const error = await t.throwsAsync(
    run({ DEBUG: true }, (rf) => rf.post('/slash', { a: '1' })),
    {
      instanceOf: AppendSlashError,
    },
  );
  t.is(error?.code, 'KD_APPEND_SLASH');
  t.true(error?.message.includes('You called this URL via POST'));
  t.true(error?.message.includes('testserver/slash/ (note the trailing slash)'));
  for (const method of ['PUT', 'PATCH']) {
    await t.throwsAsync(
      run({ DEBUG: true }, (rf) => rf.generic(method, '/slash')),
      { instanceOf: AppendSlashError },
    );
  }
});

test('CommonMiddleware: a POST to the slashless URL with DEBUG on is a 500 page saying the body would be lost', async (t) => {
  const response = await (await client({ DEBUG: true })).post('/slash', { a: '1' });
  t.is(response.status, 500);
  t.true(response.text.includes('APPEND_SLASH'));
  t.true(response.text.includes('maintaining POST data'));
});

test('CommonMiddleware#processResponse(request, response) redirects a POST with DEBUG off, and a DELETE with DEBUG on', async (t) => {
  t.is((await (await client()).post('/slash', { a: '1' })).status, 301);
  t.is((await run({ DEBUG: true }, (rf) => rf.delete('/slash'))).statusCode, 301);
});

// --- PREPEND_WWW -------------------------------------------------------------------------------

test('CommonMiddleware#processRequest(request) redirects to www. with PREPEND_WWW, keeping path and query', async (t) => {
  const response = await run({ PREPEND_WWW: true }, (rf) =>
    rf.get('/slash/?q=1', undefined, { headers: { Host: 'example.com' } }),
  );
  t.is(response.statusCode, 301);
  t.is(response.get('Location'), 'http://www.example.com/slash/?q=1');
});

test('CommonMiddleware#processRequest(request) adds the slash in the same www. redirect when due', async (t) => {
  const response = await run({ PREPEND_WWW: true }, (rf) =>
    rf.get('/slash', undefined, { headers: { Host: 'example.com' } }),
  );
  t.is(response.get('Location'), 'http://www.example.com/slash/');
});

test('CommonMiddleware#processRequest(request) keeps https and leaves www. hosts alone', async (t) => {
  const secure = await run({ PREPEND_WWW: true }, (rf) =>
    rf.get('/slash/', undefined, { secure: true, headers: { Host: 'example.com' } }),
  );
  t.is(secure.get('Location'), 'https://www.example.com/slash/');
  const already = await run(
    { PREPEND_WWW: true },
    (rf) => rf.get('/slash/', undefined, { headers: { Host: 'www.example.com' } }),
    new HttpResponse('ok'),
  );
  t.is(already.statusCode, 200);
});

test('CommonMiddleware: the PREPEND_WWW redirect through the Koa app has Content-Length: 0', async (t) => {
  const response = await (await client({ PREPEND_WWW: true, ALLOWED_HOSTS: ['example.com'] })).get(
    '/slash/',
    {
      headers: { Host: 'example.com' },
    },
  );
  t.is(response.status, 301);
  t.is(response.headers.location, 'http://www.example.com/slash/');
  t.is(response.headers['content-length'], '0');
});

// --- DISALLOWED_USER_AGENTS, host, Content-Length ----------------------------------------------

test('CommonMiddleware#processRequest(request) refuses a DISALLOWED_USER_AGENTS match with PermissionDenied', async (t) => {
  const settings = { DISALLOWED_USER_AGENTS: [/bad-bot/i, /^curl\//g] };
  await t.throwsAsync(
    run(settings, (rf) => rf.get('/slash/', undefined, { headers: { 'User-Agent': 'Bad-Bot/1.0' } })),
    {
      instanceOf: PermissionDenied,
      message: 'Forbidden user agent',
    },
  );
  // A /g pattern must match on every request, not every other one.
  for (let i = 0; i < 3; i++) {
    await t.throwsAsync(
      run(settings, (rf) => rf.get('/', undefined, { headers: { 'User-Agent': 'curl/8' } })),
      {
        instanceOf: PermissionDenied,
      },
    );
  }
  const fine = await run(
    settings,
    (rf) => rf.get('/slash/', undefined, { headers: { 'User-Agent': 'Mozilla/5.0' } }),
    new HttpResponse('ok'),
  );
  t.is(fine.statusCode, 200);
});

test('CommonMiddleware: a disallowed user agent gets 403 through the Koa app', async (t) => {
  const browser = await client({ DISALLOWED_USER_AGENTS: [/evilbot/] });
  t.is((await browser.get('/slash/', { headers: { 'User-Agent': 'evilbot 2.0' } })).status, 403);
  t.is((await browser.get('/slash/', { headers: { 'User-Agent': 'friendly' } })).status, 200);
});

test('CommonMiddleware: a Host not in ALLOWED_HOSTS is a 400 on every request', async (t) => {
  const response = await (await client()).get('/slash/', { headers: { Host: 'evil.example' } });
  t.is(response.status, 400);
});

test('CommonMiddleware#processResponse(request, response) sets Content-Length on non-streaming responses only', async (t) => {
  const plain = await run({}, (rf) => rf.get('/slash/'), new HttpResponse('héllo'));
  t.is(plain.get('Content-Length'), '6');
  const given = new HttpResponse('abc');
  given.set('Content-Length', '3');
  t.is((await run({}, (rf) => rf.get('/slash/'), given)).get('Content-Length'), '3');
  const streaming = await run({}, (rf) => rf.get('/slash/'), new StreamingHttpResponse(['a', 'b']));
  t.false(streaming.has('Content-Length'));
});

test('decoratorFromMiddleware(CommonMiddleware)(view) reads request.settings per request', async (t) => {
  const view = decoratorFromMiddleware(CommonMiddleware)(ok);
  const rf = new RequestFactory({
    settings: defineSettings({
      SECRET_KEY: 'k',
      ALLOWED_HOSTS: ['testserver'],
      DISALLOWED_USER_AGENTS: [/bot/],
    }),
  });
  await t.throwsAsync(
    async () => view(await rf.get('/', undefined, { headers: { 'User-Agent': 'bot' } }), {}),
    {
      instanceOf: PermissionDenied,
    },
  );
  const response = await view(await rf.get('/'), {});
  t.is(response.get('Content-Length'), '2');
});
