/**
 * `resolve()` and `reverse()` (Django's `django/urls/base.py`), with the urlconf passed
 * explicitly. Django keeps a per-thread "current urlconf" and script prefix; koa-django has no
 * such global: give `{ urlconf }` (the pipeline's `request.urlconf ?? settings.ROOT_URLCONF`) and
 * `scriptPrefix` (`request.scriptName`), or bind them once with `reverser(urlconf)`.
 *
 * @module
 */
import type { View } from '../views/view.ts';
import type { ResolverMatch } from './resolver-match.ts';
import { getResolver, type UrlConf } from './resolvers.ts';
import { missingUrlconf, type ReverseOptions } from './reverse.ts';

/** Options of `reverse()`: the urlconf plus everything `URLResolver#reverse` takes. */
export interface ReverseWithUrlconfOptions extends ReverseOptions {
  /** The urlconf module (or its URLResolver) to look the name up in. Required. */
  urlconf: UrlConf;
}

/**
 * Resolve `path` (starting with `/`, percent-decoded, below the script prefix) in `urlconf`.
 *
 * @throws Resolver404 when no pattern matches.
 * @example
 * import * as urls from './urls.ts';
 * const match = resolve('/articles/2003/', urls);
 * match.kwargs; // { year: 2003 }
 */
export function resolve(path: string, urlconf: UrlConf): ResolverMatch {
  return getResolver(urlconf).resolve(path);
}

/**
 * Build the URL of a view: `viewName` is a URL name, a namespaced name (`'ns1:ns2:name'`) or the
 * view function. Give either `args` or `kwargs`; `query` and `fragment` are appended.
 *
 * @throws NoReverseMatch when no pattern fits (the message lists the patterns tried);
 *   ImproperlyConfigured without a urlconf; TypeError when args and kwargs are mixed.
 * @example
 * reverse('int', { urlconf: urls, args: [1], query: { a: ['1', '2'], b: 'x y' }, fragment: 'top' });
 * // '/int/1/?a=1&a=2&b=x+y#top'
 * reverse('polls:detail', { urlconf: urls, kwargs: { pk: 3 }, currentApp: request.resolverMatch?.namespace });
 */
export function reverse(viewName: string | View, options: ReverseWithUrlconfOptions): string {
  const urlconf = options?.urlconf;
  if (urlconf === undefined || urlconf === null) throw missingUrlconf(viewName);
  return getResolver(urlconf).reverse(viewName, options);
}

/** `reverse()` bound to one urlconf. */
export type Reverser = (viewName: string | View, options?: ReverseOptions) => string;

/**
 * `reverse()` bound to `urlconf`, for modules that build many URLs.
 *
 * @example
 * const url = reverser(urls);
 * url('sms'); // '/sms/'
 * url('conference', { kwargs: { name: 'standup' } }); // '/conference/standup/'
 */
export function reverser(urlconf: UrlConf): Reverser {
  if (urlconf === undefined || urlconf === null) throw missingUrlconf('reverser');
  const resolver = getResolver(urlconf);
  return (viewName, options) => resolver.reverse(viewName, options);
}
