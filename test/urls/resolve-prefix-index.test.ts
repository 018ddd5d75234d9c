/**
 * The resolver's prefix index (src/urls/resolvers.ts) skips patterns whose literal text cannot
 * start the path. These tests check that it never changes what resolves: first match in urlconf
 * order, include() prefixes, converters that refuse a value, rePath() regexes, and the `tried`
 * lists of a match and of a 404.
 */
import { isDeepStrictEqual } from 'node:util';
import test from 'ava';
import fc from 'fast-check';
import {
  include,
  path,
  RegexPattern,
  Resolver404,
  RoutePattern,
  registerConverter,
  rePath,
  resolve,
  URLPattern,
  type URLResolver,
  type UrlPatternEntry,
} from '../../src/urls/index.ts';
import { literalPrefix } from '../../src/urls/patterns.ts';
import type { Kwargs, View } from '../../src/views/view.ts';

function view(name: string): View {
  const fn = async () => null;
  Object.defineProperty(fn, 'name', { value: name });
  return fn as unknown as View;
}

registerConverter(
  {
    regex: '[0-9]+',
    toPython(value: string) {
      if (Number(value) % 2 === 0) throw new RangeError(`${value} is even`);
      return Number(value);
    },
    toUrl: (value: unknown) => String(value),
  },
  'odd',
);

test('literalPrefix(pattern) is the text of a route before its first parameter', (t) => {
  t.is(literalPrefix(new RoutePattern('api/v1/items/<int:pk>/')), 'api/v1/items/');
  t.is(literalPrefix(new RoutePattern('api/v1/items/')), 'api/v1/items/');
  t.is(literalPrefix(new RoutePattern('<slug:s>/items/')), '');
  t.is(literalPrefix(new RoutePattern('')), '');
});

test('literalPrefix(pattern) of a regex is its plain text after ^, and empty when unsure', (t) => {
  t.is(literalPrefix(new RegexPattern(String.raw`^sms\/(?P<sid>\w+)/$`)), 'sms/');
  t.is(literalPrefix(new RegexPattern(String.raw`^a\.b/x`)), 'a.b/x');
  t.is(literalPrefix(new RegexPattern('^articles/(?P<year>[0-9]{4})/$')), 'articles/');
  // A quantifier makes the character before it optional or repeatable.
  t.is(literalPrefix(new RegexPattern('^abc?/')), 'ab');
  t.is(literalPrefix(new RegexPattern('^ab*/')), 'a');
  t.is(literalPrefix(new RegexPattern('^ab{0,1}/')), 'a');
  // Not anchored, alternatives, case-insensitive or multi-line: anything may match.
  t.is(literalPrefix(new RegexPattern('sms/$')), '');
  t.is(literalPrefix(new RegexPattern('^sms/|^call/')), '');
  t.is(literalPrefix(new RegexPattern('(?i)^sms/')), '');
  t.is(literalPrefix(new RegexPattern(/^sms\//i)), '');
  t.is(literalPrefix(new RegexPattern(/^sms\//m)), '');
});

test('literalPrefix(pattern) promises nothing for a subclass that matches its own way', (t) => {
  class Anything extends RoutePattern {
    override match() {
      return { rest: '', args: [], kwargs: {} };
    }
  }
  t.is(literalPrefix(new Anything('api/')), '');
});

test('resolve() keeps first-match order when a generic pattern comes before a literal one', (t) => {
  const generic = view('generic');
  const literal = view('literal');
  const urls = {
    urlpatterns: [
      path('api/v1/other/', view('other')),
      path('<str:anything>/v1/items/', generic),
      path('api/v1/items/', literal),
    ],
  };
  t.is(resolve('/api/v1/items/', urls).func, generic);
  const reversed = { urlpatterns: [urls.urlpatterns[2], urls.urlpatterns[1]] as UrlPatternEntry[] };
  t.is(resolve('/api/v1/items/', reversed).func, literal);
});

test('resolve() finds a pattern whose prefix ends inside a segment', (t) => {
  const partial = view('partial');
  const urls = {
    urlpatterns: [path('api/v1/res<int:n>/', view('early')), path('api/v1/resource<int:n>/', partial)],
  };
  t.is(resolve('/api/v1/resource7/', urls).func, partial);
  t.deepEqual(resolve('/api/v1/resource7/', urls).kwargs, { n: 7 });
  t.is(resolve('/api/v1/res7/', urls).func.name, 'early');
});

test('resolve() goes on past a converter that refuses, to a pattern under another prefix', (t) => {
  const odd = view('odd');
  const fallback = view('fallback');
  const urls = {
    urlpatterns: [path('n/<odd:n>/', odd), path('<str:x>/<int:n>/', fallback)],
  };
  t.is(resolve('/n/3/', urls).func, odd);
  t.is(resolve('/n/4/', urls).func, fallback);
  t.deepEqual(resolve('/n/4/', urls).kwargs, { x: 'n', n: 4 });
});

test('resolve() through include() prefixes, an empty include route and a rePath() include', (t) => {
  const inner = view('inner');
  const root = view('root');
  const viaRegex = view('viaRegex');
  const urls = {
    urlpatterns: [
      path('api/', include([path('v1/items/<int:pk>/', inner)]), { src: 'api' }),
      path('', include([path('about/', root)])),
      rePath('^legacy/(?P<version>v[0-9])/', include([path('sms/', viaRegex)])),
    ],
  };
  const match = resolve('/api/v1/items/9/', urls);
  t.is(match.func, inner);
  t.deepEqual(match.kwargs, { src: 'api', pk: 9 });
  t.is(match.route, 'api/v1/items/<int:pk>/');
  t.is(resolve('/about/', urls).func, root);
  t.deepEqual(resolve('/legacy/v2/sms/', urls).kwargs, { version: 'v2' });
  t.throws(() => resolve('/api/v2/items/9/', urls), { instanceOf: Resolver404 });
});

test('ResolverMatch#tried still lists the patterns the index skipped', (t) => {
  const urls = {
    urlpatterns: [
      path('api/v1/resource0/', view('a')),
      path('api/v1/resource1/<int:pk>/', view('b')),
      path('api/v1/items/<int:pk>/', view('c')),
    ],
  };
  t.deepEqual(resolve('/api/v1/items/4/', urls).tried, [
    ['api/v1/resource0/'],
    ['api/v1/resource1/<int:pk>/'],
    ['api/v1/items/<int:pk>/'],
  ]);
});

test('Resolver404#tried lists every pattern, also those the index skipped, with include children', (t) => {
  const urls = {
    urlpatterns: [
      path('api/v1/resource0/', view('a')),
      path('blog/', include([path('<int:pk>/', view('post')), path('archive/', view('archive'))])),
      rePath('^sms/$', view('sms')),
    ],
  };
  const error = t.throws(() => resolve('/blog/nope/', urls), { instanceOf: Resolver404 });
  t.deepEqual(error.tried, [
    ['api/v1/resource0/'],
    ['blog/', '<int:pk>/'],
    ['blog/', 'archive/'],
    ['^sms/$'],
  ]);
  t.is(error.path, 'blog/nope/');
});

// A reference resolver without any index: every pattern, in order, first match wins.
function naive(entries: readonly UrlPatternEntry[], target: string): { func: View; kwargs: Kwargs } | null {
  for (const entry of entries) {
    const match = entry.pattern.match(target);
    if (!match) continue;
    if (entry instanceof URLPattern)
      return { func: entry.callback, kwargs: { ...match.kwargs, ...entry.defaultArgs } };
    const resolver = entry as URLResolver;
    const sub = naive(resolver.urlPatterns, match.rest);
    if (sub) return { func: sub.func, kwargs: { ...match.kwargs, ...resolver.defaultKwargs, ...sub.kwargs } };
  }
  return null;
}

const segment = fc.constantFrom('api', 'v1', 'items', 'res', 'resource', 'a');
const routeShape = fc
  .array(
    fc.oneof(
      fc.constant(''),
      segment.map((s) => `${s}/`),
      segment,
      fc.constantFrom('<int:pk#>/', '<str:s#>/', '<slug:sl#>', '<path:p#>', '<odd:o#>/', 'res<int:n#>/'),
    ),
    { maxLength: 4 },
  )
  // Parameter names must be unique within a route.
  .map((parts) => parts.map((part, i) => part.replace('#', String(i))).join(''));
const regexShape = fc.constantFrom(
  '^api/',
  '^api/v1/(?P<x>[a-z]+)/',
  '^res?/',
  '^items/$',
  '(?i)^API/',
  '^a/|^items/',
  'v1/',
  String.raw`^api\/v1\/`,
);

let viewCount = 0;
const leaf = fc.oneof(
  routeShape.map((route) => path(route, view(`v${viewCount++}`))),
  regexShape.map((regex) => rePath(regex, view(`v${viewCount++}`))),
);
const entries: fc.Arbitrary<UrlPatternEntry[]> = fc.letrec((tie) => ({
  list: fc.array(tie('entry') as fc.Arbitrary<UrlPatternEntry>, { maxLength: 8 }),
  entry: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(routeShape, tie('list') as fc.Arbitrary<UrlPatternEntry[]>)
      .map(([route, inner]) => path(route, include(inner))),
  ),
})).list as fc.Arbitrary<UrlPatternEntry[]>;
const targets = fc
  .array(
    fc.constantFrom('api/', 'v1/', 'items/', 'res/', 'resource3/', 'res4/', '7/', '8/', 'a/', 'x', 'API/'),
    {
      maxLength: 5,
    },
  )
  .map((parts) => `/${parts.join('')}`);

test('resolve() agrees with an in-order walk over every pattern, for generated urlconfs', (t) => {
  const property = fc.property(
    entries,
    fc.array(targets, { minLength: 1, maxLength: 10 }),
    (urlpatterns, paths) => {
      const urls = { urlpatterns };
      return paths.every((target) => {
        const expected = naive(urlpatterns, target.slice(1));
        let got: { func: View; kwargs: Kwargs } | null = null;
        try {
          const match = resolve(target, urls);
          got = { func: match.func, kwargs: match.kwargs };
        } catch (error) {
          if (!(error instanceof Resolver404)) throw error;
        }
        return expected === null
          ? got === null
          : got !== null && got.func === expected.func && isDeepStrictEqual(got.kwargs, expected.kwargs);
      });
    },
  );
  t.notThrows(() => fc.assert(property, { numRuns: 500 }));
});
