/**
 * Views for the ArgumentLogMiddleware example. Positional arguments (unnamed regex groups) reach
 * a view through `request.resolverMatch.args`; keyword arguments arrive as its second argument.
 *
 * @module
 */
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse } from '../../src/http/response.ts';
import type { Kwargs } from '../../src/views/view.ts';

function text(body: string): HttpResponse {
  return new HttpResponse(body, { contentType: 'text/plain; charset=utf-8' });
}

/**
 * `^articles/([0-9]{4})/([0-9]{2})/$`: year and month as positional arguments.
 *
 * @example rePath('^articles/([0-9]{4})/([0-9]{2})/$', monthArchive)
 */
export async function monthArchive(request: HttpRequest): Promise<HttpResponse> {
  const [year, month] = request.resolverMatch?.args ?? [];
  return text(`Articles from ${month}/${year}`);
}

/**
 * `^archive/([0-9]{4})/$` with extra kwargs: a positional argument and a keyword argument.
 *
 * @example rePath('^archive/([0-9]{4})/$', yearArchive, { paginate: true })
 */
export async function yearArchive(request: HttpRequest, kwargs: Kwargs): Promise<HttpResponse> {
  const [year] = request.resolverMatch?.args ?? [];
  return text(`Articles from ${year}${kwargs.paginate ? ', page 1' : ''}`);
}

/**
 * `articles/<int:year>/<slug:slug>/`: converters give keyword arguments, `year` as a number.
 *
 * @example path('articles/<int:year>/<slug:slug>/', articleDetail)
 */
export async function articleDetail(_request: HttpRequest, kwargs: Kwargs): Promise<HttpResponse> {
  return text(`Article ${String(kwargs.slug)} (${typeof kwargs.year} ${String(kwargs.year)})`);
}

/**
 * No captures at all: logged as `home()`.
 *
 * @example path('', home)
 */
export async function home(_request: HttpRequest): Promise<HttpResponse> {
  return text('Try /articles/2024/07/, /archive/2024/ or /articles/2024/hello-world/');
}
