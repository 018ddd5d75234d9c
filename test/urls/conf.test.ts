import test from 'ava';
import { ImproperlyConfigured } from '../../src/exceptions.ts';
import {
  getResolver,
  include,
  path,
  rePath,
  resolve,
  reverse,
  URLPattern,
  URLResolver,
} from '../../src/urls/index.ts';
import { addLogHandler, type LogRecord } from '../../src/utils/log.ts';
import * as blog from './fixtures/blog-urls.ts';
import { emptyView } from './fixtures/views.ts';

function captureUrlWarnings(run: () => void): LogRecord[] {
  const records: LogRecord[] = [];
  const stop = addLogHandler((record) => {
    if (record.logger === 'koa-django.urls') records.push(record);
  });
  try {
    run();
  } finally {
    stop();
  }
  return records;
}

test('path(route, view, kwargs, name) returns a URLPattern; path(route, include(...)) a URLResolver', (t) => {
  const entry = path('a/', emptyView, { x: 1 }, 'a');
  t.true(entry instanceof URLPattern);
  t.is(entry.name, 'a');
  t.deepEqual(entry.defaultArgs, { x: 1 });
  const mounted = path('blog/', include(blog));
  t.true(mounted instanceof URLResolver);
  t.is(mounted.appName, 'blog');
  t.is(mounted.namespace, 'blog');
});

test('path(route, view, name) accepts the name third', (t) => {
  const urls = { urlpatterns: [path('sms/', emptyView, 'sms')] };
  t.is(reverse('sms', { urlconf: urls }), '/sms/');
});

test('path() refuses an unknown converter with Django’s message', (t) => {
  t.throws(() => path('foo/<nonexistent:var>/', emptyView), {
    instanceOf: ImproperlyConfigured,
    message: "URL route 'foo/<nonexistent:var>/' uses invalid converter 'nonexistent'.",
  });
});

test('path() refuses whitespace inside <…>', (t) => {
  t.throws(() => path('foo/<int: var>/', emptyView), {
    instanceOf: ImproperlyConfigured,
    message: "URL route 'foo/<int: var>/' cannot contain whitespace in angle brackets <…>.",
  });
});

test('path() refuses a parameter name that is not an identifier', (t) => {
  t.throws(() => path('foo/<int:2var>/', emptyView), {
    instanceOf: ImproperlyConfigured,
    message: "URL route 'foo/<int:2var>/' uses parameter name '2var' which isn't a valid identifier.",
  });
  t.throws(() => path('foo/<a-b>/', emptyView), { instanceOf: ImproperlyConfigured });
});

test('path() escapes the literal text of the route', (t) => {
  const urls = { urlpatterns: [path('a.b+(c)/<int:n>/', emptyView, 'lit')] };
  t.deepEqual(resolve('/a.b+(c)/1/', urls).kwargs, { n: 1 });
  t.throws(() => resolve('/aXb+(c)/1/', urls));
  t.is(reverse('lit', { urlconf: urls, args: [1] }), '/a.b+(c)/1/');
});

test('path() refuses kwargs that are not a plain object', (t) => {
  t.throws(() => path('a/', emptyView, 42 as never), {
    instanceOf: TypeError,
    message: 'kwargs argument must be a plain object, but got number.',
  });
  t.throws(() => path('a/', emptyView, [] as never), {
    instanceOf: TypeError,
    message: 'kwargs argument must be a plain object, but got an array.',
  });
});

test('path() refuses a class-based view class and tells to call asView()', (t) => {
  class MyView {
    dispatch(): void {}
  }
  t.throws(() => path('a/', MyView as never), {
    instanceOf: TypeError,
    message: 'view must be a callable, pass MyView.asView(), not MyView.',
  });
  t.throws(() => path('a/', new MyView() as never), {
    instanceOf: TypeError,
    message: 'view must be a callable, pass MyView.asView(), not new MyView().',
  });
});

test('path() refuses a view that is neither a function nor an include()', (t) => {
  t.throws(() => path('a/', 'views.home' as never), {
    instanceOf: TypeError,
    message: 'view must be a callable or the result of include(), but got string.',
  });
});

test('path() with a route starting with "/" logs urls.W002 on koa-django.urls', (t) => {
  const records = captureUrlWarnings(() => path('/slash/', emptyView, 'slash'));
  t.is(records.length, 1);
  t.is(records[0]?.level, 'warning');
  t.is(records[0]?.extra?.id, 'urls.W002');
  t.regex(
    records[0]?.message ?? '',
    /Your URL pattern '\/slash\/' \[name='slash'\] has a route beginning with a '\/'/,
  );
  t.deepEqual(
    captureUrlWarnings(() => path('fine/', emptyView)),
    [],
  );
});

test('path() warns about regex syntax in a route and a name containing ":"', (t) => {
  const ids = captureUrlWarnings(() => {
    path('^old/$', emptyView);
    path('a/', emptyView, 'a:b');
    path('a/<int:n/', emptyView);
  }).map((r) => r.extra?.id);
  t.deepEqual(ids, ['2_0.W001', 'urls.W003', 'urls.W010']);
});

test('rePath(regex, include(...)) warns when the include regex ends with "$"', (t) => {
  const ids = captureUrlWarnings(() => rePath('^blog/$', include(blog))).map((r) => r.extra?.id);
  t.deepEqual(ids, ['urls.W001']);
});

test('URLResolver#check() returns the warnings of every pattern below it', (t) => {
  const urls = {
    urlpatterns: [path('/x/', emptyView), path('inc/', include([path('a/', emptyView, 'a:b')]))],
  };
  t.deepEqual(
    getResolver(urls)
      .check()
      .map((w) => w.id),
    ['urls.W002', 'urls.W003'],
  );
});

test('URLResolver#check() refuses an urlpatterns entry that is not a pattern', (t) => {
  const urls = { urlpatterns: [path('a/', emptyView), emptyView] };
  t.throws(() => getResolver(urls).check(), {
    instanceOf: ImproperlyConfigured,
    message: /urlpatterns\[1\] of the URLconf .* is function, not the result of path\(\) or rePath\(\)/,
  });
});

test('resolve() against a module without urlpatterns says what is missing', (t) => {
  t.throws(() => resolve('/a/', { appName: 'x' }), {
    instanceOf: ImproperlyConfigured,
    message: /The included URLconf \(a module exporting appName\) does not appear to have any patterns in it/,
  });
});

test('URLResolver#resolveErrorHandler() refuses a handler that is not a view function', (t) => {
  t.throws(() => getResolver({ urlpatterns: [], handler404: 'views.notFound' }).resolveErrorHandler(404), {
    instanceOf: ImproperlyConfigured,
    message: /The custom handler404 view is not usable/,
  });
});

test('include(patterns, namespace) without an appName is ImproperlyConfigured', (t) => {
  t.throws(() => include([path('a/', emptyView)], 'ns'), {
    instanceOf: ImproperlyConfigured,
    message: /^Specifying a namespace in include\(\) without providing an appName is not supported\./,
  });
});

test('include([patterns, appName], namespace) sets both namespaces; the namespace defaults to the app', (t) => {
  const pair = include([[path('a/', emptyView)], 'app'], 'inst');
  t.is(pair.appName, 'app');
  t.is(pair.namespace, 'inst');
  t.is(include([[path('a/', emptyView)], 'app']).namespace, 'app');
  const plain = include([path('a/', emptyView)]);
  t.is(plain.appName, undefined);
  t.is(plain.namespace, undefined);
});

test('include() refuses a 3-element array and a module name string', (t) => {
  t.throws(() => include([[path('a/', emptyView)], 'app', 'ns'] as never), {
    instanceOf: ImproperlyConfigured,
    message: /^Passing a 3-element array to include\(\) is not supported\./,
  });
  t.throws(() => include('./blog-urls.ts' as never), {
    instanceOf: TypeError,
    message: /cannot import a module by name/,
  });
});

test('rePath() takes a JavaScript RegExp as well as a Python-syntax string', (t) => {
  const urls = {
    urlpatterns: [
      rePath(/^sms\/(?<sid>[A-Z]{2}\w+)\/$/, emptyView, 'sms'),
      rePath(/^case\/(\w+)\/$/i, emptyView, 'case'),
    ],
  };
  t.deepEqual(resolve('/sms/SM123/', urls).kwargs, { sid: 'SM123' });
  t.is(reverse('sms', { urlconf: urls, kwargs: { sid: 'SM9' } }), '/sms/SM9/');
  t.deepEqual(resolve('/CASE/x/', urls).args, ['x']);
  t.is(reverse('case', { urlconf: urls, args: ['y'] }), '/case/y/');
});

test('rePath() translates (?P=name), leading (?i) and {,n}', (t) => {
  const urls = {
    urlpatterns: [
      rePath('^twice/(?P<w>[a-z]+)-(?P=w)/$', emptyView, 'twice'),
      rePath('(?i)^shout/$', emptyView, 'shout'),
      rePath('^few/a{,2}/$', emptyView, 'few'),
    ],
  };
  t.deepEqual(resolve('/twice/ab-ab/', urls).kwargs, { w: 'ab' });
  t.throws(() => resolve('/twice/ab-cd/', urls));
  t.is(reverse('twice', { urlconf: urls, kwargs: { w: 'ab' } }), '/twice/ab-ab/');
  t.is(resolve('/SHOUT/', urls).urlName, 'shout');
  t.is(reverse('shout', { urlconf: urls }), '/shout/');
  t.is(resolve('/few/aa/', urls).urlName, 'few');
  t.throws(() => resolve('/few/aaa/', urls));
  t.is(reverse('few', { urlconf: urls }), '/few//');
});

test('rePath() refuses an invalid regex and Python syntax JavaScript cannot express', (t) => {
  t.throws(() => rePath('^(unclosed/$', emptyView), {
    instanceOf: ImproperlyConfigured,
    message: /^"\^\(unclosed\/\$" is not a valid regular expression: /,
  });
  t.throws(() => rePath('^(?x)a b$', emptyView), { instanceOf: ImproperlyConfigured });
  t.throws(() => rePath('^(?i:a)$', emptyView), {
    instanceOf: ImproperlyConfigured,
    message: /scoped flags/,
  });
  t.throws(() => rePath('^(a)?(?(1)b|c)$', emptyView), { instanceOf: ImproperlyConfigured });
});
