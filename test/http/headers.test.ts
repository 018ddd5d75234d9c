import test from 'ava';
import { HttpHeaders, MediaType, parseHeaderParameters, toWsgiName } from '../../src/http/headers.ts';

const META = {
  CONTENT_TYPE: 'text/html',
  CONTENT_LENGTH: '100',
  HTTP_ACCEPT: '*',
  HTTP_HOST: 'example.com',
  HTTP_USER_AGENT: 'python-requests/1.2.0',
  HTTP_X_FORWARDED_FOR: '1.2.3.4',
  SERVER_NAME: 'testserver',
  REMOTE_ADDR: '127.0.0.1',
  PATH_INFO: '/',
};

test('new HttpHeaders(meta) keeps HTTP_* plus CONTENT_TYPE/CONTENT_LENGTH, title-cased', (t) => {
  const headers = new HttpHeaders(META);
  t.deepEqual(headers.keys().sort(), [
    'Accept',
    'Content-Length',
    'Content-Type',
    'Host',
    'User-Agent',
    'X-Forwarded-For',
  ]);
  t.is(headers.size, 6);
  t.deepEqual([...headers].sort(), headers.keys().sort());
  t.deepEqual(headers.toJSON()['X-Forwarded-For'], '1.2.3.4');
});

test('HttpHeaders#get(name) is case-insensitive and accepts underscores', (t) => {
  const headers = new HttpHeaders(META);
  t.is(headers.get('User-Agent'), 'python-requests/1.2.0');
  t.is(headers.get('user-agent'), 'python-requests/1.2.0');
  t.is(headers.get('user_agent'), 'python-requests/1.2.0');
  t.is(headers.get('CONTENT_TYPE'), 'text/html');
  t.is(headers.get('x-missing'), undefined);
  t.is(headers.get('x-missing', 'default'), 'default');
});

test('HttpHeaders#has(name) is case-insensitive', (t) => {
  const headers = new HttpHeaders(META);
  t.true(headers.has('x-forwarded-for'));
  t.true(headers.has('X_FORWARDED_FOR'));
  t.false(headers.has('Remote-Addr'));
});

test('HttpHeaders#entries()/values() pair display names with values', (t) => {
  const headers = new HttpHeaders({ HTTP_A: '1', HTTP_B_C: '2', UNRELATED: 'x' });
  t.deepEqual(headers.entries(), [
    ['A', '1'],
    ['B-C', '2'],
  ]);
  t.deepEqual(headers.values(), ['1', '2']);
});

test('HttpHeaders.parseHeaderName(metaKey) title-cases like Python (digits are uncased)', (t) => {
  t.is(HttpHeaders.parseHeaderName('HTTP_X_FORWARDED_FOR'), 'X-Forwarded-For');
  t.is(HttpHeaders.parseHeaderName('CONTENT_TYPE'), 'Content-Type');
  t.is(HttpHeaders.parseHeaderName('HTTP_X_1ABC'), 'X-1Abc');
  t.is(HttpHeaders.parseHeaderName('HTTP_X_CSRFTOKEN'), 'X-Csrftoken');
  t.is(HttpHeaders.parseHeaderName('REMOTE_ADDR'), null);
  t.is(HttpHeaders.parseHeaderName('PATH_INFO'), null);
});

test('toWsgiName(name) maps header names to META keys', (t) => {
  t.is(toWsgiName('Content-Type'), 'CONTENT_TYPE');
  t.is(toWsgiName('content-length'), 'CONTENT_LENGTH');
  t.is(toWsgiName('x-custom'), 'HTTP_X_CUSTOM');
  t.is(toWsgiName('User-Agent'), 'HTTP_USER_AGENT');
  t.is(HttpHeaders.toWsgiName('Host'), 'HTTP_HOST');
});

test('parseHeaderParameters(line) lower-cases the value and parameter names', (t) => {
  t.deepEqual(parseHeaderParameters('Multipart/Form-Data; Boundary=AbC'), [
    'multipart/form-data',
    { boundary: 'AbC' },
  ]);
  t.deepEqual(parseHeaderParameters('text/plain'), ['text/plain', {}]);
  t.deepEqual(parseHeaderParameters(''), ['', {}]);
});

test('parseHeaderParameters(line) unquotes values and keeps ; inside quotes', (t) => {
  t.deepEqual(parseHeaderParameters('form-data; name="a;b"; filename="x\\"y\\\\z.txt"'), [
    'form-data',
    { name: 'a;b', filename: 'x"y\\z.txt' },
  ]);
  t.deepEqual(parseHeaderParameters('text/plain; charset=utf-8; flag'), ['text/plain', { charset: 'utf-8' }]);
});

test('parseHeaderParameters(line) decodes RFC 2231 values', (t) => {
  t.deepEqual(parseHeaderParameters("attachment; filename*=UTF-8''caf%C3%A9.txt"), [
    'attachment',
    { filename: 'café.txt' },
  ]);
  t.deepEqual(parseHeaderParameters("attachment; filename*=iso-8859-1''caf%E9.txt"), [
    'attachment',
    { filename: 'café.txt' },
  ]);
});

test('parseHeaderParameters(line) refuses values longer than 10,000 characters', (t) => {
  t.deepEqual(parseHeaderParameters(`text/plain; x=${'a'.repeat(10_000)}`), ['', {}]);
});

test('parseHeaderParameters(line) keeps a "__proto__" parameter as a plain key', (t) => {
  const [, params] = parseHeaderParameters('text/plain; __proto__=x');
  t.is(Object.getPrototypeOf(params), Object.prototype);
  t.is(Object.getOwnPropertyDescriptor(params, '__proto__')?.value, 'x');
});

test('new MediaType(raw) splits type, subtype, params and quality', (t) => {
  const media = new MediaType('text/html; q=0.5; level=1');
  t.is(media.mainType, 'text');
  t.is(media.subType, 'html');
  t.is(media.quality, 0.5);
  t.deepEqual(media.rangeParams, { level: '1' });
  t.is(new MediaType('text/html; q=2').quality, 1);
  t.is(new MediaType('text/html; q=abc').quality, 1);
  t.is(new MediaType('text/html; q=0.12345').quality, 0.123);
});

test('MediaType#match(other) follows Django 5.2 (wildcards, parameters)', (t) => {
  const m = (a: string, b: string) => new MediaType(a).match(new MediaType(b));
  t.true(m('*/*', 'application/json'));
  t.true(m('text/*', 'text/html'));
  t.false(m('text/*', 'application/json'));
  t.true(m('application/json', 'application/json'));
  t.false(m('application/json', 'application/xml'));
  t.true(m('text/html; level=1', 'text/html'));
  t.false(m('text/html', 'text/html; level=1'));
  t.true(m('text/html; level=1', 'text/html; level=1'));
  t.false(m('text/html; level=1', 'text/html; level=2'));
  t.false(m('text', 'text/html'));
  t.false(m('text/html', ''));
});
