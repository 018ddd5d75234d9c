/**
 * `CommonMiddleware` (Django's `django/middleware/common.py`):
 *
 * - refuses user agents matching `DISALLOWED_USER_AGENTS` (PermissionDenied → 403);
 * - validates the host on every request (`request.getHost()`: a bad Host is a 400);
 * - `PREPEND_WWW`: 301 to `www.<host>` (adding the slash in the same redirect when due);
 * - `APPEND_SLASH`: when the response is a 404, the path has no trailing slash, and `path + '/'`
 *   resolves to a view not marked `noAppendSlash`, 301 to the slash URL (query string kept). A
 *   POST/PUT/PATCH with DEBUG on throws AppendSlashError instead, since a redirect loses the body;
 * - sets `Content-Length` on non-streaming responses that lack it.
 *
 * @module
 */
import type { UrlConfEntry } from '../conf/index.ts';
import { KoaDjangoError, PermissionDenied, Resolver404 } from '../exceptions.ts';
import type { HttpRequest } from '../http/request.ts';
import type { HttpResponseBase } from '../http/response.ts';
import { HttpResponsePermanentRedirect } from '../http/responses.ts';
import type { ResolverMatch } from '../urls/resolver-match.ts';
import { getResolver } from '../urls/resolvers.ts';
import type { View } from '../views/view.ts';
import { MiddlewareMixin } from './base.ts';

/**
 * APPEND_SLASH would redirect a POST, PUT or PATCH (with DEBUG on): the browser would follow
 * the redirect with a GET and the body would be lost. Django raises RuntimeError here.
 *
 * @example
 * // DEBUG on, POST /contact (only /contact/ exists): a 500 page whose message says
 * // "Change your form to point to example.com/contact/ (note the trailing slash)".
 */
export class AppendSlashError extends KoaDjangoError {
  override readonly code = 'KD_APPEND_SLASH';
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** `//evil.example/` would be a scheme-relative URL to another host (Django's `escape_leading_slashes`). */
function escapeLeadingSlashes(url: string): string {
  return url.startsWith('//') ? `/%2F${url.slice(2)}` : url;
}

/** Django's `is_valid_path`: the match, or `null` when the path does not resolve. */
function resolvePath(path: string, urlconf: UrlConfEntry | null | undefined): ResolverMatch | null {
  // A string urlconf was never imported (only the pipeline imports): nothing can be resolved.
  if (!urlconf || typeof urlconf !== 'object') return null;
  try {
    return getResolver(urlconf).resolve(path);
  } catch (error) {
    if (error instanceof Resolver404) return null;
    throw error;
  }
}

/**
 * Django's `CommonMiddleware`. Settings: `DISALLOWED_USER_AGENTS`, `PREPEND_WWW`, `APPEND_SLASH`.
 *
 * @example
 * // settings.ts
 * MIDDLEWARE: [SecurityMiddleware, CommonMiddleware, CsrfViewMiddleware],
 * APPEND_SLASH: true, // '/calls' → 301 '/calls/' when only '/calls/' exists
 */
export class CommonMiddleware extends MiddlewareMixin {
  /** Refuse disallowed user agents; redirect to `www.` when PREPEND_WWW says so. */
  processRequest(request: HttpRequest): HttpResponseBase | null {
    const settings = request.settings;
    const userAgent = request.META.HTTP_USER_AGENT;
    if (userAgent !== undefined) {
      for (const pattern of settings.DISALLOWED_USER_AGENTS) {
        // search(), not test(): it ignores lastIndex, so a /g pattern judges every request alone.
        if (userAgent.search(pattern) !== -1) throw new PermissionDenied('Forbidden user agent');
      }
    }
    const host = request.getHost();
    if (settings.PREPEND_WWW && host && !host.startsWith('www.')) {
      // Add the slash in the same redirect when it is due, rather than redirecting twice.
      const path = this.shouldRedirectWithSlash(request)
        ? this.getFullPathWithSlash(request)
        : request.getFullPath();
      return new HttpResponsePermanentRedirect(`${request.scheme}://www.${host}${path}`);
    }
    return null;
  }

  /**
   * Whether `request` should be redirected to its path plus `/`: APPEND_SLASH is on, the path
   * has no trailing slash and does not resolve, and the slash path resolves to a view that does
   * not opt out (`noAppendSlash`).
   *
   * @example
   * if (middleware.shouldRedirectWithSlash(request)) return redirect(middleware.getFullPathWithSlash(request));
   */
  shouldRedirectWithSlash(request: HttpRequest): boolean {
    if (!request.settings.APPEND_SLASH || request.pathInfo.endsWith('/')) return false;
    const urlconf = request.urlconf ?? request.settings.ROOT_URLCONF;
    if (resolvePath(request.pathInfo, urlconf)) return false;
    const match = resolvePath(`${request.pathInfo}/`, urlconf);
    return match !== null && (match.func as View).shouldAppendSlash !== false;
  }

  /**
   * The full path with a slash appended (query string kept, a leading `//` escaped).
   *
   * @throws AppendSlashError with DEBUG on for POST, PUT and PATCH, whose body a redirect loses.
   */
  getFullPathWithSlash(request: HttpRequest): string {
    const path = escapeLeadingSlashes(request.getFullPath(true));
    if (request.settings.DEBUG && BODY_METHODS.has(request.method)) {
      const method = request.method;
      throw new AppendSlashError(
        `You called this URL via ${method}, but the URL doesn't end in a slash and you have APPEND_SLASH set. koa-django can't redirect to the slash URL while maintaining ${method} data. Change your form to point to ${request.getHost()}${path} (note the trailing slash), or set APPEND_SLASH: false in your settings.`,
      );
    }
    return path;
  }

  /** Redirect a 404 to the slash URL when due; set Content-Length on non-streaming responses. */
  processResponse(request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
    if (response.statusCode === 404 && this.shouldRedirectWithSlash(request)) {
      // Returned as is, without Content-Length, exactly as Django does.
      return new HttpResponsePermanentRedirect(this.getFullPathWithSlash(request));
    }
    if (!response.streaming && !response.has('Content-Length')) {
      response.set('Content-Length', response.content.length);
    }
    return response;
  }
}
