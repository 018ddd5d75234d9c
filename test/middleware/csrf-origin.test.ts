import test from 'ava';
import type { SettingsInput } from '../../src/conf/index.ts';
import { isSameDomain, splitUrl, TrustedOrigins } from '../../src/middleware/csrf-origin.ts';
import type { FactoryRequestOptions } from '../helpers/request-factory.ts';
import { factory, MASKED_TEST_SECRET1, runCsrf } from './csrf-helpers.ts';

/** The status and (unescaped) reason of a POST with a good token and these headers. */
async function post(
  headers: Record<string, string>,
  settings: SettingsInput = {},
  options: FactoryRequestOptions = {},
) {
  const request = await factory(settings).post(
    '/',
    { csrfmiddlewaretoken: MASKED_TEST_SECRET1 },
    { ...options, headers: { ...headers, ...(options.headers ?? {}) } },
  );
  const response = await runCsrf(request);
  const reason = (/<pre>([^<]*)<\/pre>/.exec(response.text)?.[1] ?? '').replaceAll('&#x27;', "'");
  return { status: response.statusCode, reason };
}

// --- Origin ----------------------------------------------------------------------------------

test('CsrfViewMiddleware#processView(request, view) accepts an Origin equal to this site', async (t) => {
  t.is((await post({ Origin: 'http://testserver' })).status, 200);
  t.is((await post({ Origin: 'https://testserver' }, {}, { secure: true })).status, 200);
});

test('CsrfViewMiddleware#processView(request, view) refuses a foreign Origin even with a good token', async (t) => {
  t.deepEqual(await post({ Origin: 'https://evil.example' }), {
    status: 403,
    reason: 'Origin checking failed - https://evil.example does not match any trusted origins.',
  });
});

test('CsrfViewMiddleware#processView(request, view) refuses this host under the other scheme, and "null"', async (t) => {
  t.is((await post({ Origin: 'https://testserver' })).status, 403);
  t.is((await post({ Origin: 'http://testserver' }, {}, { secure: true })).status, 403);
  t.is(
    (await post({ Origin: 'null' })).reason,
    'Origin checking failed - null does not match any trusted origins.',
  );
});

test('CsrfViewMiddleware#processView(request, view) quotes an Origin holding `$` replacement patterns verbatim', async (t) => {
  for (const origin of ['https://a$`b.example', "https://a$'b.example", 'https://$$.example']) {
    t.is(
      (await post({ Origin: origin })).reason,
      `Origin checking failed - ${origin} does not match any trusted origins.`,
      origin,
    );
  }
});

test('CsrfViewMiddleware#processView(request, view) accepts an Origin listed exactly in CSRF_TRUSTED_ORIGINS', async (t) => {
  const settings = { CSRF_TRUSTED_ORIGINS: ['https://app.example.com'] };
  t.is((await post({ Origin: 'https://app.example.com' }, settings)).status, 200);
  t.is((await post({ Origin: 'https://other.example.com' }, settings)).status, 403);
  t.is((await post({ Origin: 'http://app.example.com' }, settings)).status, 403);
});

test('CsrfViewMiddleware#processView(request, view) accepts subdomains of a wildcard trusted origin, same scheme only', async (t) => {
  const settings = { CSRF_TRUSTED_ORIGINS: ['https://*.example.com'] };
  t.is((await post({ Origin: 'https://pay.example.com' }, settings)).status, 200);
  t.is((await post({ Origin: 'https://a.b.example.com' }, settings)).status, 200);
  t.is((await post({ Origin: 'https://example.com' }, settings)).status, 200);
  t.is((await post({ Origin: 'http://pay.example.com' }, settings)).status, 403);
  t.is((await post({ Origin: 'https://badexample.com' }, settings)).status, 403);
  t.is((await post({ Origin: 'https://example.com.evil.net' }, settings)).status, 403);
});

test('CsrfViewMiddleware#processView(request, view) still trusts a listed Origin when the Host is not allowed', async (t) => {
  const settings = { CSRF_TRUSTED_ORIGINS: ['https://app.example.com'] };
  t.is((await post({ Origin: 'https://app.example.com', Host: 'evil.example' }, settings)).status, 200);
  t.is((await post({ Origin: 'http://evil.example', Host: 'evil.example' }, settings)).status, 403);
});

test('CsrfViewMiddleware#processView(request, view) checks the token after a good Origin', async (t) => {
  const request = await factory().post('/', {}, { headers: { Origin: 'http://testserver' } });
  t.is((await runCsrf(request)).statusCode, 403);
});

test('CsrfViewMiddleware#processView(request, view) does not need a Referer on HTTPS when Origin is sent', async (t) => {
  t.is((await post({ Origin: 'https://testserver' }, {}, { secure: true })).status, 200);
});

// --- Referer (HTTPS without Origin) ----------------------------------------------------------

const secure = { secure: true } as const;

test('CsrfViewMiddleware#processView(request, view) refuses HTTPS without Origin or Referer', async (t) => {
  t.deepEqual(await post({}, {}, secure), { status: 403, reason: 'Referer checking failed - no Referer.' });
});

test('CsrfViewMiddleware: the no-Referer page explains why the header is needed', async (t) => {
  const request = await factory().post('/', { csrfmiddlewaretoken: MASKED_TEST_SECRET1 }, secure);
  const text = (await runCsrf(request)).text;
  t.true(text.includes('this HTTPS site requires a “Referer header”'));
});

test('CsrfViewMiddleware#processView(request, view) accepts an HTTPS Referer from this site', async (t) => {
  t.is((await post({ Referer: 'https://testserver/form/?a=1' }, {}, secure)).status, 200);
});

test('CsrfViewMiddleware#processView(request, view) does not check the Referer of plain HTTP requests', async (t) => {
  t.is((await post({ Referer: 'http://evil.example/' })).status, 200);
  t.is((await post({})).status, 200);
});

test('CsrfViewMiddleware#processView(request, view) refuses a malformed Referer', async (t) => {
  for (const referer of ['not a url', 'https://', '//testserver/', 'https://[::1/']) {
    t.deepEqual(
      await post({ Referer: referer }, {}, secure),
      { status: 403, reason: 'Referer checking failed - Referer is malformed.' },
      referer,
    );
  }
});

test('CsrfViewMiddleware#processView(request, view) refuses an http Referer on an HTTPS request', async (t) => {
  t.deepEqual(await post({ Referer: 'http://testserver/' }, {}, secure), {
    status: 403,
    reason: 'Referer checking failed - Referer is insecure while host is secure.',
  });
});

test('CsrfViewMiddleware#processView(request, view) refuses a foreign HTTPS Referer, quoting it', async (t) => {
  t.deepEqual(await post({ Referer: 'https://evil.example/attack?x=1' }, {}, secure), {
    status: 403,
    reason: 'Referer checking failed - https://evil.example/attack?x=1 does not match any trusted origins.',
  });
});

test('CsrfViewMiddleware#processView(request, view) quotes a Referer holding `$` replacement patterns verbatim', async (t) => {
  const referer = "https://evil.example/$`$'";
  t.is(
    (await post({ Referer: referer }, {}, secure)).reason,
    `Referer checking failed - ${referer} does not match any trusted origins.`,
  );
});

test('CsrfViewMiddleware#processView(request, view) refuses a Referer of the same host on another port', async (t) => {
  const result = await post({ Referer: 'https://testserver:8443/' }, {}, secure);
  t.is(result.status, 403);
});

test('CsrfViewMiddleware#processView(request, view) accepts a Referer from a CSRF_TRUSTED_ORIGINS host', async (t) => {
  const settings = { CSRF_TRUSTED_ORIGINS: ['https://*.example.com', 'https://partner.net'] };
  t.is((await post({ Referer: 'https://pay.example.com/x' }, settings, secure)).status, 200);
  t.is((await post({ Referer: 'https://partner.net/' }, settings, secure)).status, 200);
  t.is((await post({ Referer: 'https://evil.net/' }, settings, secure)).status, 403);
});

test('CsrfViewMiddleware#processView(request, view) accepts a Referer within CSRF_COOKIE_DOMAIN (port added off 443)', async (t) => {
  const settings = { CSRF_COOKIE_DOMAIN: '.example.com', ALLOWED_HOSTS: ['.example.com'] };
  const host = { headers: { Host: 'www.example.com' }, secure: true };
  t.is((await post({ Referer: 'https://blog.example.com/' }, settings, host)).status, 200);
  t.is((await post({ Referer: 'https://evil.net/' }, settings, host)).status, 403);
  const port = { headers: { Host: 'www.example.com:8443' }, secure: true, serverPort: 8443 };
  t.is((await post({ Referer: 'https://blog.example.com:8443/' }, settings, port)).status, 200);
  t.is((await post({ Referer: 'https://blog.example.com/' }, settings, port)).status, 403);
});

test('CsrfViewMiddleware#processView(request, view) refuses any Referer when the Host is not allowed', async (t) => {
  const result = await post({ Referer: 'https://evil.example/', Host: 'evil.example' }, {}, secure);
  t.deepEqual(result, {
    status: 403,
    reason: 'Referer checking failed - https://evil.example/ does not match any trusted origins.',
  });
});

test('CsrfViewMiddleware#processView(request, view) treats a request as HTTPS through SECURE_PROXY_SSL_HEADER', async (t) => {
  const settings = { SECURE_PROXY_SSL_HEADER: ['HTTP_X_FORWARDED_PROTO', 'https'] as const };
  // A proxy passes the Host on (without it the host would be rebuilt as testserver:80).
  const forwarded = { 'X-Forwarded-Proto': 'https', Host: 'testserver' };
  t.is((await post(forwarded, settings)).reason, 'Referer checking failed - no Referer.');
  t.is((await post({ ...forwarded, Referer: 'https://testserver/' }, settings)).status, 200);
  t.is((await post({ ...forwarded, Origin: 'https://testserver' }, settings)).status, 200);
});

// --- helpers -----------------------------------------------------------------------------------

test('splitUrl(url) splits as Python urlsplit does, and refuses unbalanced IPv6 brackets', (t) => {
  t.deepEqual(splitUrl('HTTPS://Example.com:8443/a?b#c'), {
    scheme: 'https',
    netloc: 'Example.com:8443',
    path: '/a',
    query: 'b',
    fragment: 'c',
  });
  t.is(splitUrl('https://[::1/'), null);
  t.is(splitUrl('null')?.netloc, '');
});

test('isSameDomain(host, pattern) matches exact hosts and dotted patterns with their subdomains', (t) => {
  t.true(isSameDomain('example.com', 'example.com'));
  t.true(isSameDomain('a.example.com', '.example.com'));
  t.true(isSameDomain('example.com', '.EXAMPLE.com'));
  t.false(isSameDomain('badexample.com', '.example.com'));
  t.false(isSameDomain('a.example.com', 'example.com'));
  t.false(isSameDomain('example.com', ''));
});

test('new TrustedOrigins(origins) keeps exact origins, wildcard domains by scheme, and every host', (t) => {
  const trusted = new TrustedOrigins(['https://a.example', 'https://*.example.com', 'http://*.dev.test']);
  t.deepEqual([...trusted.exact], ['https://a.example']);
  t.deepEqual(trusted.subdomains.get('https'), ['.example.com']);
  t.deepEqual(trusted.subdomains.get('http'), ['.dev.test']);
  t.deepEqual(trusted.hosts, ['a.example', '.example.com', '.dev.test']);
});
