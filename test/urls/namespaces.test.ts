import test from 'ava';
import { NoReverseMatch, resolve, reverser } from '../../src/urls/index.ts';
import * as urls from './fixtures/namespace-urls.ts';

const url = reverser(urls);

test('reverse("ns:name") follows an instance namespace', (t) => {
  t.is(url('test-ns1:urlobject-view'), '/test1/inner/');
  t.is(url('test-ns3:urlobject-view'), '/test3/inner/');
  t.is(url('test-ns1:detail', { kwargs: { pk: 2 } }), '/test1/detail/2/');
});

test('reverse("app:name") picks the instance named like the app when there is one', (t) => {
  t.is(url('testapp:urlobject-view'), '/default/inner/');
});

test('reverse("app:name", { currentApp }) prefers the current instance of the app', (t) => {
  t.is(url('testapp:urlobject-view', { currentApp: 'test-ns3' }), '/test3/inner/');
  t.is(url('testapp:urlobject-view', { currentApp: 'test-ns1' }), '/test1/inner/');
  t.is(url('testapp:urlobject-view', { currentApp: 'not-an-instance' }), '/default/inner/');
});

test('reverse("app:name") without a default instance uses the LAST deployed instance', (t) => {
  t.is(url('nodefault:urlobject-view'), '/other2/inner/');
  t.is(url('nodefault:urlobject-view', { currentApp: 'other-ns1' }), '/other1/inner/');
});

test('reverse() through nested namespaces carries the outer prefix’s parameters', (t) => {
  t.is(url('outer:inner-ns:urlobject-view', { kwargs: { outer: 4 } }), '/outer/4/inner/inner/');
  t.is(url('outer:outer-home', { kwargs: { outer: 4 } }), '/outer/4/home/');
  t.is(url('outer:inner-ns:detail', { args: [4, 5] }), '/outer/4/inner/detail/5/');
  t.is(url('outerapp:testapp:detail', { args: [4, 5] }), '/outer/4/inner/detail/5/');
  t.throws(() => url('outer:inner-ns:urlobject-view'), { instanceOf: NoReverseMatch });
});

test('reverse() with currentApp walks nested app namespaces', (t) => {
  t.is(
    url('outerapp:testapp:urlobject-view', { kwargs: { outer: 1 }, currentApp: 'outer:inner-ns' }),
    '/outer/1/inner/inner/',
  );
});

test('reverse() finds a namespace declared inside a plain (non-namespaced) include', (t) => {
  t.is(url('lifted:x'), '/plain/lifted/x/');
  t.is(url('liftedapp:x'), '/plain/lifted/x/');
});

test('reverse() names the namespace it cannot find', (t) => {
  t.throws(() => url('x:urlobject-view'), {
    instanceOf: NoReverseMatch,
    message: "'x' is not a registered namespace",
  });
  t.throws(() => url('test-ns1:bad:urlobject-view'), {
    instanceOf: NoReverseMatch,
    message: "'bad' is not a registered namespace inside 'test-ns1'",
  });
  t.throws(() => url('test-ns1:nope'), {
    instanceOf: NoReverseMatch,
    message: "Reverse for 'nope' not found. 'nope' is not a valid view function or pattern name.",
  });
});

test('reverse() does not find namespaced names without their namespace', (t) => {
  t.throws(() => url('urlobject-view'), { instanceOf: NoReverseMatch });
});

test('resolve() reports the app names and instance namespaces of a nested match', (t) => {
  const match = resolve('/outer/4/inner/detail/5/', urls);
  t.deepEqual(match.kwargs, { outer: 4, pk: 5 });
  t.deepEqual(match.appNames, ['outerapp', 'testapp']);
  t.is(match.appName, 'outerapp:testapp');
  t.deepEqual(match.namespaces, ['outer', 'inner-ns']);
  t.is(match.namespace, 'outer:inner-ns');
  t.is(match.viewName, 'outer:inner-ns:detail');
  t.is(match.route, 'outer/<int:outer>/inner/detail/<int:pk>/');
});

test('resolve() then reverse(viewName, { currentApp: namespace }) gives the same URL back', (t) => {
  for (const path of [
    '/default/inner/',
    '/test1/inner/',
    '/test3/inner/',
    '/other1/inner/',
    '/other2/inner/',
  ]) {
    const match = resolve(path, urls);
    t.is(url(`${match.appName}:${match.urlName}`, { currentApp: match.namespace }), path);
    t.is(url(match.viewName), path);
  }
});
