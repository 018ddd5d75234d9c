import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { defineSettings, type SettingsInput } from '../../src/conf/index.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { CsrfViewMiddleware } from '../../src/middleware/csrf.ts';
import { contextProcessors, renderToString } from '../../src/template/index.ts';
import { path as route } from '../../src/urls/index.ts';
import { Client, testSettings } from '../helpers/client.ts';
import { RequestFactory } from '../helpers/request-factory.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));

function settingsWith(options: Record<string, unknown>, extra: SettingsInput = {}) {
  return defineSettings({
    SECRET_KEY: 'k'.repeat(50),
    ALLOWED_HOSTS: ['testserver'],
    BASE_DIR: HERE,
    TEMPLATES: [{ DIRS: ['templates'], OPTIONS: options }],
    ...extra,
  });
}

test('contextProcessors.request and .debug add `request` and `debug` when rendering with a request', async (t) => {
  const settings = settingsWith(
    { contextProcessors: [contextProcessors.request, contextProcessors.debug] },
    { DEBUG: true },
  );
  const request = await new RequestFactory({ settings }).get('/inbox/');
  t.is(await renderToString(settings, 'processors.html', {}, request), '/inbox/|true|\n');
});

test('renderToString(settings, name, context) without a request runs no context processors', async (t) => {
  const settings = settingsWith({ contextProcessors: [contextProcessors.request, () => ({ site: 'x' })] });
  t.is(await renderToString(settings, 'processors.html', {}), '||\n');
});

test("OPTIONS.contextProcessors takes 'specifier#Export' strings, relative to BASE_DIR or package names", async (t) => {
  const settings = settingsWith({
    contextProcessors: ['koa-django/template#contextProcessors.request', './processors.ts#site'],
  });
  const request = await new RequestFactory({ settings }).get('/p/');
  t.is(await renderToString(settings, 'processors.html', {}, request), '/p/||Acme\n');
});

test('OPTIONS.contextProcessors may be async; later processors and then the view context win', async (t) => {
  const settings = settingsWith({
    contextProcessors: [() => ({ site: 'first' }), `${path.join(HERE, 'processors.ts')}#slowSite`],
  });
  const request = await new RequestFactory({ settings }).get('/');
  t.is(await renderToString(settings, 'processors.html', {}, request), '||Acme (async)\n');
  t.is(await renderToString(settings, 'processors.html', { site: 'view' }, request), '||view\n');
});

test('OPTIONS.contextProcessors: a string naming something that is not a function is refused', async (t) => {
  const settings = settingsWith({ contextProcessors: ['./processors.ts#notAFunction'] });
  const request = await new RequestFactory({ settings }).get('/');
  await t.throwsAsync(renderToString(settings, 'processors.html', {}, request), {
    message: /'\.\/processors\.ts#notAFunction' is not a function \(got number\)/,
  });
});

test('a context processor that returns nothing is reported by name', async (t) => {
  const settings = settingsWith({ contextProcessors: [function forgetful() {} as never] });
  const request = await new RequestFactory({ settings }).get('/');
  await t.throwsAsync(renderToString(settings, 'processors.html', {}, request), {
    instanceOf: TypeError,
    message: /Context processor `forgetful` returned undefined; context processors must return an object/,
  });
});

test('contextProcessors.csrf (always on) gives csrf_token and a safe csrf_input carrying the same token', async (t) => {
  const settings = settingsWith({});
  const request = await new RequestFactory({ settings }).get('/');
  const [first, second, input] = (await renderToString(settings, 'token.html', {}, request))
    .trim()
    .split('|');
  t.regex(first ?? '', /^[A-Za-z0-9]{64}$/);
  t.is(second, first, 'one token per render');
  t.is(input, `<input type="hidden" name="csrfmiddlewaretoken" value="${first}">`);
});

test('contextProcessors.csrf is lazy: a page that prints no token does not create one', async (t) => {
  const settings = settingsWith({});
  const request = await new RequestFactory({ settings }).get('/');
  await renderToString(settings, 'plain.html', {}, request);
  t.is(request.META.CSRF_COOKIE, undefined);
  await renderToString(settings, 'form.html', {}, request);
  t.regex(String(request.META.CSRF_COOKIE), /^[A-Za-z0-9]{32}$/);
});

test('{{ csrf_input }} through CsrfViewMiddleware: the form page sets the cookie and its token passes the POST', async (t) => {
  const settings = testSettings({
    BASE_DIR: HERE,
    TEMPLATES: [{ DIRS: ['templates'] }],
    MIDDLEWARE: [CsrfViewMiddleware],
    ROOT_URLCONF: {
      urlpatterns: [
        route(
          'form/',
          async (request) =>
            new HttpResponse(await renderToString(request.settings, 'form.html', {}, request)),
        ),
        route(
          'plain/',
          async (request) =>
            new HttpResponse(await renderToString(request.settings, 'plain.html', {}, request)),
        ),
        route('submit/', async () => new HttpResponse('accepted')),
      ],
    },
  });
  const client = await Client.create(settings);
  t.deepEqual((await client.get('/plain/')).setCookies, []);
  const page = await client.get('/form/');
  t.true(page.setCookies.some((c) => c.startsWith('csrftoken=')));
  const token = /value="([A-Za-z0-9]{64})"/.exec(page.text)?.[1] ?? '';
  t.is((await client.post('/submit/', { csrfmiddlewaretoken: token })).text, 'accepted');
  t.is((await client.post('/submit/', { csrfmiddlewaretoken: 'x'.repeat(64) })).status, 403);
});
