/**
 * `koa-django/template`: nunjucks templates configured by `TEMPLATES`, late-rendered template
 * responses and context processors (Django's `django.template`, `django.template.loader`,
 * `django.template.response` and `django.template.context_processors`).
 *
 * @example
 * import { contextProcessors, TemplateResponse } from 'koa-django/template';
 * // settings: TEMPLATES: [{ DIRS: ['templates'], OPTIONS: { contextProcessors: [contextProcessors.request] } }]
 * export const inbox = (request) => new TemplateResponse(request, 'inbox.html', { count: 3 });
 *
 * @module
 */

export type { LazyString } from './context-processors.ts';
export * as contextProcessors from './context-processors.ts';
export {
  type Context,
  type ContextProcessor,
  getEngine,
  NunjucksEngine,
  type NunjucksOptions,
  prepareEngine,
  Template,
} from './engine.ts';
export { TemplateDoesNotExist, TemplateRenderError, TemplateSyntaxError } from './errors.ts';
export { getTemplate, renderToString, selectTemplate } from './loader.ts';
export {
  type PostRenderCallback,
  SimpleTemplateResponse,
  type SimpleTemplateResponseOptions,
  type TemplateRef,
  TemplateResponse,
} from './response.ts';
export { markSafe, type SafeString } from './safe-string.ts';
