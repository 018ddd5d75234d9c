/**
 * The template engine: nunjucks, configured from `settings.TEMPLATES` (Django's
 * `django/template/backends/jinja2.py`, the closest of Django's backends to nunjucks).
 *
 * One `NunjucksEngine` is built per Settings object, on first use, and kept: it owns the
 * nunjucks Environment and its cache of compiled templates (nunjucks' own loader cache, so a
 * template file is read and compiled once per process). Autoescaping is always on.
 *
 * `TEMPLATES[0]`:
 * - `DIRS`: directories searched in order, relative to `BASE_DIR` unless absolute;
 * - `APP_DIRS`: then the `templates/` folder of each contrib app that has one
 *   (`src/contrib/<app>/templates`, in name order; there is no `INSTALLED_APPS`);
 * - `OPTIONS.contextProcessors`: functions or `'specifier#Export'` strings (imported once);
 *   `OPTIONS.filters`, `OPTIONS.globals`, `OPTIONS.trimBlocks`, `OPTIONS.lstripBlocks`,
 *   `OPTIONS.throwOnUndefined` go to nunjucks.
 *
 * Importing this module registers a startup check that builds the engine and imports the
 * context processors, so a wrong `TEMPLATES` stops `createApp()` instead of the first render.
 *
 * @module
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { registerCheck } from '../conf/checks.ts';
import type { Settings, TemplateSetting } from '../conf/index.ts';
import { ImproperlyConfigured, KoaDjangoError } from '../exceptions.ts';
import type { HttpRequest } from '../http/request.ts';
import { importString } from '../utils/module-loading.ts';
import { csrf } from './context-processors.ts';
import { TemplateDoesNotExist, TemplateRenderError, TemplateSyntaxError } from './errors.ts';

/**
 * A context processor (Django's `context_processors`): given the request, returns variables to
 * add to every template rendered with that request. May be async.
 */
export type ContextProcessor = (
  request: HttpRequest,
) => Readonly<Record<string, unknown>> | Promise<Readonly<Record<string, unknown>>>;

/** The variables a template is rendered with. */
export type Context = Readonly<Record<string, unknown>>;

/** What `TEMPLATES[0].OPTIONS` may hold. */
export interface NunjucksOptions {
  /** Functions, or `'specifier#Export'` strings resolved against `BASE_DIR` once. */
  contextProcessors?: readonly (ContextProcessor | string)[];
  /** Extra nunjucks filters, by name. */
  // biome-ignore lint/suspicious/noExplicitAny: filters take whatever the template passes
  filters?: Readonly<Record<string, (...args: any[]) => unknown>>;
  /** Variables visible in every template. */
  globals?: Readonly<Record<string, unknown>>;
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  throwOnUndefined?: boolean;
}

const OPTION_KEYS = [
  'contextProcessors',
  'filters',
  'globals',
  'trimBlocks',
  'lstripBlocks',
  'throwOnUndefined',
];
const SETTING_KEYS = ['BACKEND', 'DIRS', 'APP_DIRS', 'OPTIONS'];
const CONTRIB_DIR = fileURLToPath(new URL('../contrib/', import.meta.url));
const NOT_FOUND = 'template not found: ';

type NunjucksGetTemplate = (
  name: unknown,
  eagerCompile?: unknown,
  parentName?: unknown,
  ignoreMissing?: unknown,
  callback?: unknown,
) => nunjucks.Template | undefined;

/**
 * A compiled template bound to its engine (Django's backend `Template`): `render(context,
 * request)` runs the context processors when a request is given.
 *
 * @example
 * const template = getTemplate(settings, 'sms/reply.html');
 * const html = await template.render({ name: 'Ada' }, request);
 */
export class Template {
  /** The name it was looked up by. */
  readonly name: string;
  /** The file it was read from. */
  readonly origin: string;
  readonly engine: NunjucksEngine;
  readonly #compiled: nunjucks.Template;

  /** @internal Built by `NunjucksEngine#getTemplate`. */
  constructor(engine: NunjucksEngine, name: string, compiled: nunjucks.Template) {
    this.engine = engine;
    this.name = name;
    this.#compiled = compiled;
    this.origin = (compiled as unknown as { path?: string }).path ?? '';
  }

  /**
   * Render with `context`; with a `request`, the context processors' variables come first and
   * `context` wins over them (as Django's RequestContext).
   *
   * @throws TemplateRenderError (or the error a template function threw, when it is one of
   *   koa-django's, e.g. Http404), TemplateDoesNotExist / TemplateSyntaxError for includes.
   */
  async render(context: Context = {}, request?: HttpRequest | null): Promise<string> {
    const variables = request ? await this.engine.makeContext(context, request) : context;
    try {
      return this.#compiled.render(variables);
    } catch (error) {
      throw this.engine.renderError(error, this.name);
    }
  }
}

/**
 * The nunjucks engine of one Settings object. Use `getEngine(settings)` rather than `new`.
 *
 * @example
 * const engine = getEngine(settings);
 * engine.dirs; // ['/app/templates']
 */
export class NunjucksEngine {
  /** Directories searched, in order (absolute). */
  readonly dirs: readonly string[];
  /** The nunjucks Environment (add filters or extensions here if you must). */
  readonly env: nunjucks.Environment;
  readonly #baseDir: string;
  readonly #processorEntries: readonly (ContextProcessor | string)[];
  #processors: Promise<readonly ContextProcessor[]> | null = null;
  readonly #getTemplate: NunjucksGetTemplate;

  /** @throws ImproperlyConfigured for a malformed `TEMPLATES`. */
  constructor(settings: Settings) {
    const config = templateSetting(settings.TEMPLATES);
    const options = (config.OPTIONS ?? {}) as NunjucksOptions;
    this.#baseDir = settings.BASE_DIR;
    this.dirs = [
      ...(config.DIRS ?? []).map((dir) => path.resolve(settings.BASE_DIR, dir)),
      ...(config.APP_DIRS ? appTemplateDirs() : []),
    ];
    this.#processorEntries = [...(options.contextProcessors ?? [])];
    const loader = new nunjucks.FileSystemLoader([...this.dirs], { noCache: false, watch: false });
    // `dev` keeps nunjucks' error objects (line numbers, `cause`) instead of flattening them.
    this.env = new nunjucks.Environment(loader, {
      autoescape: true,
      dev: true,
      trimBlocks: options.trimBlocks ?? false,
      lstripBlocks: options.lstripBlocks ?? false,
      throwOnUndefined: options.throwOnUndefined ?? false,
    });
    for (const [name, filter] of Object.entries(options.filters ?? {})) this.env.addFilter(name, filter);
    for (const [name, value] of Object.entries(options.globals ?? {})) this.env.addGlobal(name, value);
    const base = this.env.getTemplate.bind(this.env) as NunjucksGetTemplate;
    this.#getTemplate = base;
    // Includes, extends and imports go through env.getTemplate too: translate their errors
    // here so a missing or broken partial is reported as such, with its name.
    (this.env as unknown as { getTemplate: NunjucksGetTemplate }).getTemplate = (
      name,
      eagerCompile,
      parentName,
      ignoreMissing,
      callback,
    ) => {
      let cb = callback;
      let parent = parentName;
      if (typeof parent === 'function') [cb, parent] = [parent, null];
      if (typeof eagerCompile === 'function') cb = eagerCompile;
      if (typeof cb !== 'function') return this.#load(name, parent, ignoreMissing === true);
      let template: nunjucks.Template;
      try {
        template = this.#load(name, parent, ignoreMissing === true);
      } catch (error) {
        cb(error);
        return undefined;
      }
      cb(null, template);
      return undefined;
    };
  }

  /**
   * The template called `name` (Django's `get_template`), compiled and cached.
   *
   * @throws TemplateDoesNotExist (the message lists the directories searched),
   *   TemplateSyntaxError (with the line and column).
   * @example
   * getEngine(settings).getTemplate('index.html');
   */
  getTemplate(name: string): Template {
    if (
      typeof name !== 'string' ||
      name === '' ||
      path.isAbsolute(name) ||
      name.split(/[\\/]/).includes('..')
    ) {
      throw new TemplateDoesNotExist(String(name), this.dirs, {
        reason: 'Template names are relative paths inside the template directories (no "..", not absolute).',
      });
    }
    return new Template(this, name, this.#load(name, null, false));
  }

  /**
   * The first of `names` that exists (Django's `select_template`).
   *
   * @throws TemplateDoesNotExist naming every name tried; TemplateSyntaxError.
   * @example
   * getEngine(settings).selectTemplate(['sms/custom.html', 'sms/default.html']);
   */
  selectTemplate(names: readonly string[]): Template {
    if (names.length === 0) {
      throw new TemplateDoesNotExist([], this.dirs, { reason: 'No template name was given (empty list).' });
    }
    for (const name of names) {
      try {
        return this.getTemplate(name);
      } catch (error) {
        if (!(error instanceof TemplateDoesNotExist && error.templateNames[0] === name)) throw error;
      }
    }
    throw new TemplateDoesNotExist(names, this.dirs);
  }

  /** The context processors, imported once (strings resolved against `BASE_DIR`). */
  contextProcessors(): Promise<readonly ContextProcessor[]> {
    this.#processors ??= loadProcessors(this.#processorEntries, this.#baseDir);
    // A failed import is reported again next time rather than cached as a rejection.
    this.#processors.catch(() => {
      this.#processors = null;
    });
    return this.#processors;
  }

  /**
   * The variables for rendering with `request`: the built-in `csrf` processor (always on, as
   * in Django), then `OPTIONS.contextProcessors` in order, then `context` over all of them.
   *
   * @example
   * await getEngine(settings).makeContext({ title: 'Hi' }, request); // { csrf_token, csrf_input, ..., title }
   */
  async makeContext(context: Context, request: HttpRequest): Promise<Record<string, unknown>> {
    const variables: Record<string, unknown> = { ...csrf(request) };
    for (const processor of await this.contextProcessors()) {
      const added = await processor(request);
      if (added === null || typeof added !== 'object') {
        throw new TypeError(
          `Context processor \`${processor.name || 'anonymous'}\` returned ${added === null ? 'null' : typeof added}; context processors must return an object of template variables (e.g. \`return { user: request.user }\`).`,
        );
      }
      Object.assign(variables, added);
    }
    return Object.assign(variables, context);
  }

  /** @internal Turn an error thrown while rendering into one that names the template and line. */
  renderError(error: unknown, templateName: string): Error {
    let deepest: (Error & { lineno?: number; cause?: unknown }) | undefined;
    let root: unknown = error;
    for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
      // Our own errors (a missing include, Http404 from a template function) keep their type.
      if (e instanceof KoaDjangoError) return e;
      if (e instanceof nunjucks.lib.TemplateError) deepest = e;
      root = e;
    }
    if (!deepest) return root instanceof Error ? root : new Error(String(root));
    const origin = /^\(([^)\n]*)\)/.exec(deepest.message)?.[1] ?? '';
    const where = origin ? this.#nameOf(origin) : templateName;
    const fromUserCode = root !== deepest && !(root instanceof nunjucks.lib.TemplateError);
    // nunjucks counts lines from 0 for errors raised by code it calls, from 1 for its own.
    const lineno = typeof deepest.lineno === 'number' ? deepest.lineno : 0;
    const line = fromUserCode ? lineno + 1 : lineno;
    const detail =
      fromUserCode && root instanceof Error
        ? `${root.name}: ${root.message}`
        : stripLocation(deepest.message);
    return new TemplateRenderError(where, line, detail, { cause: root });
  }

  #load(name: unknown, parentName: unknown, ignoreMissing: boolean): nunjucks.Template {
    try {
      return this.#getTemplate(name, true, parentName, ignoreMissing) as nunjucks.Template;
    } catch (error) {
      const label = typeof name === 'string' ? name : String(name);
      const includedFrom = typeof parentName === 'string' ? this.#nameOf(parentName) : undefined;
      if (error instanceof Error && error.message.startsWith(NOT_FOUND)) {
        throw new TemplateDoesNotExist(label, this.dirs, { includedFrom });
      }
      if (error instanceof nunjucks.lib.TemplateError) {
        const located = /^\(([^)\n]*)\)/.exec(error.message)?.[1] ?? '';
        throw new TemplateSyntaxError(
          label,
          located,
          { line: error.lineno || 0, column: error.colno || 0 },
          stripLocation(error.message),
          { cause: error },
        );
      }
      throw error;
    }
  }

  /** A template's name from its file path (relative to the directory it was found in). */
  #nameOf(file: string): string {
    for (const dir of this.dirs) {
      if (file.startsWith(dir + path.sep))
        return file
          .slice(dir.length + 1)
          .split(path.sep)
          .join('/');
    }
    return file;
  }
}

const engines = new WeakMap<Settings, NunjucksEngine>();

/**
 * The engine for `settings`, built on first use and kept (one per Settings object).
 *
 * @throws ImproperlyConfigured for a malformed `TEMPLATES`.
 * @example
 * const engine = getEngine(request.settings);
 */
export function getEngine(settings: Settings): NunjucksEngine {
  let engine = engines.get(settings);
  if (!engine) {
    engine = new NunjucksEngine(settings);
    engines.set(settings, engine);
  }
  return engine;
}

/**
 * Build the engine and import its context processors now (at startup), so a mistake in
 * `TEMPLATES` is reported before the first request. The startup check calls this.
 *
 * @example
 * await prepareEngine(settings);
 */
export async function prepareEngine(settings: Settings): Promise<NunjucksEngine> {
  const engine = getEngine(settings);
  await engine.contextProcessors();
  return engine;
}

function templateSetting(templates: readonly TemplateSetting[] | undefined): TemplateSetting {
  if (templates === undefined || templates === null || templates.length === 0) return {};
  if (!Array.isArray(templates)) {
    throw new ImproperlyConfigured(
      "TEMPLATES must be a list of one engine configuration, e.g. [{ DIRS: ['templates'] }].",
    );
  }
  if (templates.length > 1) {
    throw new ImproperlyConfigured(
      `TEMPLATES has ${templates.length} entries; koa-django has one template engine (nunjucks). Merge them into TEMPLATES[0] (DIRS are searched in order).`,
    );
  }
  const config = templates[0] as TemplateSetting;
  for (const key of Object.keys(config)) {
    if (!SETTING_KEYS.includes(key)) {
      throw new ImproperlyConfigured(
        `TEMPLATES[0] has an unknown key '${key}'. Known keys: ${SETTING_KEYS.join(', ')}.`,
      );
    }
  }
  if (config.BACKEND !== undefined && config.BACKEND !== 'nunjucks') {
    throw new ImproperlyConfigured(
      `TEMPLATES[0].BACKEND is '${String(config.BACKEND)}'; the only backend is 'nunjucks' (leave BACKEND out).`,
    );
  }
  if (
    config.DIRS !== undefined &&
    !(Array.isArray(config.DIRS) && config.DIRS.every((d) => typeof d === 'string'))
  ) {
    throw new ImproperlyConfigured(
      "TEMPLATES[0].DIRS must be a list of directory paths (relative to BASE_DIR), e.g. ['templates'].",
    );
  }
  for (const key of Object.keys(config.OPTIONS ?? {})) {
    if (!OPTION_KEYS.includes(key)) {
      const hint =
        key === 'autoescape' ? ' Autoescaping is always on; mark trusted HTML with markSafe().' : '';
      throw new ImproperlyConfigured(
        `TEMPLATES[0].OPTIONS has an unknown key '${key}'. Known keys: ${OPTION_KEYS.join(', ')}.${hint}`,
      );
    }
  }
  const processors = (config.OPTIONS as NunjucksOptions | undefined)?.contextProcessors;
  if (
    processors !== undefined &&
    !(Array.isArray(processors) && processors.every((p) => typeof p === 'function' || typeof p === 'string'))
  ) {
    throw new ImproperlyConfigured(
      "TEMPLATES[0].OPTIONS.contextProcessors must be a list of functions or 'specifier#Export' strings.",
    );
  }
  return config;
}

/**
 * `<root>/<app>/templates` folders that exist, in app-name order (`root`: `src/contrib`).
 *
 * @internal
 * @example
 * appTemplateDirs(); // ['/…/src/contrib/twilio/templates']
 */
export function appTemplateDirs(root: string = CONTRIB_DIR): string[] {
  let apps: string[];
  try {
    apps = readdirSync(root).sort();
  } catch {
    return [];
  }
  return apps
    .map((app) => path.join(root, app, 'templates'))
    .filter((dir) => {
      try {
        return statSync(dir).isDirectory();
      } catch {
        return false;
      }
    });
}

async function loadProcessors(
  entries: readonly (ContextProcessor | string)[],
  baseDir: string,
): Promise<readonly ContextProcessor[]> {
  const loaded: ContextProcessor[] = [];
  for (const entry of entries) {
    if (typeof entry === 'function') {
      loaded.push(entry);
      continue;
    }
    // 'module#a.b' reaches into a namespace export: 'koa-django/template#contextProcessors.request'.
    const [moduleName, exportPath = ''] = entry.split('#');
    const [first, ...rest] = exportPath.split('.');
    let value: unknown = await importString(
      first ? `${moduleName}#${first}` : (moduleName as string),
      baseDir,
      'TEMPLATES[0].OPTIONS.contextProcessors',
    );
    for (const key of rest) value = (value as Record<string, unknown> | undefined)?.[key];
    if (typeof value !== 'function') {
      throw new ImproperlyConfigured(
        `TEMPLATES[0].OPTIONS.contextProcessors: '${entry}' is not a function (got ${typeof value}). Name an export that is a context processor, e.g. './context.ts#site'.`,
      );
    }
    loaded.push(value as ContextProcessor);
  }
  return Object.freeze(loaded);
}

/** nunjucks' message without its "(path) [Line n, Column m]" prefixes. */
function stripLocation(message: string): string {
  return message
    .replace(/^(?:\([^)\n]*\)(?: \[Line \d+(?:, Column \d+)?\])?\n\s*(?:Template render error: )?)+/, '')
    .trim();
}

registerCheck(async (settings) => {
  if (!settings.TEMPLATES || settings.TEMPLATES.length === 0) return [];
  let engine: NunjucksEngine;
  try {
    engine = await prepareEngine(settings);
  } catch (error) {
    return [{ id: 'templates.E001', level: 'error', message: (error as Error).message }];
  }
  return engine.dirs
    .filter((dir) => {
      try {
        return !statSync(dir).isDirectory();
      } catch {
        return true;
      }
    })
    .map((dir) => ({
      id: 'templates.W001',
      level: 'warning' as const,
      message: `Template directory ${dir} (TEMPLATES[0].DIRS) does not exist.`,
      hint: 'Create it, or fix the path (relative to BASE_DIR).',
    }));
});
