import { fileURLToPath } from 'node:url';
import test from 'ava';
import { DisallowedRedirect, ImproperlyConfigured, NoReverseMatch } from '../src/exceptions.ts';
import type { HttpRequest } from '../src/http/request.ts';
import { HttpResponse } from '../src/http/response.ts';
import { redirect, render, resolveUrl } from '../src/shortcuts.ts';
import { contextProcessors, TemplateDoesNotExist } from '../src/template/index.ts';
import { include, path, rePath } from '../src/urls/index.ts';
import { Client, testSettings } from './helpers/client.ts';
import { RequestFactory } from './helpers/request-factory.ts';

const TEMPLATES_BASE = fileURLToPath(new URL('./template/', import.meta.url));
const settings = testSettings({
  BASE_DIR: TEMPLATES_BASE,
  TEMPLATES: [{ DIRS: ['templates'], OPTIONS: { contextProcessors: [contextProcessors.request] } }],
});

const sms = async () => new HttpResponse('sms');
const urls = {
  urlpatterns: [
    path('sms/', sms, 'sms'),
    path('conference/<str:name>/', sms, 'conference'),
    rePath('^calls/([0-9]+)/$', sms, 'call'),
    path('twilio/', include({ appName: 'twilio', urlpatterns: [path('voice/', sms, 'voice')] })),
  ],
};

async function routedRequest(options: { scriptName?: string } = {}): Promise<HttpRequest> {
  const request = await new RequestFactory({ settings }).get('/here/', undefined, options);
  request.urlconf = urls;
  return request;
}

test('render(request, name, context) returns an HttpResponse rendered with the context processors', async (t) => {
  const request = await new RequestFactory({ settings }).get('/inbox/');
  const response = await render(request, 'processors.html', { site: 'Acme' });
  t.true(response instanceof HttpResponse);
  t.is(response.statusCode, 200);
  t.is(response.text, '/inbox/||Acme\n');
  t.is(response.get('Content-Type'), 'text/html; charset=utf-8');
});

test('render(request, names, context, { status, contentType }) picks the first template and sets status and type', async (t) => {
  const request = await new RequestFactory({ settings }).get('/');
  const response = await render(
    request,
    ['nope.html', 'hello.html'],
    { name: 'x' },
    { status: 201, contentType: 'text/plain' },
  );
  t.is(response.statusCode, 201);
  t.is(response.get('Content-Type'), 'text/plain');
  t.is(response.text, 'Hello x!\n');
});

test('render(request, name) for a missing template throws TemplateDoesNotExist', async (t) => {
  const request = await new RequestFactory({ settings }).get('/');
  await t.throwsAsync(render(request, 'nope.html'), { instanceOf: TemplateDoesNotExist });
});

test('render(request, name) in a view through the app, with {{ csrf_input }}', async (t) => {
  const page = (request: HttpRequest) => render(request, 'form.html');
  const client = await Client.create(
    testSettings({ ...settings, ROOT_URLCONF: { urlpatterns: [path('form/', page)] } }),
  );
  const response = await client.get('/form/');
  t.regex(
    response.text,
    /^<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"><\/form>\n$/,
  );
});

test('redirect(url) redirects to absolute and relative URLs as they are, with 302', (t) => {
  for (const url of ['https://example.com/a?b=1', '/thanks/', './next/', '../up/', 'page.html']) {
    const response = redirect(url);
    t.is(response.statusCode, 302, url);
    t.is(response.get('Location'), url);
  }
});

test('redirect(url, { permanent, preserveRequest }) chooses 301, 307 or 308', (t) => {
  t.is(redirect('/a/', { permanent: true }).statusCode, 301);
  t.is(redirect('/a/', { preserveRequest: true }).statusCode, 307);
  t.is(redirect('/a/', { permanent: true, preserveRequest: true }).statusCode, 308);
});

test('redirect(name, { request, kwargs | args }) reverses URL pattern names in request.urlconf', async (t) => {
  const request = await routedRequest();
  t.is(redirect('sms', { request }).get('Location'), '/sms/');
  t.is(
    redirect('conference', { request, kwargs: { name: 'standup' } }).get('Location'),
    '/conference/standup/',
  );
  t.is(redirect('call', { request, args: [7] }).get('Location'), '/calls/7/');
  t.is(redirect('twilio:voice', { request }).get('Location'), '/twilio/voice/');
  t.is(redirect(sms, { urlconf: urls }).get('Location'), '/sms/', 'a view function reverses too');
});

test('redirect(name, { request }) puts the mount prefix in front', async (t) => {
  const request = await routedRequest({ scriptName: '/hooks' });
  t.is(redirect('sms', { request }).get('Location'), '/hooks/sms/');
});

test('redirect(name, { request }) for a name that does not reverse throws NoReverseMatch', async (t) => {
  const request = await routedRequest();
  t.throws(() => redirect('nope', { request }), { instanceOf: NoReverseMatch });
  t.throws(() => redirect('conference', { request }), { instanceOf: NoReverseMatch });
});

test('redirect(to, { request }): a string with / or . that is no pattern name is taken as a URL', async (t) => {
  const request = await routedRequest();
  t.is(redirect('/sms/elsewhere/', { request }).get('Location'), '/sms/elsewhere/');
  t.is(redirect('example.com', { request }).get('Location'), 'example.com');
});

test('redirect(name) without { request } or { urlconf } says how to give one', (t) => {
  t.throws(() => redirect('sms'), {
    instanceOf: ImproperlyConfigured,
    message:
      "redirect('sms') names a URL pattern, but no urlconf was given to reverse it: pass { request } (or { urlconf }).",
  });
});

test('redirect(object) uses its getAbsoluteUrl()', (t) => {
  const caller = { id: 4, getAbsoluteUrl: () => '/callers/4/' };
  t.is(redirect(caller).get('Location'), '/callers/4/');
  t.is(resolveUrl(caller), '/callers/4/');
});

test('redirect(url) refuses unsafe schemes (DisallowedRedirect, a 400 when it escapes a view)', async (t) => {
  t.throws(() => redirect('javascript:alert(document.cookie)'), { instanceOf: DisallowedRedirect });
  const client = await Client.create(
    testSettings({
      ROOT_URLCONF: { urlpatterns: [path('go/', () => redirect('javascript:alert(document.cookie)'))] },
    }),
  );
  t.is((await client.get('/go/')).status, 400);
});

test('redirect(name, { request }) in a view through the app', async (t) => {
  const go = (request: HttpRequest) => redirect('conference', { request, kwargs: { name: 'weekly' } });
  const client = await Client.create(
    testSettings({ ROOT_URLCONF: { urlpatterns: [...urls.urlpatterns, path('go/', go)] } }),
  );
  const response = await client.get('/go/');
  t.is(response.status, 302);
  t.is(response.headers.location, '/conference/weekly/');
});
