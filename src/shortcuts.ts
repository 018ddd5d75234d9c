/**
 * `koa-django/shortcuts` (Django's `django/shortcuts.py`): the helpers views use most —
 * render a template into a response, redirect to a URL or a named pattern, fetch a row or
 * answer 404.
 *
 * @module
 */
import type { Knex } from 'knex';
import { Http404, ImproperlyConfigured, NoReverseMatch } from './exceptions.ts';
import type { HttpRequest } from './http/request.ts';
import { HttpResponse } from './http/response.ts';
import { HttpResponsePermanentRedirect, HttpResponseRedirect } from './http/responses.ts';
import type { Context } from './template/engine.ts';
import { renderToString } from './template/loader.ts';
import { reverse } from './urls/base.ts';
import type { Kwargs, View } from './views/view.ts';

/** Options of `render()`: the response's status and Content-Type. */
export interface RenderOptions {
  /** Default 200. */
  status?: number;
  /** Default `text/html; charset=utf-8`. */
  contentType?: string;
}

/**
 * Render a template (or the first existing of a list) with `context` and the context
 * processors, and return it as an HttpResponse, rendered now (Django's `render`; use
 * `TemplateResponse` when middleware should still change it).
 *
 * @example
 * export async function inbox(request: HttpRequest) {
 *   return render(request, 'sms/inbox.html', { messages: await loadMessages() });
 * }
 */
export async function render(
  request: HttpRequest,
  templateName: string | readonly string[],
  context: Context = {},
  options: RenderOptions = {},
): Promise<HttpResponse> {
  const content = await renderToString(request.settings, templateName, context, request);
  return new HttpResponse(content, {
    ...(options.status === undefined ? {} : { status: options.status }),
    ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
  });
}

/** Something with its own URL (Django's `get_absolute_url()`). */
export interface HasAbsoluteUrl {
  getAbsoluteUrl(): string;
}

/** Where `redirect()` / `resolveUrl()` go: a URL, a URL pattern name, a view, or an object with a URL. */
export type RedirectTarget = string | View | HasAbsoluteUrl;

/** Options of `resolveUrl()`. */
export interface ResolveUrlOptions {
  /** The current request: its urlconf and mount prefix are used to reverse names. */
  request?: HttpRequest;
  /** The urlconf to reverse names in (default: `request.urlconf`). */
  urlconf?: object;
  /** Positional values for the pattern. */
  args?: readonly unknown[];
  /** Named values for the pattern. */
  kwargs?: Kwargs;
}

/** Options of `redirect()`. */
export interface RedirectShortcutOptions extends ResolveUrlOptions {
  /** 301 instead of 302. */
  permanent?: boolean;
  /** Keep the method and body: 307 (or 308 when permanent). */
  preserveRequest?: boolean;
}

/**
 * The URL for `to` (Django's `resolve_url`): `getAbsoluteUrl()` of an object; a `./` or `../`
 * relative URL as it is; otherwise `to` is reversed as a URL pattern name (or view) with
 * `args`/`kwargs`, and if there is no such pattern but `to` contains `/` or `.`, it is taken
 * as a URL.
 *
 * @throws NoReverseMatch for a name (no `/` or `.`) that does not reverse; ImproperlyConfigured
 *   for a name when neither `request` nor `urlconf` is given.
 * @example
 * resolveUrl('sms', { request });                          // '/sms/'
 * resolveUrl('conference', { request, kwargs: { name: 'standup' } });
 * resolveUrl('https://example.com/');                      // as it is
 */
export function resolveUrl(to: RedirectTarget, options: ResolveUrlOptions = {}): string {
  if (typeof to === 'object' && to !== null && typeof to.getAbsoluteUrl === 'function')
    return to.getAbsoluteUrl();
  if (typeof to === 'string' && (to.startsWith('./') || to.startsWith('../'))) return to;
  const looksLikeUrl = typeof to === 'string' && (to.includes('/') || to.includes('.'));
  const fromRequest = options.request?.urlconf;
  const urlconf = options.urlconf ?? (typeof fromRequest === 'object' ? fromRequest : undefined);
  if (!urlconf) {
    if (looksLikeUrl) return to as string;
    const label = typeof to === 'function' ? to.name || 'a view' : `'${String(to)}'`;
    throw new ImproperlyConfigured(
      `redirect(${label}) names a URL pattern, but no urlconf was given to reverse it: pass { request } (or { urlconf }).`,
    );
  }
  const { args, kwargs } = options;
  try {
    return reverse(to as string | View, {
      urlconf,
      ...(args && args.length > 0 ? { args } : {}),
      ...(kwargs ? { kwargs } : {}),
      scriptPrefix: options.request?.scriptName || '/',
    });
  } catch (error) {
    if (error instanceof NoReverseMatch && looksLikeUrl) return to as string;
    throw error;
  }
}

/**
 * A redirect to `to` (Django's `redirect`), resolved as `resolveUrl()` does: 302, or 301 with
 * `permanent`; 307/308 with `preserveRequest`.
 *
 * @example
 * return redirect('caller-detail', { request, kwargs: { pk: caller.id } });
 * return redirect('/thanks/');
 * return redirect('../', { permanent: true });
 */
export function redirect(
  to: RedirectTarget,
  options: RedirectShortcutOptions = {},
): HttpResponseRedirect | HttpResponsePermanentRedirect {
  const { permanent = false, preserveRequest = false, ...resolve } = options;
  const url = resolveUrl(to, resolve);
  return permanent
    ? new HttpResponsePermanentRedirect(url, { preserveRequest })
    : new HttpResponseRedirect(url, { preserveRequest });
}

/**
 * The first row of a knex query (with `where` added, if given), or Http404 naming the table
 * (Django's `get_object_or_404`). The query builder you pass is not modified.
 *
 * @throws Http404 when no row matches; TypeError when `query` is not a knex query builder.
 * @example
 * const caller = await getObjectOr404(db('django_twilio_caller'), { id: kwargs.pk });
 * const blocked = await getObjectOr404(db('django_twilio_caller').where({ blacklisted: true }).orderBy('id'));
 */
export async function getObjectOr404<Row = Record<string, unknown>>(
  query: Knex.QueryBuilder,
  where?: Readonly<Record<string, unknown>>,
): Promise<Row> {
  const builder = prepare(query, where, 'getObjectOr404');
  const row = (await builder.first()) as Row | undefined;
  if (row === undefined || row === null) {
    throw new Http404(`No row in table ${tableOf(query)} matches the given query.`);
  }
  return row;
}

/**
 * The rows of a knex query (with `where` added, if given), or Http404 naming the table when
 * there are none (Django's `get_list_or_404`).
 *
 * @throws Http404 when no row matches; TypeError when `query` is not a knex query builder.
 * @example
 * const calls = await getListOr404(db('calls').where({ caller_id: kwargs.pk }).orderBy('created_at'));
 */
export async function getListOr404<Row = Record<string, unknown>>(
  query: Knex.QueryBuilder,
  where?: Readonly<Record<string, unknown>>,
): Promise<Row[]> {
  const rows = (await prepare(query, where, 'getListOr404')) as unknown;
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new Http404(`No rows in table ${tableOf(query)} match the given query.`);
  }
  return rows as Row[];
}

function prepare(
  query: Knex.QueryBuilder,
  where: Readonly<Record<string, unknown>> | undefined,
  caller: string,
): Knex.QueryBuilder {
  const candidate = query as Partial<Knex.QueryBuilder> | null | undefined;
  if (!candidate || typeof candidate.clone !== 'function' || typeof candidate.first !== 'function') {
    throw new TypeError(
      `${caller}() needs a knex query builder, e.g. ${caller}(db('django_twilio_caller'), { id }); got ${candidate === null ? 'null' : typeof candidate}.`,
    );
  }
  const builder = query.clone();
  return where ? builder.where(where as Record<string, never>) : builder;
}

/** The table a knex builder selects from, quoted for messages (`'callers'`), from knex's own state. */
function tableOf(query: Knex.QueryBuilder): string {
  const table = (query as unknown as { _single?: { table?: unknown } })._single?.table;
  return typeof table === 'string' ? `'${table}'` : '(unknown)';
}
