import test from 'ava';
import { defineSettings, type Settings, type SettingsInput } from '../../src/conf/index.ts';
import { DisallowedHost, ImproperlyConfigured } from '../../src/exceptions.ts';
import { HttpRequest, type HttpRequestInit } from '../../src/http/request.ts';

const ALLOWED = [
  'forward.com',
  'example.com',
  'internal.com',
  '12.34.56.78',
  '[2001:19f0:feee::dead:beef:cafe]',
  'xn--4ca9at.com',
  '.multitenant.com',
  'INSENSITIVE.com',
  '[::ffff:169.254.169.254]',
];
const POISONED = [
  'example.com@evil.tld',
  'example.com:dr.frankenstein@evil.tld',
  'example.com:dr.frankenstein@evil.tld:80',
  'example.com:80/badpath',
  'example.com: recovermypassword.com',
];

const settingsWith = (input: SettingsInput = {}): Settings =>
  defineSettings({ SECRET_KEY: 'test', ALLOWED_HOSTS: ALLOWED, ...input });

function make(
  headers: Record<string, string> = {},
  init: Partial<HttpRequestInit> = {},
  input: SettingsInput = {},
) {
  return new HttpRequest({
    settings: settingsWith(input),
    method: 'GET',
    path: '/',
    serverName: 'internal.com',
    serverPort: 80,
    headers,
    ...init,
  });
}

test('HttpRequest#getHost() answers Host, ignoring X-Forwarded-Host unless USE_X_FORWARDED_HOST', (t) => {
  t.is(make({ 'x-forwarded-host': 'forward.com', host: 'example.com' }).getHost(), 'example.com');
  t.is(
    make(
      { 'x-forwarded-host': 'forward.com', host: 'example.com' },
      {},
      { USE_X_FORWARDED_HOST: true },
    ).getHost(),
    'forward.com',
  );
  t.is(make({ host: 'example.com' }, {}, { USE_X_FORWARDED_HOST: true }).getHost(), 'example.com');
});

test('HttpRequest#getHost() rebuilds SERVER_NAME[:port] without a Host header', (t) => {
  t.is(make().getHost(), 'internal.com');
  t.is(make({}, { serverPort: 8042 }).getHost(), 'internal.com:8042');
  t.is(make({}, { serverPort: 443, scheme: 'https' }).getHost(), 'internal.com');
  t.is(make({}, { serverPort: 80, scheme: 'https' }).getHost(), 'internal.com:80');
});

test('HttpRequest#getHost() accepts hosts matching ALLOWED_HOSTS and answers them as sent', (t) => {
  const legit = [
    'example.com',
    'example.com:80',
    '12.34.56.78',
    '12.34.56.78:443',
    '[2001:19f0:feee::dead:beef:cafe]',
    '[2001:19f0:feee::dead:beef:cafe]:8080',
    'xn--4ca9at.com',
    'anything.multitenant.com',
    'multitenant.com',
    'insensitive.com',
    'Example.COM',
    'example.com.',
    'example.com.:80',
    '[::ffff:169.254.169.254]',
  ];
  for (const host of legit) t.is(make({ host }).getHost(), host);
});

test('HttpRequest#getHost() refuses a host outside ALLOWED_HOSTS with DisallowedHost, suggesting the domain', (t) => {
  const cases: [string, string][] = [
    ['other.com', 'other.com'],
    ['12.34.56.79', '12.34.56.79'],
    ['[2001:19f0:feee::dead:beef:cafd]:8080', '[2001:19f0:feee::dead:beef:cafd]'],
    ['evil.com:80', 'evil.com'],
    ['sub.example.com', 'sub.example.com'],
  ];
  for (const [host, domain] of cases) {
    const error = t.throws(() => make({ host }).getHost(), { instanceOf: DisallowedHost });
    t.is(
      error?.message,
      `Invalid HTTP_HOST header: '${host}'. You may need to add '${domain}' to ALLOWED_HOSTS.`,
    );
    t.is(error?.status, 400);
  }
});

test('HttpRequest#getHost() refuses invalid Host syntax with the RFC 1034/1035 message', (t) => {
  for (const host of [
    ...POISONED,
    'example.com..',
    'invalid_hostname.com',
    '',
    'exa mple.com',
    'example.com\n',
  ]) {
    const error = t.throws(() => make({ host }).getHost(), { instanceOf: DisallowedHost });
    t.true(error?.message.startsWith('Invalid HTTP_HOST header: '));
    if (host !== 'example.com..') {
      t.true(
        error?.message.endsWith('The domain name provided is not valid according to RFC 1034/1035.'),
        host,
      );
    }
  }
  t.throws(() => make({ host: "it's.com" }).getHost(), {
    message: `Invalid HTTP_HOST header: "it's.com". The domain name provided is not valid according to RFC 1034/1035.`,
  });
});

test('HttpRequest#getHost() with DEBUG and empty ALLOWED_HOSTS allows only localhost variants', (t) => {
  const debug = { DEBUG: true, ALLOWED_HOSTS: [] };
  for (const host of ['localhost', 'subdomain.localhost', '127.0.0.1', '[::1]']) {
    t.is(make({ host }, {}, debug).getHost(), host);
  }
  t.throws(() => make({ host: 'example.com' }, {}, debug).getHost(), { instanceOf: DisallowedHost });
  t.throws(() => make({ host: 'localhost' }, {}, { DEBUG: false, ALLOWED_HOSTS: [] }).getHost(), {
    instanceOf: DisallowedHost,
  });
});

test('HttpRequest#getHost() accepts anything with ALLOWED_HOSTS ["*"] but still checks syntax', (t) => {
  t.is(make({ host: 'whatever.example' }, {}, { ALLOWED_HOSTS: ['*'] }).getHost(), 'whatever.example');
  t.throws(() => make({ host: 'bad host' }, {}, { ALLOWED_HOSTS: ['*'] }).getHost(), {
    instanceOf: DisallowedHost,
  });
});

test('HttpRequest#getPort() answers SERVER_PORT, or X-Forwarded-Port with USE_X_FORWARDED_PORT', (t) => {
  const headers = { 'x-forwarded-port': '80' };
  t.is(make(headers, { serverPort: '8080' }).getPort(), '8080');
  t.is(make(headers, { serverPort: 8080 }, { USE_X_FORWARDED_PORT: true }).getPort(), '80');
  t.is(make({}, { serverPort: 8080 }, { USE_X_FORWARDED_PORT: true }).getPort(), '8080');
});

test('HttpRequest#scheme and #isSecure() follow the transport without SECURE_PROXY_SSL_HEADER', (t) => {
  t.is(make().scheme, 'http');
  t.false(make().isSecure());
  t.is(make({}, { scheme: 'https' }).scheme, 'https');
  t.true(make({}, { scheme: 'https' }).isSecure());
  t.false(make({ 'x-forwarded-proto': 'https' }).isSecure());
});

test('HttpRequest#isSecure() reads the first value of SECURE_PROXY_SSL_HEADER', (t) => {
  const proxy: SettingsInput = { SECURE_PROXY_SSL_HEADER: ['HTTP_X_FORWARDED_PROTO', 'https'] };
  const secure = (value?: string, scheme: 'http' | 'https' = 'http') =>
    make(value === undefined ? {} : { 'x-forwarded-proto': value }, { scheme }, proxy).isSecure();
  t.false(secure());
  t.false(secure('wrongvalue'));
  t.true(secure('https'));
  t.true(secure('https, http'));
  t.true(secure('https  , http'));
  t.false(secure('http, https'));
  t.false(secure('http ,wrongvalue,http,http'));
  // The forwarded header takes precedence over the transport.
  t.false(secure('http', 'https'));
  t.true(secure(undefined, 'https'));
});

test('HttpRequest#scheme throws ImproperlyConfigured for a SECURE_PROXY_SSL_HEADER that is not a pair', (t) => {
  const request = make(
    {},
    {},
    { SECURE_PROXY_SSL_HEADER: 'HTTP_X_FORWARDED_PROTO' as unknown as [string, string] },
  );
  t.throws(() => request.scheme, {
    instanceOf: ImproperlyConfigured,
    message: /must be a tuple containing two values/,
  });
});

test('HttpRequest#getFullPath(forceAppendSlash) escapes the path and appends the query', (t) => {
  const request = make({}, { path: '/caf%C3%A9/;some/', queryString: 'a=1&b=%E9&c=\u00e9' });
  t.is(request.getFullPath(), '/caf%C3%A9/%3Bsome/?a=1&b=%E9&c=%C3%A9');
  t.is(make({}, { path: '/x' }).getFullPath(true), '/x/');
  t.is(make({}, { path: '/x/' }).getFullPath(true), '/x/');
  t.is(make({}, { path: '/x', queryString: 'q=1' }).getFullPath(true), '/x/?q=1');
  t.is(make({}, { path: '/caf%E9/' }).getFullPath(), '/caf%25E9/');
});

test('HttpRequest#getFullPathInfo(forceAppendSlash) leaves out the script prefix', (t) => {
  const request = make({}, { scriptName: '/app', path: '/calls', queryString: 'a=1' });
  t.is(request.getFullPath(), '/app/calls?a=1');
  t.is(request.getFullPathInfo(), '/calls?a=1');
  t.is(request.getFullPathInfo(true), '/calls/?a=1');
});

// Expected values computed with Python's urllib following Django's build_absolute_uri().
const ABSOLUTE_URI_CASES: [string, string, string | undefined, string][] = [
  ['//absolute-uri', '', undefined, 'http://testserver//absolute-uri'],
  ['//absolute-uri', '', 'http://example.com/?foo=bar', 'http://example.com/?foo=bar'],
  ['//absolute-uri', '', '//example.com/?foo=bar', 'http://example.com/?foo=bar'],
  ['//absolute-uri', '', '/foo', 'http://testserver/foo'],
  ['//absolute-uri', '', 'bar', 'http://testserver/bar'],
  ['//absolute-uri', '', 'bar/', 'http://testserver/bar/'],
  ['//absolute-uri', '', '?x=1', 'http://testserver//absolute-uri?x=1'],
  ['//absolute-uri', '', './same', 'http://testserver/same'],
  ['//absolute-uri', '', '#frag', 'http://testserver//absolute-uri#frag'],
  ['/foo/bar/', 'q=1', undefined, 'http://testserver/foo/bar/?q=1'],
  ['/foo/bar/', 'q=1', 'bar', 'http://testserver/foo/bar/bar'],
  ['/foo/bar/', 'q=1', '?x=1', 'http://testserver/foo/bar/?x=1'],
  ['/foo/bar/', 'q=1', '../up', 'http://testserver/foo/up'],
  ['/foo/bar/', 'q=1', './same', 'http://testserver/foo/bar/same'],
  ['/foo/bar/', 'q=1', '/a/./b', 'http://testserver/a/b'],
  ['/foo/bar/', 'q=1', '/a/../b', 'http://testserver/b'],
  ['/foo/bar/', 'q=1', 'https://ex.com/caf\u00e9 x', 'https://ex.com/caf%C3%A9%20x'],
  ['/foo/bar/', 'q=1', 'mailto:x@y', 'mailto:x@y'],
  ['/foo/bar/', 'q=1', '#frag', 'http://testserver/foo/bar/#frag'],
  ['/foo/bar/', 'q=1', '/path/with:colons', 'http://testserver/path/with:colons'],
  ['/caf%C3%A9/x', 'a=%E9&b=%C3%A9', undefined, 'http://testserver/caf%C3%A9/x?a=%E9&b=%C3%A9'],
  ['/caf%C3%A9/x', 'a=%E9&b=%C3%A9', 'bar', 'http://testserver/caf%C3%A9/bar'],
  ['/caf%C3%A9/x', 'a=%E9&b=%C3%A9', '../up', 'http://testserver/up'],
  ['/caf%C3%A9/x', 'a=%E9&b=%C3%A9', 'caf\u00e9/', 'http://testserver/caf%C3%A9/caf%C3%A9/'],
];

test("HttpRequest#buildAbsoluteUri(location) follows Django's three rules", (t) => {
  for (const [path, queryString, location, expected] of ABSOLUTE_URI_CASES) {
    const request = make(
      {},
      { path, queryString, serverName: 'testserver' },
      { ALLOWED_HOSTS: ['testserver'] },
    );
    t.is(request.buildAbsoluteUri(location), expected, `${path} + ${location}`);
  }
});

test('HttpRequest#buildAbsoluteUri() uses the secure scheme and the validated host', (t) => {
  const request = make({ host: 'example.com:8443' }, { path: '/x/', scheme: 'https' });
  t.is(request.buildAbsoluteUri(), 'https://example.com:8443/x/');
  t.is(request.buildAbsoluteUri('https://www.example.com/asdf'), 'https://www.example.com/asdf');
  t.throws(() => make({ host: 'evil.com' }).buildAbsoluteUri('/x'), { instanceOf: DisallowedHost });
  // An absolute location does not need the host.
  t.is(make({ host: 'evil.com' }).buildAbsoluteUri('https://ok.example/'), 'https://ok.example/');
});
