import { fileURLToPath } from 'node:url';
import test from 'ava';
import { defineSettings } from '../../src/conf/index.ts';
import { ContentNotRenderedError } from '../../src/exceptions.ts';
import { HttpResponse } from '../../src/http/response.ts';
import {
  contextProcessors,
  getTemplate,
  SimpleTemplateResponse,
  TemplateDoesNotExist,
  TemplateResponse,
} from '../../src/template/index.ts';
import { RequestFactory } from '../helpers/request-factory.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const settings = defineSettings({
  SECRET_KEY: 'k'.repeat(50),
  ALLOWED_HOSTS: ['testserver'],
  BASE_DIR: HERE,
  TEMPLATES: [{ DIRS: ['templates', 'other'], OPTIONS: { contextProcessors: [contextProcessors.request] } }],
});
const factory = new RequestFactory({ settings });

test('SimpleTemplateResponse starts unrendered: reading or iterating content throws ContentNotRenderedError', (t) => {
  const response = new SimpleTemplateResponse('hello.html', { name: 'a' }, { settings });
  t.false(response.isRendered);
  t.throws(() => response.content, {
    instanceOf: ContentNotRenderedError,
    message: /rendered before it can be accessed/,
  });
  t.throws(() => response.text, { instanceOf: ContentNotRenderedError });
  t.throws(() => [...response], { instanceOf: ContentNotRenderedError, message: /iterated over/ });
});

test('SimpleTemplateResponse#render() renders templateName with contextData and resolves to the response', async (t) => {
  const response = new SimpleTemplateResponse('hello.html', { name: 'Ada' }, { settings, status: 201 });
  t.is(await response.render(), response);
  t.true(response.isRendered);
  t.is(response.text, 'Hello Ada!\n');
  t.is(response.statusCode, 201);
  t.is(response.get('Content-Type'), 'text/html; charset=utf-8');
});

test('SimpleTemplateResponse: templateName and contextData can be changed until render()', async (t) => {
  const response = new SimpleTemplateResponse('hello.html', { name: 'Ada' }, { settings });
  response.templateName = ['missing.html', 'only-other.html'];
  response.contextData.name = 'Bob';
  await response.render();
  t.is(response.text, 'other: Bob\n');
});

test('SimpleTemplateResponse#render() renders only once; later changes do nothing', async (t) => {
  const response = new SimpleTemplateResponse('hello.html', { name: 'one' }, { settings });
  await Promise.all([response.render(), response.render()]);
  response.contextData.name = 'two';
  await response.render();
  t.is(response.text, 'Hello one!\n');
});

test('SimpleTemplateResponse: setting content marks it rendered, and render() keeps that content', async (t) => {
  const response = new SimpleTemplateResponse('hello.html', {}, { settings });
  response.content = 'set by hand';
  t.true(response.isRendered);
  await response.render();
  t.is(response.text, 'set by hand');
});

test('SimpleTemplateResponse#renderedContent renders without marking the response rendered', async (t) => {
  const response = new SimpleTemplateResponse('hello.html', { name: 'x' }, { settings });
  t.is(await response.renderedContent, 'Hello x!\n');
  t.false(response.isRendered);
});

test('SimpleTemplateResponse#addPostRenderCallback(cb) runs callbacks in order after rendering, each on the current response', async (t) => {
  const response = new SimpleTemplateResponse('hello.html', { name: 'x' }, { settings });
  const seen: string[] = [];
  response.addPostRenderCallback((r) => {
    seen.push(`first:${r.text}`);
  });
  const replacement = new HttpResponse('replaced');
  response.addPostRenderCallback(async () => replacement);
  response.addPostRenderCallback((r) => {
    seen.push(`third:${r.text}`);
    return null;
  });
  t.deepEqual(seen, []);
  t.is(await response.render(), replacement);
  t.deepEqual(seen, ['first:Hello x!\n', 'third:replaced']);
});

test('SimpleTemplateResponse#addPostRenderCallback(cb) on a rendered response runs cb at once', async (t) => {
  const response = new SimpleTemplateResponse('hello.html', { name: 'x' }, { settings });
  await response.render();
  let seen = '';
  response.addPostRenderCallback((r) => {
    seen = r.text;
  });
  t.is(seen, 'Hello x!\n');
});

test('SimpleTemplateResponse#render() that fails leaves it unrendered, so it can be fixed and rendered again', async (t) => {
  const response = new SimpleTemplateResponse('missing.html', {}, { settings });
  await t.throwsAsync(response.render(), { instanceOf: TemplateDoesNotExist });
  t.false(response.isRendered);
  response.templateName = 'hello.html';
  await response.render();
  t.is(response.text, 'Hello !\n');
});

test('new SimpleTemplateResponse(name) without settings says where settings come from; a Template needs none', async (t) => {
  t.throws(() => new SimpleTemplateResponse('hello.html'), {
    instanceOf: TypeError,
    message: /needs \{ settings \}.*TemplateResponse\(request/,
  });
  const response = new SimpleTemplateResponse(getTemplate(settings, 'hello.html'), { name: 'T' });
  await response.render();
  t.is(response.text, 'Hello T!\n');
});

test('new TemplateResponse(request, name, context) renders with the context processors and request.settings', async (t) => {
  const request = await factory.get('/where/');
  const response = new TemplateResponse(
    request,
    'processors.html',
    { site: 'S' },
    { contentType: 'text/plain' },
  );
  t.is(response.request, request);
  await response.render();
  t.is(response.text, '/where/||S\n');
  t.is(response.get('Content-Type'), 'text/plain');
});
