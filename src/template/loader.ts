/**
 * Finding and rendering templates by name (Django's `django/template/loader.py`), with the
 * settings passed explicitly since koa-django has no global settings.
 *
 * @module
 */
import type { Settings } from '../conf/index.ts';
import type { HttpRequest } from '../http/request.ts';
import { type Context, getEngine, type Template } from './engine.ts';

/**
 * The template called `name`, compiled (once, then cached).
 *
 * @throws TemplateDoesNotExist (listing the directories searched), TemplateSyntaxError.
 * @example
 * const template = getTemplate(request.settings, 'sms/reply.xml');
 * const body = await template.render({ name: 'Ada' }, request);
 */
export function getTemplate(settings: Settings, name: string): Template {
  return getEngine(settings).getTemplate(name);
}

/**
 * The first of `names` that exists (Django's `select_template`).
 *
 * @throws TemplateDoesNotExist naming every template tried.
 * @example
 * selectTemplate(settings, [`sms/${kind}.html`, 'sms/default.html']);
 */
export function selectTemplate(settings: Settings, names: readonly string[]): Template {
  return getEngine(settings).selectTemplate(names);
}

/**
 * Render a template (or the first existing of a list) to a string. With `request`, the context
 * processors add their variables (`csrf_input`, `request`...), and `context` wins over them.
 *
 * @example
 * const html = await renderToString(settings, 'welcome.html', { name: 'Ada' }, request);
 */
export async function renderToString(
  settings: Settings,
  name: string | readonly string[],
  context: Context = {},
  request?: HttpRequest | null,
): Promise<string> {
  const template = typeof name === 'string' ? getTemplate(settings, name) : selectTemplate(settings, name);
  return template.render(context, request);
}
