import test from 'ava';
import { defineSettings, type SettingsInput } from '../../src/conf/index.ts';
import { ImproperlyConfigured } from '../../src/exceptions.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { SecurityMiddleware } from '../../src/middleware/security.ts';
import { path } from '../../src/urls/index.ts';
import { decoratorFromMiddleware } from '../../src/views/decorators.ts';
import { Client, testSettings } from '../helpers/client.ts';
import { type FactoryRequestOptions, RequestFactory } from '../helpers/request-factory.ts';

/** SecurityMiddleware's hooks around `response` for a GET of `target`. */
async function run(
  overrides: SettingsInput,
  target = '/page/',
  options: FactoryRequestOptions = {},
  response = new HttpResponse('ok'),
) {
  const settings = defineSettings({
    SECRET_KEY: 'k',
    ALLOWED_HOSTS: ['testserver', 'example.com'],
    ...overrides,
  });
  const request = await new RequestFactory({ settings }).get(target, undefined, options);
  const middleware = new SecurityMiddleware(async () => response, undefined, settings);
  return (await middleware.processRequest(request)) ?? middleware.processResponse(request, response);
}

const secure = { secure: true } as const;

// --- headers -----------------------------------------------------------------------------------

test('SecurityMiddleware#processResponse(request, response) sends the default nosniff, Referrer-Policy and COOP headers', async (t) => {
  const response = await run({});
  t.is(response.get('X-Content-Type-Options'), 'nosniff');
  t.is(response.get('Referrer-Policy'), 'same-origin');
  t.is(response.get('Cross-Origin-Opener-Policy'), 'same-origin');
  t.false(response.has('Strict-Transport-Security'));
});

test('SecurityMiddleware#processResponse(request, response) sends each header only when its setting is on', async (t) => {
  const response = await run({
    SECURE_CONTENT_TYPE_NOSNIFF: false,
    SECURE_REFERRER_POLICY: null,
    SECURE_CROSS_ORIGIN_OPENER_POLICY: null,
  });
  t.false(response.has('X-Content-Type-Options'));
  t.false(response.has('Referrer-Policy'));
  t.false(response.has('Cross-Origin-Opener-Policy'));
});

test('SecurityMiddleware#processResponse(request, response) joins SECURE_REFERRER_POLICY given as a list or a spaced string', async (t) => {
  const list = await run({ SECURE_REFERRER_POLICY: ['no-referrer', 'strict-origin-when-cross-origin'] });
  t.is(list.get('Referrer-Policy'), 'no-referrer,strict-origin-when-cross-origin');
  const text = await run({ SECURE_REFERRER_POLICY: 'no-referrer, strict-origin' });
  t.is(text.get('Referrer-Policy'), 'no-referrer,strict-origin');
});

test('SecurityMiddleware#processResponse(request, response) sets SECURE_CROSS_ORIGIN_OPENER_POLICY as given', async (t) => {
  const response = await run({ SECURE_CROSS_ORIGIN_OPENER_POLICY: 'same-origin-allow-popups' });
  t.is(response.get('Cross-Origin-Opener-Policy'), 'same-origin-allow-popups');
});

test('SecurityMiddleware#processResponse(request, response) keeps headers the view set itself', async (t) => {
  const own = new HttpResponse('ok');
  own.set('X-Content-Type-Options', 'custom');
  own.set('Referrer-Policy', 'unsafe-url');
  own.set('Cross-Origin-Opener-Policy', 'unsafe-none');
  own.set('Strict-Transport-Security', 'max-age=1');
  const response = await run({ SECURE_HSTS_SECONDS: 600 }, '/page/', secure, own);
  t.is(response.get('X-Content-Type-Options'), 'custom');
  t.is(response.get('Referrer-Policy'), 'unsafe-url');
  t.is(response.get('Cross-Origin-Opener-Policy'), 'unsafe-none');
  t.is(response.get('Strict-Transport-Security'), 'max-age=1');
});

test('SecurityMiddleware#processResponse(request, response) sends HSTS on secure requests only', async (t) => {
  t.is(
    (await run({ SECURE_HSTS_SECONDS: 3600 }, '/page/', secure)).get('Strict-Transport-Security'),
    'max-age=3600',
  );
  t.false((await run({ SECURE_HSTS_SECONDS: 3600 })).has('Strict-Transport-Security'));
  t.false((await run({ SECURE_HSTS_SECONDS: 0 }, '/page/', secure)).has('Strict-Transport-Security'));
});

test('SecurityMiddleware#processResponse(request, response) adds includeSubDomains and preload to HSTS', async (t) => {
  const both = await run(
    { SECURE_HSTS_SECONDS: 31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS: true, SECURE_HSTS_PRELOAD: true },
    '/page/',
    secure,
  );
  t.is(both.get('Strict-Transport-Security'), 'max-age=31536000; includeSubDomains; preload');
  const preload = await run({ SECURE_HSTS_SECONDS: 60, SECURE_HSTS_PRELOAD: true }, '/page/', secure);
  t.is(preload.get('Strict-Transport-Security'), 'max-age=60; preload');
});

// --- SSL redirect ------------------------------------------------------------------------------

test('SecurityMiddleware#processRequest(request) redirects http to https with 301, keeping path and query', async (t) => {
  const response = await run({ SECURE_SSL_REDIRECT: true }, '/page/?a=1&b=2');
  t.is(response.statusCode, 301);
  t.is(response.get('Location'), 'https://testserver/page/?a=1&b=2');
});

test('SecurityMiddleware#processRequest(request) does not redirect a secure request', async (t) => {
  const response = await run({ SECURE_SSL_REDIRECT: true }, '/page/', secure);
  t.is(response.statusCode, 200);
});

test('SecurityMiddleware#processRequest(request) redirects to SECURE_SSL_HOST when set', async (t) => {
  const response = await run(
    { SECURE_SSL_REDIRECT: true, SECURE_SSL_HOST: 'secure.example.com' },
    '/page/?x=1',
  );
  t.is(response.get('Location'), 'https://secure.example.com/page/?x=1');
});

test('SecurityMiddleware#processRequest(request) exempts paths matching SECURE_REDIRECT_EXEMPT (strings and RegExps)', async (t) => {
  const settings = {
    SECURE_SSL_REDIRECT: true,
    SECURE_REDIRECT_EXEMPT: [String.raw`^health/\Z`, /^twilio\//],
  };
  t.is((await run(settings, '/health/')).statusCode, 200);
  t.is((await run(settings, '/twilio/sms/')).statusCode, 200);
  t.is((await run(settings, '/health/more/')).statusCode, 301);
  // The leading slash is stripped before matching, as in Django.
  t.is(
    (await run({ SECURE_SSL_REDIRECT: true, SECURE_REDIRECT_EXEMPT: ['^/health'] }, '/health/')).statusCode,
    301,
  );
  // re.search semantics: an unanchored pattern matches anywhere.
  t.is(
    (await run({ SECURE_SSL_REDIRECT: true, SECURE_REDIRECT_EXEMPT: ['status'] }, '/api/status/')).statusCode,
    200,
  );
});

test('SecurityMiddleware: an invalid SECURE_REDIRECT_EXEMPT pattern stops startup', async (t) => {
  const settings = defineSettings({ SECRET_KEY: 'k', SECURE_REDIRECT_EXEMPT: ['(unclosed'] });
  t.throws(() => new SecurityMiddleware(async () => new HttpResponse(''), undefined, settings), {
    instanceOf: ImproperlyConfigured,
  });
});

// --- behind a proxy, through the Koa app --------------------------------------------------------

function client(overrides: SettingsInput = {}) {
  const urls = { urlpatterns: [path('page/', () => new HttpResponse('ok'))] };
  return Client.create(testSettings({ ROOT_URLCONF: urls, MIDDLEWARE: [SecurityMiddleware], ...overrides }));
}

test('SecurityMiddleware behind a TLS proxy: SECURE_PROXY_SSL_HEADER makes the request secure (no redirect, HSTS sent)', async (t) => {
  const browser = await client({
    SECURE_SSL_REDIRECT: true,
    SECURE_HSTS_SECONDS: 86400,
    SECURE_PROXY_SSL_HEADER: ['HTTP_X_FORWARDED_PROTO', 'https'],
  });
  const proxied = await browser.get('/page/', { headers: { 'X-Forwarded-Proto': 'https' } });
  t.is(proxied.status, 200);
  t.is(proxied.headers['strict-transport-security'], 'max-age=86400');
  t.is(proxied.headers['x-content-type-options'], 'nosniff');

  const plain = await browser.get('/page/?q=1', { headers: { 'X-Forwarded-Proto': 'http' } });
  t.is(plain.status, 301);
  t.is(plain.headers.location, 'https://testserver/page/?q=1');
  t.is(plain.headers['strict-transport-security'], undefined);
});

test('SecurityMiddleware without SECURE_PROXY_SSL_HEADER ignores X-Forwarded-Proto (no spoofed "secure")', async (t) => {
  const browser = await client({ SECURE_SSL_REDIRECT: true, SECURE_HSTS_SECONDS: 60 });
  const response = await browser.get('/page/', { headers: { 'X-Forwarded-Proto': 'https' } });
  t.is(response.status, 301);
});

test('SecurityMiddleware: the SSL redirect of a disallowed Host is a 400, not a redirect to it', async (t) => {
  const browser = await client({ SECURE_SSL_REDIRECT: true });
  t.is((await browser.get('/page/', { headers: { Host: 'evil.example' } })).status, 400);
});

test('decoratorFromMiddleware(SecurityMiddleware)(view) reads request.settings per request', async (t) => {
  const view = decoratorFromMiddleware(SecurityMiddleware)(() => new HttpResponse('ok'));
  const settings = defineSettings({ SECRET_KEY: 'k', ALLOWED_HOSTS: ['testserver'], SECURE_HSTS_SECONDS: 5 });
  const rf = new RequestFactory({ settings });
  const response = await view(await rf.get('/', undefined, secure), {});
  t.is(response.get('Strict-Transport-Security'), 'max-age=5');
  const redirecting = new RequestFactory({
    settings: defineSettings({ SECRET_KEY: 'k', ALLOWED_HOSTS: ['testserver'], SECURE_SSL_REDIRECT: true }),
  });
  t.is((await view(await redirecting.get('/'), {})).statusCode, 301);
});
