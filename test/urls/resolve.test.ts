import test from 'ava';
import { getResolver, NoReverseMatch, Resolver404, ResolverMatch, resolve } from '../../src/urls/index.ts';
import * as handlerUrls from './fixtures/handler-urls.ts';
import * as urls from './fixtures/urls.ts';
import { detailView, handler404, intView, kwView, overView, plainView } from './fixtures/views.ts';

test('resolve(path, urlconf) returns the view and its converted kwargs', (t) => {
  const match = resolve('/int/42/', urls);
  t.true(match instanceof ResolverMatch);
  t.is(match.func, intView);
  t.deepEqual(match.kwargs, { n: 42 });
  t.deepEqual(match.args, []);
  t.is(match.urlName, 'int');
  t.is(match.route, 'int/<int:n>/');
});

test('resolve(path, urlconf) is first match wins and throws Resolver404 when nothing matches', (t) => {
  const error = t.throws(() => resolve('/nope/', urls), { instanceOf: Resolver404 });
  t.is(error.status, 404);
  t.is(error.path, 'nope/');
  t.false(error instanceof NoReverseMatch);
});

test('resolve() rejects "/articles/2003/\\n": $ and \\Z are the true end of the path', (t) => {
  t.deepEqual(resolve('/articles/2003/', urls).kwargs, { year: '2003' });
  t.throws(() => resolve('/articles/2003/\n', urls), { instanceOf: Resolver404 });
  t.throws(() => resolve('/people/adrian/\n', urls), { instanceOf: Resolver404 });
  t.deepEqual(resolve('/people/adrian/', urls).kwargs, { name: 'adrian' });
});

test('resolve() gives unnamed rePath groups as args when the regex has no named group', (t) => {
  const match = resolve('/pos/12/ab/', urls);
  t.deepEqual(match.args, ['12', 'ab']);
  t.deepEqual(match.kwargs, {});
});

test('resolve() ignores unnamed groups when the regex has a named group', (t) => {
  const match = resolve('/mix/12/ab/', urls);
  t.deepEqual(match.args, []);
  t.deepEqual(match.kwargs, { name: 'ab' });
});

test('resolve() drops named groups that did not participate', (t) => {
  t.deepEqual(resolve('/opt/', urls).kwargs, {});
  t.deepEqual(resolve('/opt/page-3/', urls).kwargs, { page: '3' });
});

test('resolve() lets a pattern’s extra kwargs win over captured ones [verified]', (t) => {
  const match = resolve('/over/captured/', urls);
  t.is(match.func, overView);
  t.deepEqual(match.kwargs, { over: 'default', extra: true });
  t.deepEqual(match.capturedKwargs, { over: 'captured' });
  t.deepEqual(match.extraKwargs, { over: 'default', extra: true });
});

test('resolve() through include(): leaf extra > leaf captured > include extra [verified]', (t) => {
  const withOwn = resolve('/inc/kw/captured/', urls);
  t.is(withOwn.func, kwView);
  t.deepEqual(withOwn.kwargs, { src: 'include', over: 'inner-default' });
  t.deepEqual(withOwn.extraKwargs, { src: 'include', over: 'inner-default' });
  t.is(withOwn.route, 'inc/kw/<str:over>/');

  const withoutOwn = resolve('/inc/plain/', urls);
  t.is(withoutOwn.func, plainView);
  t.deepEqual(withoutOwn.kwargs, { src: 'include', over: 'include' });
});

test('resolve() merges the include prefix’s captured kwargs and joins the routes', (t) => {
  const match = resolve('/blog/en/detail/7/', urls);
  t.is(match.func, detailView);
  t.deepEqual(match.kwargs, { lang: 'en', pk: 7 });
  t.deepEqual(match.capturedKwargs, { pk: 7 });
  t.is(match.route, 'blog/<slug:lang>/detail/<int:pk>/');
  t.deepEqual(match.appNames, ['blog']);
  t.is(match.appName, 'blog');
  t.deepEqual(match.namespaces, ['blog']);
  t.is(match.namespace, 'blog');
  t.is(match.viewName, 'blog:detail');
});

test('resolve() prepends the include prefix’s positional args only when no kwargs exist', (t) => {
  t.deepEqual(resolve('/outer/1/inner/2/', urls).args, ['1', '2']);
  const withExtra = resolve('/outer-kw/1/inner/2/', urls);
  t.deepEqual(withExtra.args, ['2']);
  t.deepEqual(withExtra.kwargs, { flag: 'on' });
});

test('resolve() returns the FIRST of two patterns with the same name [verified]', (t) => {
  t.is(resolve('/a/1/', urls).route, 'a/<int:x>/');
  t.is(resolve('/b/1/', urls).route, 'b/<int:x>/');
});

test('ResolverMatch#viewName is the function name when the pattern has no name', (t) => {
  const match = resolve('/unnamed/3/', urls);
  t.is(match.urlName, undefined);
  t.is(match.viewName, 'detailView');
});

test('ResolverMatch destructures like Django’s (func, args, kwargs)', (t) => {
  const [func, args, kwargs] = resolve('/int/5/', urls);
  t.is(func, intView);
  t.deepEqual(args, []);
  t.deepEqual(kwargs, { n: 5 });
});

test('ResolverMatch#tried lists the patterns tried up to and including the match', (t) => {
  const match = resolve('/str/x/', urls);
  t.deepEqual(match.tried, [['int/<int:n>/'], ['str/<str:s>/']]);
});

test('Resolver404#tried lists every pattern tried, in order, as route strings', (t) => {
  const error = t.throws(() => resolve('/nope/', urls), { instanceOf: Resolver404 });
  t.deepEqual(
    error.tried,
    urls.urlpatterns.map((entry) => [String(entry.pattern)]),
  );
  t.deepEqual(error.tried.slice(0, 2), [['int/<int:n>/'], ['str/<str:s>/']]);
  t.true(error.tried.some((entry) => entry[0] === '^articles/(?P<year>[0-9]{4})/$'));
});

test('Resolver404#tried lists an include’s children under its prefix once the prefix matched', (t) => {
  const error = t.throws(() => resolve('/inc/nope/', urls), { instanceOf: Resolver404 });
  t.is(error.path, 'inc/nope/');
  t.deepEqual(
    error.tried.filter((entry) => entry[0] === 'inc/'),
    [
      ['inc/', 'kw/<str:over>/'],
      ['inc/', 'plain/'],
    ],
  );
});

test('Resolver404#tried names the include’s children once its prefix matched', (t) => {
  const error = t.throws(() => resolve('/blog/en/nope/', urls), { instanceOf: Resolver404 });
  t.deepEqual(
    error.tried.filter((entry) => entry[0] === 'blog/<slug:lang>/'),
    [
      ['blog/<slug:lang>/', 'detail/<int:pk>/'],
      ['blog/<slug:lang>/', ''],
    ],
  );
});

test('resolve() of a path without the leading slash throws Resolver404 with nothing tried', (t) => {
  const error = t.throws(() => resolve('int/1/', urls), { instanceOf: Resolver404 });
  t.deepEqual(error.tried, []);
  t.is(error.path, 'int/1/');
});

test('getResolver(urlconf) builds one resolver per module object', (t) => {
  t.is(getResolver(urls), getResolver(urls));
  t.not(getResolver(urls), getResolver(handlerUrls));
});

test('URLResolver#resolveErrorHandler(code) returns the urlconf’s handler or undefined', (t) => {
  t.is(getResolver(handlerUrls).resolveErrorHandler(404), handler404);
  t.is(getResolver(handlerUrls).resolveErrorHandler(500), undefined);
  t.is(getResolver(urls).resolveErrorHandler(404), undefined);
});
