import test from 'ava';
import { ImproperlyConfigured } from '../../src/exceptions.ts';
import { getResolver, NoReverseMatch, resolve, reverse, reverser } from '../../src/urls/index.ts';
import * as urls from './fixtures/urls.ts';
import { detailView, dupView, intView } from './fixtures/views.ts';

const url = reverser(urls);

test('reverse(name, { urlconf, args, query, fragment }) builds /int/1/?a=1&a=2&b=x+y#top [verified]', (t) => {
  t.is(
    reverse('int', { urlconf: urls, args: [1], query: { a: ['1', '2'], b: 'x y' }, fragment: 'top' }),
    '/int/1/?a=1&a=2&b=x+y#top',
  );
});

test('reverse(name, { query }) adds no "?" for an empty query and accepts URLSearchParams or urlencode()', (t) => {
  t.is(url('int', { args: [1], query: {} }), '/int/1/');
  t.is(url('int', { args: [1], query: new URLSearchParams([['q', 'a&b']]) }), '/int/1/?q=a%26b');
  t.is(url('int', { args: [1], query: { urlencode: () => 'x=1' } }), '/int/1/?x=1');
  t.is(url('int', { args: [1], fragment: '' }), '/int/1/#');
});

test('reverse(name) round-trips every built-in converter', (t) => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['int', { n: 7 }, '/int/7/'],
    ['str', { s: 'hello' }, '/str/hello/'],
    ['slug', { s: 'hello-world_1' }, '/slug/hello-world_1/'],
    ['uuid', { u: '075194d3-6885-417e-a8a8-6c931e272f00' }, '/uuid/075194d3-6885-417e-a8a8-6c931e272f00/'],
    ['path', { p: 'a/b/c.txt' }, '/files/a/b/c.txt'],
  ];
  for (const [name, kwargs, expected] of cases) {
    const built = url(name, { kwargs });
    t.is(built, expected);
    const match = resolve(built, urls);
    t.is(match.urlName, name);
    t.deepEqual(match.kwargs, kwargs);
  }
});

test('reverse() refuses values the converter’s regex does not accept', (t) => {
  t.throws(() => url('int', { args: ['x'] }), { instanceOf: NoReverseMatch });
  t.throws(() => url('slug', { args: ['héllo'] }), { instanceOf: NoReverseMatch });
  t.throws(() => url('uuid', { args: ['075194D3-6885-417E-A8A8-6C931E272F00'] }), {
    instanceOf: NoReverseMatch,
  });
  t.throws(() => url('str', { args: ['a/b'] }), { instanceOf: NoReverseMatch });
});

test("reverse() percent-quotes the URL, keeping /~:@!$&'()*+,;=", (t) => {
  t.is(url('str', { args: ['a b'] }), '/str/a%20b/');
  t.is(url('str', { args: ['ç'] }), '/str/%C3%A7/');
  t.is(url('str', { args: ["~:@!$&'()*+,;="] }), "/str/~:@!$&'()*+,;=/");
  t.is(url('str', { args: ['100%?#'] }), '/str/100%25%3F%23/');
});

test('reverse() never returns a scheme-relative URL: a leading // becomes /%2F', (t) => {
  t.is(url('security', { kwargs: { p: '/evil.com' } }), '/%2Fevil.com/security/');
});

test('reverse(name, { scriptPrefix }) mounts the URL under the prefix', (t) => {
  t.is(url('int', { args: [1], scriptPrefix: '/mount/' }), '/mount/int/1/');
  t.is(url('int', { args: [1], scriptPrefix: '/mount' }), '/mount/int/1/');
});

test('reverse() with duplicate names returns the LAST pattern [verified]', (t) => {
  t.is(url('dup', { args: [1] }), '/b/1/');
  t.is(url('dup2'), '/dup2-second/');
  t.is(url('dup-inc'), '/second/two/');
});

test('reverse(viewFunction) looks the view up by identity, last pattern first', (t) => {
  t.is(url(intView, { kwargs: { n: 3 } }), '/int/3/');
  t.is(url(dupView, { args: [1] }), '/b/1/');
  t.is(url(detailView, { args: [4] }), '/unnamed/4/');
});

test('reverse() selects between patterns by their default kwargs [verified]', (t) => {
  t.is(url('defaults', { kwargs: { arg1: 1, arg2: 1 } }), '/defaults_view1/1/');
  t.is(url('defaults', { kwargs: { arg1: 1, arg2: 2 } }), '/defaults_view2/1/');
  t.is(url('defaults', { kwargs: { arg1: 1 } }), '/defaults_view2/1/');
  t.throws(() => url('defaults', { kwargs: { arg1: 1, arg2: 3 } }), { instanceOf: NoReverseMatch });
  t.throws(() => url('defaults', { kwargs: { arg1: 1, other: 3 } }), { instanceOf: NoReverseMatch });
});

test('reverse() needs kwargs to cover exactly the parameters', (t) => {
  t.is(url('blog:detail', { kwargs: { lang: 'en', pk: 7 } }), '/blog/en/detail/7/');
  t.throws(() => url('blog:detail', { kwargs: { pk: 7 } }), { instanceOf: NoReverseMatch });
  t.throws(() => url('blog:detail', { kwargs: { lang: 'en', pk: 7, x: 1 } }), { instanceOf: NoReverseMatch });
  t.is(url('blog:detail', { kwargs: { lang: 'en', pk: 7, x: undefined } }), '/blog/en/detail/7/');
});

test('reverse() needs as many args as parameters', (t) => {
  t.is(url('positional', { args: [12, 'ab'] }), '/pos/12/ab/');
  t.throws(() => url('positional', { args: [12] }), { instanceOf: NoReverseMatch });
  t.is(url('blog:detail', { args: ['en', 7] }), '/blog/en/detail/7/');
});

test('reverse() refuses args mixed with kwargs', (t) => {
  t.throws(() => url('int', { args: [1], kwargs: { n: 1 } }), {
    instanceOf: TypeError,
    message: /Don't mix args and kwargs in call to reverse\(\)!/,
  });
});

test('reverse() explains what was tried in Django’s words', (t) => {
  t.throws(() => url('people', { kwargs: { name: 'a b' } }), {
    instanceOf: NoReverseMatch,
    message: String.raw`Reverse for 'people' with keyword arguments '{'name': 'a b'}' not found. 1 pattern(s) tried: ['people/(?P<name>\\w+)/\\Z']`,
  });
  t.throws(() => url('dup', { args: ['x'] }), {
    instanceOf: NoReverseMatch,
    message: String.raw`Reverse for 'dup' with arguments '('x',)' not found. 2 pattern(s) tried: ['b/(?P<x>[0-9]+)/\\Z', 'a/(?P<x>[0-9]+)/\\Z']`,
  });
  t.throws(() => url('int'), {
    instanceOf: NoReverseMatch,
    message: String.raw`Reverse for 'int' with no arguments not found. 1 pattern(s) tried: ['int/(?P<n>[0-9]+)/\\Z']`,
  });
  t.throws(() => url('nope'), {
    instanceOf: NoReverseMatch,
    message: "Reverse for 'nope' not found. 'nope' is not a valid view function or pattern name.",
  });
  const stranger = function stranger() {};
  t.throws(() => url(stranger as never), {
    instanceOf: NoReverseMatch,
    message: "Reverse for 'stranger' not found. 'stranger' is not a valid view function or pattern name.",
  });
});

test('reverse() of rePath() patterns: named, unnamed and optional groups', (t) => {
  t.is(url('year-archive', { kwargs: { year: 2003 } }), '/articles/2003/');
  t.is(url('year-archive', { args: ['2003'] }), '/articles/2003/');
  t.throws(() => url('year-archive', { args: ['03'] }), { instanceOf: NoReverseMatch });
  t.is(url('optional-page'), '/opt/');
  t.is(url('optional-page', { kwargs: { page: 2 } }), '/opt/page-2/');
  t.is(url('nested-args', { args: [1, 2] }), '/outer/1/inner/2/');
});

test('reverse() without a urlconf says how to pass one', (t) => {
  t.throws(() => reverse('int', undefined as never), {
    instanceOf: ImproperlyConfigured,
    message: /needs a urlconf: pass \{ urlconf \}/,
  });
});

test('URLResolver#reverse() and reverser(urlconf) are reverse() bound to the urlconf', (t) => {
  t.is(getResolver(urls).reverse('int', { args: [9] }), '/int/9/');
  t.is(reverser(urls)('int', { args: [9] }), '/int/9/');
  t.is(reverse('int', { urlconf: getResolver(urls), args: [9] }), '/int/9/');
});
