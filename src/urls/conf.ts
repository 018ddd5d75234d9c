/**
 * The urlconf building blocks (Django's `django/urls/conf.py`): `path()`, `rePath()` and
 * `include()`. Each call compiles its pattern right away, so a mistake in a route is an
 * ImproperlyConfigured when the urlconf module is imported, never at the first request; startup
 * warnings (a route beginning with `/`...) are logged on `koa-django.urls`.
 *
 * @module
 */
import { ImproperlyConfigured } from '../exceptions.ts';
import { getLogger } from '../utils/log.ts';
import type { Kwargs, View } from '../views/view.ts';
import { type Pattern, RegexPattern, RoutePattern, typeName, type UrlWarning } from './patterns.ts';
import { URLPattern, URLResolver, type UrlConf, type UrlPatternEntry, viewProblem } from './resolvers.ts';

const logger = getLogger('koa-django.urls');

/**
 * What `include()` returns: a urlconf to mount under a `path()` / `rePath()` prefix.
 *
 * @example
 * const blog = include(blogUrls, 'blog');
 * blog.namespace; // 'blog'
 */
export class IncludeResult {
  constructor(
    readonly urlconf: UrlConf,
    readonly appName: string | undefined,
    readonly namespace: string | undefined,
  ) {
    Object.freeze(this);
  }
}

/** What `include()` accepts: a module, an array of patterns, or a `[patterns, appName]` pair. */
export type IncludeTarget =
  | UrlConf
  | readonly UrlPatternEntry[]
  | readonly [UrlConf | readonly UrlPatternEntry[], string];

/**
 * Mount another urlconf. `target` is a module object exporting `urlpatterns` (and optionally
 * `appName`), an array of patterns, or a `[patterns, appName]` pair. `namespace` is the instance
 * namespace (default: the app name).
 *
 * @throws ImproperlyConfigured for a namespace without an app name, or an array pair of the
 *   wrong length; TypeError for anything else that is not a urlconf.
 * @example
 * import * as polls from './polls/urls.ts'; // export const appName = 'polls';
 * export const urlpatterns = [
 *   path('polls/', include(polls)),
 *   path('author-polls/', include(polls, 'author-polls')),
 *   path('api/', include([[path('ping/', ping, undefined, 'ping')], 'api'])),
 * ];
 */
export function include(target: IncludeTarget, namespace?: string): IncludeResult {
  let urlconf: unknown = target;
  let appName: unknown;
  if (Array.isArray(target) && target.some((item) => typeof item === 'string')) {
    if (target.length !== 2 || typeof target[1] !== 'string') {
      throw new ImproperlyConfigured(
        `Passing a ${target.length}-element array to include() is not supported. Pass a [patterns, appName] ` +
          'pair, and provide the namespace argument to include() instead.',
      );
    }
    [urlconf, appName] = target;
  }
  if (typeof urlconf === 'string') {
    throw new TypeError(
      `include(${JSON.stringify(urlconf)}) cannot import a module by name: import it and pass the module, ` +
        `e.g. import * as urls from '${urlconf}'; include(urls).`,
    );
  }
  if (urlconf === null || typeof urlconf !== 'object') {
    throw new TypeError(
      `include() takes a urlconf module, an array of patterns or a [patterns, appName] pair, but got ${typeName(urlconf)}.`,
    );
  }
  if (!Array.isArray(urlconf)) {
    let moduleAppName: unknown;
    try {
      moduleAppName = (urlconf as Record<string, unknown>).appName;
    } catch (error) {
      throw new ImproperlyConfigured(
        `include() could not read the module's appName: ${(error as Error).message}. This is probably caused by ` +
          'a circular import between urlconf modules.',
        { cause: error },
      );
    }
    if (moduleAppName !== undefined) appName = moduleAppName;
  }
  if (appName !== undefined && typeof appName !== 'string') {
    throw new TypeError(`appName must be a string, but got ${typeName(appName)}.`);
  }
  if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
    throw new TypeError(`include() namespace must be a string, but got ${typeName(namespace)}.`);
  }
  if (namespace && !appName) {
    throw new ImproperlyConfigured(
      'Specifying a namespace in include() without providing an appName is not supported. Set the appName ' +
        'export in the included module, or pass a [patterns, appName] pair instead.',
    );
  }
  return new IncludeResult(urlconf, appName || undefined, namespace || appName || undefined);
}

/**
 * Route a URL to a view: `route` uses `<converter:name>` parameters (`int`, `str` (default),
 * `slug`, `uuid`, `path`, or one from `registerConverter`). `kwargs` are extra arguments for the
 * view (they win over captured ones); `name` is what `reverse()` looks up. The name may also come
 * third: `path('sms/', sms, 'sms')`. With `include(...)` as the view, the route is a prefix.
 *
 * @throws ImproperlyConfigured for a bad route; TypeError for a bad view or kwargs.
 * @example
 * export const urlpatterns = [
 *   path('conference/<str:name>/', conference, { waitUrl: '/hold-music/' }, 'conference'),
 *   path('articles/<int:year>/', yearArchive, 'year-archive'),
 *   path('blog/', include(blogUrls)),
 * ];
 */
export function path(route: string, view: IncludeResult, kwargs?: Kwargs | null): URLResolver;
export function path(route: string, view: View, kwargs?: Kwargs | null, name?: string): URLPattern;
export function path(route: string, view: View, name: string): URLPattern;
export function path(
  route: string,
  view: View | IncludeResult,
  kwargs?: Kwargs | string | null,
  name?: string,
): UrlPatternEntry {
  return makeEntry((options) => new RoutePattern(route, options), view, kwargs, name);
}

/**
 * Like `path()`, with a regular expression in Python syntax (`String.raw\`^sms/(?P<sid>\w+)/$\``)
 * or a JavaScript `RegExp`. Named groups become kwargs; without named groups, unnamed groups
 * become positional args (`request.resolverMatch.args`). Values stay strings.
 *
 * @throws ImproperlyConfigured for an invalid or untranslatable regex; TypeError for a bad view.
 * @example
 * export const urlpatterns = [
 *   rePath(String.raw`^articles/(?P<year>[0-9]{4})/$`, yearArchive, 'year-archive'),
 *   rePath(/^sms\/$/, sms),
 *   rePath('^api/', include(apiUrls)),
 * ];
 */
export function rePath(regex: string | RegExp, view: IncludeResult, kwargs?: Kwargs | null): URLResolver;
export function rePath(regex: string | RegExp, view: View, kwargs?: Kwargs | null, name?: string): URLPattern;
export function rePath(regex: string | RegExp, view: View, name: string): URLPattern;
export function rePath(
  regex: string | RegExp,
  view: View | IncludeResult,
  kwargs?: Kwargs | string | null,
  name?: string,
): UrlPatternEntry {
  return makeEntry((options) => new RegexPattern(regex, options), view, kwargs, name);
}

function makeEntry(
  makePattern: (options: { name?: string | undefined; isEndpoint: boolean }) => Pattern,
  view: View | IncludeResult,
  kwargs: Kwargs | string | null | undefined,
  name: string | undefined,
): UrlPatternEntry {
  if (typeof kwargs === 'string' && name === undefined) {
    name = kwargs;
    kwargs = undefined;
  }
  if (kwargs !== undefined && kwargs !== null && !isPlainObject(kwargs)) {
    throw new TypeError(`kwargs argument must be a plain object, but got ${typeName(kwargs)}.`);
  }
  if (name !== undefined && name !== null && typeof name !== 'string') {
    throw new TypeError(`name must be a string, but got ${typeName(name)}.`);
  }
  const extra: Kwargs = Object.freeze({ ...(kwargs ?? {}) });
  if (view instanceof IncludeResult) {
    const pattern = makePattern({ isEndpoint: false });
    warn(pattern.check());
    return new URLResolver(pattern, view.urlconf, extra, view.appName, view.namespace);
  }
  const problem = viewProblem(view);
  if (problem) throw new TypeError(problem);
  const entry = new URLPattern(
    makePattern({ name: name ?? undefined, isEndpoint: true }),
    view,
    extra,
    name ?? undefined,
  );
  warn(entry.check());
  return entry;
}

function warn(warnings: readonly UrlWarning[]): void {
  for (const warning of warnings) logger.warning(`(${warning.id}) ${warning.message}`, { id: warning.id });
}

function isPlainObject(value: unknown): value is Kwargs {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
