import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { createApp } from '../../src/app.ts';
import { checkSettings, defineSettings, type SettingsInput } from '../../src/conf/index.ts';
import { ImproperlyConfigured } from '../../src/exceptions.ts';
import { appTemplateDirs } from '../../src/template/engine.ts';
import {
  getEngine,
  getTemplate,
  markSafe,
  renderToString,
  selectTemplate,
  TemplateDoesNotExist,
  TemplateRenderError,
  TemplateSyntaxError,
} from '../../src/template/index.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const TEMPLATES_DIR = path.join(HERE, 'templates');
const OTHER_DIR = path.join(HERE, 'other');

function settingsWith(templates: SettingsInput['TEMPLATES'], extra: SettingsInput = {}) {
  return defineSettings({ SECRET_KEY: 'k'.repeat(50), BASE_DIR: HERE, TEMPLATES: templates, ...extra });
}

const settings = settingsWith([{ DIRS: ['templates', 'other'] }]);

test('renderToString(settings, name, context) renders with autoescaping on', async (t) => {
  t.is(
    await renderToString(settings, 'hello.html', { name: '<Ada & "Bob">' }),
    'Hello &lt;Ada &amp; &quot;Bob&quot;&gt;!\n',
  );
});

test('renderToString(settings, name, context): markSafe() values are printed as they are', async (t) => {
  t.is(
    await renderToString(settings, 'escape.html', { value: '<b>', safe: markSafe('<i>ok</i>') }),
    '&lt;b&gt;|<i>ok</i>\n',
  );
});

test('renderToString(settings, name): {% extends %} and {% include %} find templates in the same directories', async (t) => {
  t.is(await renderToString(settings, 'child.html', { name: 'x' }), '<title>child of x</title>\n');
  t.is(await renderToString(settings, 'include-ok.html', { name: 'y' }), '[item y]\n');
});

test('getTemplate(settings, name) searches DIRS in order, relative to BASE_DIR', async (t) => {
  t.is(await getTemplate(settings, 'hello.html').render({ name: 'a' }), 'Hello a!\n');
  t.is(getTemplate(settings, 'hello.html').origin, path.join(TEMPLATES_DIR, 'hello.html'));
  t.is(getTemplate(settings, 'only-other.html').origin, path.join(OTHER_DIR, 'only-other.html'));
  const reversed = settingsWith([{ DIRS: ['other', 'templates'] }]);
  t.is(await getTemplate(reversed, 'hello.html').render(), 'shadowed\n');
});

test('getTemplate(settings, name) throws TemplateDoesNotExist listing the directories searched', (t) => {
  const error = t.throws(() => getTemplate(settings, 'nope.html'), { instanceOf: TemplateDoesNotExist });
  t.is(error?.code, 'KD_TEMPLATE_DOES_NOT_EXIST');
  t.deepEqual(error?.tried, [TEMPLATES_DIR, OTHER_DIR]);
  t.regex(error?.message ?? '', /'nope\.html' does not exist/);
  t.true(error?.message.includes(TEMPLATES_DIR) && error.message.includes(OTHER_DIR));
  t.regex(error?.message ?? '', /TEMPLATES\[0\]\.DIRS/);
});

test('getTemplate(settings, name) with TEMPLATES empty says no directory is searched and how to add one', (t) => {
  const error = t.throws(() => getTemplate(settingsWith([]), 'hello.html'), {
    instanceOf: TemplateDoesNotExist,
  });
  t.regex(error?.message ?? '', /TEMPLATES is empty.*DIRS: \['templates'\]/);
});

test('getTemplate(settings, name) refuses names that leave the template directories', (t) => {
  for (const name of [
    '../engine.test.ts',
    'partials/../../engine.test.ts',
    path.join(HERE, 'engine.test.ts'),
    '',
  ]) {
    const error = t.throws(() => getTemplate(settings, name), { instanceOf: TemplateDoesNotExist });
    t.regex(error?.message ?? '', /relative paths inside the template directories/, name);
  }
});

test('getTemplate(settings, name) reports a syntax error with the template name, line and column', (t) => {
  const error = t.throws(() => getTemplate(settings, 'bad-syntax.html'), { instanceOf: TemplateSyntaxError });
  t.is(error?.code, 'KD_TEMPLATE_SYNTAX_ERROR');
  t.is(error?.templateName, 'bad-syntax.html');
  t.is(error?.line, 2);
  t.is(error?.column, 9);
  t.is(
    error?.message,
    `Template 'bad-syntax.html' (${path.join(TEMPLATES_DIR, 'bad-syntax.html')}) has a syntax error at line 2, column 9: unexpected token: }}`,
  );
});

test('renderToString(settings, name): a syntax error in an included template names that template', async (t) => {
  const error = await t.throwsAsync(renderToString(settings, 'include-bad.html'), {
    instanceOf: TemplateSyntaxError,
  });
  t.is(error?.templateName, 'bad-syntax.html');
  t.is(error?.line, 2);
});

test('renderToString(settings, name): a missing include is TemplateDoesNotExist naming the includer', async (t) => {
  const error = await t.throwsAsync(renderToString(settings, 'include-missing.html'), {
    instanceOf: TemplateDoesNotExist,
  });
  t.deepEqual(error?.templateNames, ['partials/nope.html']);
  t.regex(error?.message ?? '', /included or extended from 'include-missing\.html'/);
});

test('renderToString(settings, name): an error thrown by a context function names the template and line', async (t) => {
  const cause = new TypeError('kaboom');
  const error = await t.throwsAsync(
    renderToString(settings, 'boom.html', {
      boom() {
        throw cause;
      },
    }),
    { instanceOf: TemplateRenderError },
  );
  t.is(error?.code, 'KD_TEMPLATE_RENDER_ERROR');
  t.is(error?.message, "Rendering template 'boom.html' failed at line 3: TypeError: kaboom");
  t.is(error?.cause, cause);
});

test('renderToString(settings, name): calling an undefined variable is a TemplateRenderError at its line', async (t) => {
  const error = await t.throwsAsync(renderToString(settings, 'undefined-call.html'), {
    instanceOf: TemplateRenderError,
  });
  t.is(error?.line, 2);
  t.regex(error?.message ?? '', /Unable to call `missing`/);
});

test("renderToString(settings, name): koa-django's own errors thrown in a template keep their type", async (t) => {
  const { Http404 } = await import('../../src/exceptions.ts');
  await t.throwsAsync(
    renderToString(settings, 'boom.html', {
      boom() {
        throw new Http404('no such caller');
      },
    }),
    { instanceOf: Http404, message: 'no such caller' },
  );
});

test('selectTemplate(settings, names) returns the first template that exists', async (t) => {
  t.is(selectTemplate(settings, ['nope.html', 'only-other.html', 'hello.html']).name, 'only-other.html');
  t.is(await renderToString(settings, ['nope.html', 'hello.html'], { name: 'z' }), 'Hello z!\n');
});

test('selectTemplate(settings, names) throws TemplateDoesNotExist naming every template tried', (t) => {
  const error = t.throws(() => selectTemplate(settings, ['a.html', 'b.html']), {
    instanceOf: TemplateDoesNotExist,
  });
  t.deepEqual(error?.templateNames, ['a.html', 'b.html']);
  t.regex(error?.message ?? '', /None of the templates 'a\.html', 'b\.html' exist/);
  t.throws(() => selectTemplate(settings, []), { instanceOf: TemplateDoesNotExist, message: /empty list/ });
});

test('selectTemplate(settings, names) does not skip a template that exists but does not parse', (t) => {
  t.throws(() => selectTemplate(settings, ['bad-syntax.html', 'hello.html']), {
    instanceOf: TemplateSyntaxError,
  });
});

test('getEngine(settings) builds one engine per Settings object and caches compiled templates', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kd-templates-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'page.html'), 'v1');
  const cached = settingsWith([{ DIRS: [dir] }]);
  t.is(getEngine(cached), getEngine(cached));
  t.is(await renderToString(cached, 'page.html'), 'v1');
  writeFileSync(path.join(dir, 'page.html'), 'v2');
  t.is(await renderToString(cached, 'page.html'), 'v1', 'the compiled template is reused');
  t.is(
    await renderToString(settingsWith([{ DIRS: [dir] }]), 'page.html'),
    'v2',
    'other settings, other engine',
  );
});

test('getEngine(settings) applies OPTIONS.filters, globals and trimBlocks', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kd-templates-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'f.html'), '{% if true %}\n{{ name | shout }} {{ site }}{% endif %}');
  const configured = settingsWith([
    {
      DIRS: [dir],
      OPTIONS: { filters: { shout: (s: string) => `${s}!` }, globals: { site: 'Acme' }, trimBlocks: true },
    },
  ]);
  t.is(await renderToString(configured, 'f.html', { name: 'hi' }), 'hi! Acme');
});

test("getEngine(settings) with APP_DIRS searches the contrib apps' templates folders after DIRS", (t) => {
  const engine = getEngine(settingsWith([{ DIRS: ['templates'], APP_DIRS: true }]));
  t.deepEqual(engine.dirs, [TEMPLATES_DIR, ...appTemplateDirs()]);
  t.deepEqual(getEngine(settingsWith([{ DIRS: ['templates'] }])).dirs, [TEMPLATES_DIR]);
});

test("appTemplateDirs(root) lists the apps' existing templates folders in name order", (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'kd-contrib-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  for (const dir of ['zeta/templates', 'alpha/templates', 'beta'])
    mkdirSync(path.join(root, dir), { recursive: true });
  mkdirSync(path.join(root, 'gamma'));
  writeFileSync(path.join(root, 'gamma', 'templates'), 'not a folder');
  t.deepEqual(appTemplateDirs(root), [
    path.join(root, 'alpha', 'templates'),
    path.join(root, 'zeta', 'templates'),
  ]);
  t.deepEqual(appTemplateDirs(path.join(root, 'missing')), []);
});

test('getEngine(settings) refuses a malformed TEMPLATES with a message naming the fix', (t) => {
  const cases: [SettingsInput['TEMPLATES'], RegExp][] = [
    [[{ DIRS: ['a'] }, { DIRS: ['b'] }], /TEMPLATES has 2 entries.*Merge them/],
    [[{ BACKEND: 'django' as 'nunjucks' }], /only backend is 'nunjucks'/],
    [[{ DIRS: 'templates' as unknown as string[] }], /DIRS must be a list/],
    [[{ DIRECTORIES: ['x'] } as never], /unknown key 'DIRECTORIES'/],
    [[{ OPTIONS: { autoescape: false } }], /unknown key 'autoescape'.*always on/],
    [[{ OPTIONS: { contextProcessors: [42] } }], /contextProcessors must be a list of functions/],
  ];
  for (const [templates, message] of cases) {
    t.throws(() => getEngine(settingsWith(templates)), { instanceOf: ImproperlyConfigured, message });
  }
});

test('checkSettings(settings) reports a bad TEMPLATES as templates.E001 and a missing directory as templates.W001', async (t) => {
  const bad = await checkSettings(settingsWith([{ OPTIONS: { contextProcessors: ['./nope.ts#x'] } }]));
  const error = bad.find((m) => m.id === 'templates.E001');
  t.is(error?.level, 'error');
  t.regex(error?.message ?? '', /contextProcessors: module '\.\/nope\.ts' could not be imported/);
  const missing = await checkSettings(settingsWith([{ DIRS: ['no-such-dir'] }]));
  t.true(
    missing.some((m) => m.id === 'templates.W001' && m.message.includes(path.join(HERE, 'no-such-dir'))),
  );
  t.false((await checkSettings(settings)).some((m) => m.id.startsWith('templates.')));
});

test('createApp(settings) refuses to start when a context processor cannot be imported', async (t) => {
  const broken = settingsWith(
    [{ DIRS: ['templates'], OPTIONS: { contextProcessors: ['./processors.ts#nothing'] } }],
    {
      ALLOWED_HOSTS: ['testserver'],
    },
  );
  await t.throwsAsync(createApp(broken), {
    instanceOf: ImproperlyConfigured,
    message: /has no export 'nothing'/,
  });
});
