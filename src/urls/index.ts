/**
 * `koa-django/urls`: the urlconf API (Django's `django.urls`).
 *
 * @example
 * import { include, path, rePath, reverse } from 'koa-django/urls';
 * export const urlpatterns = [
 *   path('sms/', sms, 'sms'),
 *   rePath(String.raw`^articles/(?P<year>[0-9]{4})/$`, yearArchive, 'year-archive'),
 *   path('blog/', include(blogUrls, 'blog')),
 * ];
 *
 * @module
 */
export { NoReverseMatch, Resolver404 } from '../exceptions.ts';
export { type Reverser, type ReverseWithUrlconfOptions, resolve, reverse, reverser } from './base.ts';
export { type IncludeResult, type IncludeTarget, include, path, rePath } from './conf.ts';
export {
  type Converter,
  type ConverterClass,
  getConverter,
  IntConverter,
  PathConverter,
  registerConverter,
  SlugConverter,
  StringConverter,
  UUIDConverter,
} from './converters.ts';
export { type Pattern, RegexPattern, RoutePattern, type UrlWarning } from './patterns.ts';
export { ResolverMatch, type ResolverMatchInit } from './resolver-match.ts';
export { getResolver, URLPattern, URLResolver, type UrlConf, type UrlPatternEntry } from './resolvers.ts';
export type { ReverseOptions, ReverseQuery } from './reverse.ts';
