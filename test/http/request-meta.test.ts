import test from 'ava';
import { defineSettings } from '../../src/conf/index.ts';
import { HttpRequest, type HttpRequestInit } from '../../src/http/request.ts';
import { RequestFactory } from '../helpers/request-factory.ts';

const settings = defineSettings({ SECRET_KEY: 'test', ALLOWED_HOSTS: ['*'] });
const make = (init: Partial<HttpRequestInit> = {}) =>
  new HttpRequest({ settings, method: 'get', path: '/', ...init });

test('new HttpRequest(init) upper-cases the method and keeps the settings', (t) => {
  const request = make({ method: 'post' });
  t.is(request.method, 'POST');
  t.is(request.settings, settings);
  t.is(request.resolverMatch, null);
  t.is(request.urlconf, null);
});

test('HttpRequest#path and #pathInfo are decoded; invalid UTF-8 stays percent-encoded', (t) => {
  t.is(make({ path: '/caf%C3%A9/' }).path, '/café/');
  t.is(make({ path: '/caf%E9/' }).path, '/caf%E9/');
  t.is(make({ path: '/%E2%99%E2%99%A5/' }).pathInfo, '/%E2%99♥/');
  t.is(make({ path: '/a%2Fb/%zz' }).path, '/a/b/%zz');
});

test('HttpRequest#path reads raw wire bytes (one char per byte) as bytes', (t) => {
  // Node hands a request-target byte 0xE9 over as "\u00e9": it is not valid UTF-8 on its own.
  t.is(make({ path: '/caf\u00e9/' }).path, '/caf%E9/');
  t.is(make({ path: '/caf\u00c3\u00a9/' }).path, '/café/');
  // Text a JS caller wrote (beyond latin-1) is taken as text.
  t.is(make({ path: '/\u2603/\u00e9' }).path, '/☃/é');
});

test('HttpRequest#path includes the script prefix; #pathInfo does not', (t) => {
  const request = make({ scriptName: '/app/', path: '/calls/' });
  t.is(request.scriptName, '/app/');
  t.is(request.pathInfo, '/calls/');
  t.is(request.path, '/app/calls/');
  t.is(make({ scriptName: '/app', path: '' }).pathInfo, '/');
  t.is(make({ scriptName: '/app', path: '' }).path, '/app/');
});

test('HttpRequest#META holds the CGI keys', (t) => {
  const request = make({
    method: 'POST',
    path: '/caf%C3%A9/',
    queryString: 'a=1&b=%E9',
    scheme: 'https',
    remoteAddr: '10.0.0.1',
    remotePort: 4321,
    serverName: 'example.com',
    serverPort: 8443,
    scriptName: '/s',
  });
  const meta = request.META;
  t.is(meta.REQUEST_METHOD, 'POST');
  t.is(meta.QUERY_STRING, 'a=1&b=%E9');
  t.is(meta.PATH_INFO, '/café/');
  t.is(meta.SCRIPT_NAME, '/s');
  t.is(meta.SERVER_NAME, 'example.com');
  t.is(meta.SERVER_PORT, '8443');
  t.is(meta.REMOTE_ADDR, '10.0.0.1');
  t.is(meta.REMOTE_HOST, '10.0.0.1');
  t.is(meta.REMOTE_PORT, '4321');
  t.is(request.META, meta, 'built once');
});

test('HttpRequest#META maps headers to HTTP_*, plus unprefixed CONTENT_TYPE and CONTENT_LENGTH', (t) => {
  const meta = make({
    headers: {
      'content-type': 'text/plain',
      'content-length': '3',
      'user-agent': 'ua',
      'x-forwarded-for': '1.2.3.4',
      Accept: '*/*',
    },
  }).META;
  t.is(meta.CONTENT_TYPE, 'text/plain');
  t.is(meta.CONTENT_LENGTH, '3');
  t.is(meta.HTTP_USER_AGENT, 'ua');
  t.is(meta.HTTP_X_FORWARDED_FOR, '1.2.3.4');
  t.is(meta.HTTP_ACCEPT, '*/*');
  t.is(meta.HTTP_CONTENT_TYPE, undefined);
});

test('HttpRequest#META drops headers whose name contains "_" (spoofing guard)', (t) => {
  const request = make({ headers: { 'x-auth-user': 'real', x_auth_user: 'spoofed' } });
  t.is(request.META.HTTP_X_AUTH_USER, 'real');
  t.false(Object.values(request.META).includes('spoofed'));
  t.is(request.headers.get('x-auth-user'), 'real');
});

test('HttpRequest#META joins repeated headers with ","', (t) => {
  t.is(make({ headers: { 'x-list': ['a', 'b'] } }).META.HTTP_X_LIST, 'a,b');
});

test('HttpRequest#META takes HTTP/2 :authority as the Host, and drops other pseudo-headers', (t) => {
  const meta = make({ headers: { ':authority': 'h2.example', ':method': 'GET' } }).META;
  t.is(meta.HTTP_HOST, 'h2.example');
  t.false(Object.keys(meta).some((key) => key.includes(':')));
});

test('HttpRequest#META may be changed by middleware', (t) => {
  const request = make({ remoteAddr: '10.0.0.1' });
  request.META.REMOTE_ADDR = '203.0.113.9';
  t.is(request.META.REMOTE_ADDR, '203.0.113.9');
});

test('HttpRequest#headers is a case-insensitive view of the HTTP_* and content headers', (t) => {
  const request = make({ headers: { 'user-agent': 'ua', 'content-type': 'text/plain', host: 'x' } });
  t.is(request.headers.get('User-Agent'), 'ua');
  t.is(request.headers.get('user_agent'), 'ua');
  t.is(request.headers.get('Content-Type'), 'text/plain');
  t.deepEqual(request.headers.keys().sort(), ['Content-Type', 'Host', 'User-Agent']);
  t.is(request.headers, request.headers);
});

test('HttpRequest#COOKIES parses the Cookie header lazily, and can be replaced', (t) => {
  const request = make({ headers: { cookie: 'a=1; b="x\\"y"; a=2; junk' } });
  t.deepEqual(request.COOKIES, { a: '2', b: 'x"y', '': 'junk' });
  t.deepEqual(make().COOKIES, {});
  request.COOKIES = { c: '3' };
  t.deepEqual(request.COOKIES, { c: '3' });
});

test('HttpRequest#contentType and #contentParams parse Content-Type', (t) => {
  const request = make({ headers: { 'content-type': 'Text/HTML; Charset="UTF-8"; q=1' } });
  t.is(request.contentType, 'text/html');
  t.deepEqual(request.contentParams, { charset: 'UTF-8', q: '1' });
  t.is(make().contentType, '');
  t.deepEqual(make().contentParams, {});
});

test('HttpRequest#encoding comes from a known charset parameter, else null', (t) => {
  t.is(make({ headers: { 'content-type': 'text/plain; charset=latin-1' } }).encoding, 'latin-1');
  t.is(make({ headers: { 'content-type': 'text/plain; charset=no-such-codec' } }).encoding, null);
  t.is(make({ headers: { 'content-type': 'text/plain' } }).encoding, null);
});

test('HttpRequest#isAjax() checks X-Requested-With: XMLHttpRequest', (t) => {
  t.true(make({ headers: { 'x-requested-with': 'XMLHttpRequest' } }).isAjax());
  t.false(make({ headers: { 'x-requested-with': 'fetch' } }).isAjax());
  t.false(make().isAjax());
});

test('HttpRequest#accepts(mediaType) reads Accept (default */*) with Django 5.2 rules', (t) => {
  t.true(make().accepts('application/json'));
  const browser = make({
    headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
  });
  t.true(browser.accepts('text/html'));
  t.true(browser.accepts('application/json'));
  const json = make({ headers: { accept: 'application/json' } });
  t.true(json.accepts('application/json'));
  t.false(json.accepts('text/html'));
  const refused = make({ headers: { accept: 'text/*, text/html;q=0' } });
  t.false(refused.accepts('application/json'));
  t.true(refused.accepts('text/plain'));
  t.true(make({ headers: { accept: 'text/html;level=1' } }).accepts('text/html'));
  t.false(make({ headers: { accept: 'text/html' } }).accepts('text/html;level=1'));
  t.false(json.accepts(''));
});

test('HttpRequest#close() resolves even without uploads', async (t) => {
  await t.notThrowsAsync(() => make().close());
});

test("RequestFactory#get(path, data, options) builds a request like Django's (testserver, 127.0.0.1)", async (t) => {
  const rf = new RequestFactory({ defaults: { 'User-Agent': 'factory' } });
  rf.cookies.sessionid = 'abc';
  const request = await rf.get('/search/', { q: 'a b', tag: ['x', 'y'] }, { headers: { 'X-Custom': '1' } });
  t.is(request.method, 'GET');
  t.is(request.META.QUERY_STRING, 'q=a+b&tag=x&tag=y');
  t.is(request.META.SERVER_NAME, 'testserver');
  t.is(request.META.SERVER_PORT, '80');
  t.is(request.META.REMOTE_ADDR, '127.0.0.1');
  t.is(request.META.HTTP_HOST, undefined);
  t.is(request.getHost(), 'testserver');
  t.is(request.headers.get('user-agent'), 'factory');
  t.is(request.headers.get('x-custom'), '1');
  t.deepEqual(request.COOKIES, { sessionid: 'abc' });
  t.deepEqual(request.GET.getlist('tag'), ['x', 'y']);
});

test('RequestFactory#generic(method, path, body, options) sends the body as is', async (t) => {
  const rf = new RequestFactory();
  const request = await rf.generic('propfind', '/dav/?depth=1', '<xml/>', { contentType: 'application/xml' });
  t.is(request.method, 'PROPFIND');
  t.is(request.GET.get('depth'), '1');
  t.is(request.body.toString(), '<xml/>');
  t.is(request.META.CONTENT_LENGTH, '6');
  t.is(request.contentType, 'application/xml');
});

test('RequestFactory#put/patch/delete/options/head build bodies and methods', async (t) => {
  const rf = new RequestFactory();
  const put = await rf.put('/x/', { a: 1 }, { contentType: 'application/json' });
  t.is(put.body.toString(), '{"a":1}');
  t.is((await rf.patch('/x/', 'raw')).body.toString(), 'raw');
  t.is((await rf.delete('/x/')).method, 'DELETE');
  t.is((await rf.options('/x/')).method, 'OPTIONS');
  t.is((await rf.head('/x/', { a: '1' })).META.QUERY_STRING, 'a=1');
  t.true((await rf.get('/x/', undefined, { secure: true })).isSecure());
});
