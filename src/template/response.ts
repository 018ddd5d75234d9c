/**
 * Responses rendered late (Django's `django/template/response.py`): a view returns a
 * `TemplateResponse` holding a template name and a context; middleware may still change them in
 * `processTemplateResponse`; the pipeline then calls `render()`, and middleware that must see the
 * final HTML register a post-render callback.
 *
 * Lifecycle: unrendered (`isRendered` false; reading `content` throws ContentNotRenderedError) →
 * `await render()` sets `content` from `renderedContent` (once) and runs the post-render
 * callbacks in order, each given the current response; a callback's non-null return replaces
 * the response `render()` resolves to. Setting `content` directly also marks it rendered.
 *
 * @module
 */
import type { Settings } from '../conf/index.ts';
import { ContentNotRenderedError } from '../exceptions.ts';
import type { HttpRequest } from '../http/request.ts';
import { type Chunk, HttpResponse, type HttpResponseBase, type ResponseOptions } from '../http/response.ts';
import { type Context, getEngine, Template } from './engine.ts';

/** A template: a name, a list of names (the first that exists), or a compiled Template. */
export type TemplateRef = string | readonly string[] | Template;

/** Runs after rendering; returning a response (not null/undefined) replaces the one rendered. */
export type PostRenderCallback = (
  response: HttpResponseBase,
) => HttpResponseBase | null | undefined | void | Promise<HttpResponseBase | null | undefined | void>;

/** `SimpleTemplateResponse` options: the response options plus where templates are found. */
export interface SimpleTemplateResponseOptions extends ResponseOptions {
  /** The settings whose `TEMPLATES` find the template (not needed for a compiled Template). */
  settings?: Settings;
}

// Tracked outside the instance: HttpResponse's constructor sets `content` (and so calls our
// setter) before this class's own fields exist.
const rendered = new WeakSet<HttpResponse>();

/**
 * A response rendered from a template when the pipeline asks (Django's
 * `SimpleTemplateResponse`), without a request: no context processors run. Most views want
 * `TemplateResponse`.
 *
 * @example
 * const response = new SimpleTemplateResponse('robots.txt', { sitemap: url }, { settings, contentType: 'text/plain' });
 * await response.render();
 * response.text; // the rendered template
 */
export class SimpleTemplateResponse extends HttpResponse {
  /** The template to render; change it (before rendering) to render another. */
  templateName: TemplateRef;
  /** The template variables; change them (before rendering) to alter the page. */
  contextData: Record<string, unknown>;
  readonly #settings: Settings | undefined;
  #callbacks: PostRenderCallback[] = [];
  #rendering: Promise<HttpResponseBase> | null = null;

  /** @throws TypeError when `template` is a name and no `settings` are given. */
  constructor(
    template: TemplateRef,
    context: Record<string, unknown> | null = null,
    options: SimpleTemplateResponseOptions = {},
  ) {
    const { settings, ...responseOptions } = options;
    super('', responseOptions);
    rendered.delete(this);
    if (!settings && !(template instanceof Template)) {
      throw new TypeError(
        `${new.target.name} needs { settings } to find template ${JSON.stringify(template)}; pass them, or use TemplateResponse(request, ...), which takes them from the request.`,
      );
    }
    this.#settings = settings;
    this.templateName = template;
    this.contextData = context ?? {};
  }

  /** Whether `render()` has run (or `content` was set). */
  get isRendered(): boolean {
    return rendered.has(this);
  }

  /**
   * The body. Reading it before rendering throws; setting it marks the response rendered.
   *
   * @throws ContentNotRenderedError before `render()`.
   */
  override get content(): Buffer {
    if (!rendered.has(this)) {
      throw new ContentNotRenderedError(
        'The response content must be rendered before it can be accessed. Call `await response.render()` first (the pipeline does it after processTemplateResponse).',
      );
    }
    return super.content;
  }

  override set content(value: Chunk | Iterable<Chunk> | null | undefined) {
    super.content = value;
    rendered.add(this);
  }

  /** @throws ContentNotRenderedError before `render()`. */
  override [Symbol.iterator](): IterableIterator<Buffer> {
    if (!rendered.has(this)) {
      throw new ContentNotRenderedError(
        'The response content must be rendered before it can be iterated over. Call `await response.render()` first.',
      );
    }
    return super[Symbol.iterator]();
  }

  /** The request context processors see (none here; TemplateResponse has one). */
  protected get renderRequest(): HttpRequest | null {
    return null;
  }

  /** Turn `templateName` into a Template (Django's `resolve_template`); override to customise. */
  protected resolveTemplate(template: TemplateRef): Template {
    if (template instanceof Template) return template;
    const engine = getEngine(this.#settings as Settings);
    return typeof template === 'string' ? engine.getTemplate(template) : engine.selectTemplate(template);
  }

  /** The context to render with (Django's `resolve_context`); override to customise. */
  protected resolveContext(context: Record<string, unknown>): Context {
    return context;
  }

  /**
   * The rendered template, from the current `templateName` and `contextData`; does not mark
   * the response rendered (Django's `rendered_content`).
   *
   * @example
   * const html = await response.renderedContent;
   */
  get renderedContent(): Promise<string> {
    return (async () => {
      const template = this.resolveTemplate(this.templateName);
      return template.render(this.resolveContext(this.contextData), this.renderRequest);
    })();
  }

  /**
   * Run `callback` after rendering (at once, if already rendered). Its non-null return
   * replaces the response `render()` resolves to. Returns the callback's result when it runs at
   * once, so an async callback can be awaited.
   *
   * @example
   * response.addPostRenderCallback((r) => { r.set('Content-Length', String(r.content.length)); });
   */
  addPostRenderCallback(callback: PostRenderCallback): ReturnType<PostRenderCallback> | undefined {
    if (rendered.has(this)) return callback(this);
    this.#callbacks.push(callback);
    return undefined;
  }

  /**
   * Render the template into `content` (only the first call does anything), then run the
   * post-render callbacks. Resolves to this response, or to the one a callback returned.
   *
   * @example
   * const response = await new TemplateResponse(request, 'page.html', { title: 'Hi' }).render();
   */
  render(): Promise<HttpResponseBase> {
    if (this.#rendering) return this.#rendering;
    if (rendered.has(this)) return Promise.resolve(this);
    this.#rendering = this.#render();
    return this.#rendering;
  }

  async #render(): Promise<HttpResponseBase> {
    try {
      this.content = await this.renderedContent;
    } catch (error) {
      // Not rendered: a later render() may try again (Django keeps the response unrendered).
      this.#rendering = null;
      throw error;
    }
    let result: HttpResponseBase = this;
    for (const callback of this.#callbacks) {
      const next = await callback(result);
      if (next !== null && next !== undefined) result = next;
    }
    return result;
  }
}

/**
 * A template response for a request (Django's `TemplateResponse`): the context processors run
 * with `request`, and the template is found with `request.settings`.
 *
 * @example
 * export async function inbox(request: HttpRequest) {
 *   return new TemplateResponse(request, 'sms/inbox.html', { messages: await loadMessages() });
 * }
 */
export class TemplateResponse extends SimpleTemplateResponse {
  /** The request being answered (Django's `_request`). */
  readonly request: HttpRequest;

  constructor(
    request: HttpRequest,
    template: TemplateRef,
    context: Record<string, unknown> | null = null,
    options: ResponseOptions = {},
  ) {
    super(template, context, { ...options, settings: request.settings });
    this.request = request;
  }

  protected override get renderRequest(): HttpRequest | null {
    return this.request;
  }
}
