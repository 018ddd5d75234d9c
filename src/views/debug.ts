/**
 * The technical error pages shown when `DEBUG` is true (Django's `django/views/debug.py`): a 404
 * page listing the URL patterns tried, and a 500 page with the exception, its stack and the
 * request. Secrets are masked the way Django's `SafeExceptionReporterFilter` does: settings,
 * META keys and POST fields whose names look sensitive (`API`, `AUTH`, `TOKEN`, `KEY`, `SECRET`,
 * `PASS`, `SIGNATURE`, `COOKIE`) and every cookie value. Never shown when DEBUG is false.
 *
 * @module
 */
import { Resolver404 } from '../exceptions.ts';
import type { HttpRequest } from '../http/request.ts';
import { HttpResponse } from '../http/response.ts';
import { escapeHtml } from '../utils/html.ts';

const HIDDEN = /API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|COOKIE/i;
const MASK = '********************';

/**
 * Mask a value when its name looks sensitive.
 *
 * @example
 * cleanse('TWILIO_AUTH_TOKEN', 'abc'); // '********************'
 */
export function cleanse(name: string, value: unknown): unknown {
  return HIDDEN.test(name) ? MASK : value;
}

const STYLE = `<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
  header { background: #ffc; padding: 12px 20px; border-bottom: 1px solid #ddd; }
  section { padding: 6px 20px; } h1 { margin: 0 0 6px; font-size: 22px; }
  h2 { font-size: 16px; margin: 18px 0 6px; } pre { background: #f6f6f6; padding: 10px; overflow: auto; }
  table { border-collapse: collapse; } td, th { text-align: left; vertical-align: top; padding: 2px 10px 2px 0; }
  th { font-weight: normal; color: #666; } code { font-family: ui-monospace, monospace; }
  footer { padding: 12px 20px; color: #666; border-top: 1px solid #ddd; }
</style>`;

function document(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="robots" content="NONE,NOARCHIVE">\n<title>${escapeHtml(title)}</title>\n${STYLE}\n</head>\n<body>\n${body}\n<footer>You're seeing this error because you have <code>DEBUG = true</code> in your settings. Change that to <code>false</code>, and koa-django will show a standard page instead.</footer>\n</body>\n</html>\n`;
}

function table(rows: Iterable<[string, unknown]>): string {
  const cells = [...rows].map(
    ([k, v]) =>
      `<tr><th><code>${escapeHtml(k)}</code></th><td><code>${escapeHtml(format(v))}</code></td></tr>`,
  );
  return cells.length ? `<table>${cells.join('')}</table>` : '<p>No data.</p>';
}

function format(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof RegExp) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Read a lazy request attribute, showing the error instead when reading it fails (bad input). */
function safely<T>(read: () => T): T | string {
  try {
    return read();
  } catch (error) {
    return `<could not read: ${(error as Error).message}>`;
  }
}

/**
 * The DEBUG 404 page: the path, and every URL pattern tried in order.
 *
 * @example
 * return technical404Response(request, new Http404('No Caller matches the given query.'));
 */
export function technical404Response(request: HttpRequest, exception: unknown): HttpResponse {
  const tried = exception instanceof Resolver404 ? exception.tried : [];
  const message = exception instanceof Error ? exception.message : String(exception);
  let body = `<header><h1>Page not found <small>(404)</small></h1><table><tr><th>Request Method:</th><td>${escapeHtml(request.method)}</td></tr><tr><th>Request URL:</th><td>${escapeHtml(safely(() => request.buildAbsoluteUri()))}</td></tr></table></header>`;
  if (exception instanceof Resolver404) {
    const items = tried.map((route) => `<li><code>${route.map(escapeHtml).join(' ')}</code></li>`).join('');
    body += `<section><p>Using the URLconf defined in <code>ROOT_URLCONF</code>, koa-django tried these URL patterns, in this order:</p><ol>${items}</ol><p>The current path, <code>${escapeHtml(exception.path)}</code>, didn't match any of these.</p></section>`;
  } else if (message) {
    body += `<section><p>${escapeHtml(message)}</p></section>`;
  }
  return new HttpResponse(document(`Page not found at ${request.pathInfo}`, body), { status: 404 });
}

/**
 * The DEBUG 500 page (also used with status 400 for BadRequest / SuspiciousOperation, as in
 * Django): the exception, its stack, and the request with secrets masked.
 *
 * @example
 * return technical500Response(request, error);
 */
export function technical500Response(request: HttpRequest, exception: unknown, status = 500): HttpResponse {
  const error = exception instanceof Error ? exception : new Error(String(exception));
  const code = (error as { code?: unknown }).code;
  const settings = request.settings as unknown as Record<string, unknown>;
  const post = safely(() =>
    [...request.POST.lists()].map(([k, v]) => [k, cleanse(k, v)] as [string, unknown]),
  );
  const files = safely(() =>
    [...request.FILES.keys()].map(
      (k) => [k, request.FILES.getlist(k).map((f) => f.name)] as [string, unknown],
    ),
  );
  const cookies = safely(() => Object.keys(request.COOKIES).map((k) => [k, MASK] as [string, unknown]));
  const meta = safely(() =>
    Object.entries(request.META).map(([k, v]) => [k, cleanse(k, v)] as [string, unknown]),
  );
  const get = safely(() => [...request.GET.lists()] as [string, unknown][]);
  const section = (title: string, rows: [string, unknown][] | string) =>
    `<h2>${title}</h2>${typeof rows === 'string' ? `<p>${escapeHtml(rows)}</p>` : table(rows)}`;

  const body = `<header><h1>${escapeHtml(error.name)}${code ? ` <small>(${escapeHtml(code)})</small>` : ''} at ${escapeHtml(request.pathInfo)}</h1><pre>${escapeHtml(error.message)}</pre><table>
<tr><th>Request Method:</th><td>${escapeHtml(request.method)}</td></tr>
<tr><th>Request URL:</th><td>${escapeHtml(safely(() => request.buildAbsoluteUri()))}</td></tr>
<tr><th>Exception Type:</th><td>${escapeHtml(error.name)}</td></tr>
<tr><th>Node.js Version:</th><td>${escapeHtml(process.version)}</td></tr></table></header>
<section><h2>Traceback</h2><pre>${escapeHtml(error.stack ?? String(error))}</pre>
<h2>Request information</h2>
${section('GET', get)}${section('POST', post)}${section('FILES', files)}${section('COOKIES', cookies)}${section('META', meta)}
${section(
  'Settings',
  Object.keys(settings)
    .sort()
    .map((k) => [k, cleanse(k, settings[k])] as [string, unknown]),
)}</section>`;
  return new HttpResponse(document(`${error.name} at ${request.pathInfo}`, body), { status });
}
