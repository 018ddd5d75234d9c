/**
 * What twilioView's signature check covers, case by case: the URL Twilio signed (query strings,
 * ports, proxies, base URLs, mount prefixes), the parameters (forms, repeated keys, GET, JSON
 * through bodySHA256), twilio-node's own test vectors, malformed input (a 4xx, never a 500) and
 * the log a failure leaves.
 */
import test from 'ava';
import twilio from 'twilio';
import { createApp } from '../../../src/app.ts';
import type { Settings } from '../../../src/conf/index.ts';
import { twilioView, validateTwilioRequest, webhookUrl } from '../../../src/contrib/twilio/index.ts';
import { HttpResponse } from '../../../src/http/response.ts';
import { path } from '../../../src/urls/index.ts';
import { addLogHandler, type LogRecord } from '../../../src/utils/log.ts';
import { Client } from '../../helpers/client.ts';
import { type FactoryRequestOptions, RequestFactory } from '../../helpers/request-factory.ts';
import { type Params, SigningClient, sign, TOKEN, twilioSettings } from './helpers.ts';

const ok = twilioView(function ok() {
  return '<Response/>';
});
const urls = { urlpatterns: [path('sms/', ok), path('myapp.php', ok)] };

/** Settings serving `ok` at /sms/ and /myapp.php, with the hosts these tests use. */
function settings(overrides: Record<string, unknown> = {}): Settings {
  return twilioSettings({
    ROOT_URLCONF: urls,
    ALLOWED_HOSTS: ['testserver', 'mycompany.com', 'public.example.com', 'internal', 'localhost'],
    ...overrides,
  });
}

async function status(
  method: 'GET' | 'POST',
  target: string,
  options: { settings?: Settings; data?: Params; signature: string } & FactoryRequestOptions,
): Promise<number> {
  const rf = new RequestFactory({ settings: options.settings ?? settings() });
  const headers = { 'X-Twilio-Signature': options.signature, ...options.headers };
  const request =
    method === 'GET'
      ? await rf.get(target, undefined, { ...options, headers })
      : await rf.post(target, (options.data ?? {}) as never, { ...options, headers });
  return (await ok(request, {})).statusCode;
}

// --- GET ---------------------------------------------------------------------------------------

test('GET with a query string: the signature covers the URL alone (django-twilio also appended the query parameters: 403)', async (t) => {
  const url = 'http://testserver/sms/?From=%2B15005550006&Body=hi';
  t.is(await status('GET', '/sms/?From=%2B15005550006&Body=hi', { signature: sign(url) }), 200);
  const djangoTwilioStyle = sign(url, { From: '+15005550006', Body: 'hi' });
  t.is(await status('GET', '/sms/?From=%2B15005550006&Body=hi', { signature: djangoTwilioStyle }), 403);
});

test('GET: the query string is checked as sent, not re-sorted or re-encoded', async (t) => {
  const target = "/sms/?b=2&a=1&City=Trezzo+Sull'Adda";
  t.is(await status('GET', target, { signature: sign(`http://testserver${target}`) }), 200);
  t.is(
    await status('GET', target, {
      signature: sign('http://testserver/sms/?a=1&b=2&City=Trezzo+Sull%27Adda'),
    }),
    403,
  );
});

// --- POST --------------------------------------------------------------------------------------

test('POST with a query string: the URL keeps the query, the form fields are the body only', async (t) => {
  const data = { From: '+15005550006', Body: 'hi' };
  t.is(
    await status('POST', '/sms/?id=7', { data, signature: sign('http://testserver/sms/?id=7', data) }),
    200,
  );
  t.is(await status('POST', '/sms/?id=7', { data, signature: sign('http://testserver/sms/', data) }), 403);
  t.is(
    await status('POST', '/sms/?id=7', {
      data,
      signature: sign('http://testserver/sms/?id=7', { ...data, id: '7' }),
    }),
    403,
  );
});

test('POST with a repeated field: every value is signed, sorted, as twilio expects (twilio-node vector)', async (t) => {
  const data = { 'MessagingBinding.Address': ['+1415xxxxxxx', '+1325xxxxxxx'] };
  const signature = '83O6e2vORAoJHUNzJjDWN1jz+BA=';
  t.is(
    await status('POST', '/myapp.php?foo=1&bar=2', {
      settings: settings({ TWILIO_AUTH_TOKEN: '12345' }),
      data,
      signature,
      secure: true,
      headers: { host: 'mycompany.com' },
    }),
    200,
  );
});

test('POST: a field named __proto__ is signed like any other', async (t) => {
  const data = JSON.parse('{"__proto__": "x", "Body": "hi"}') as Params;
  const signed = sign('http://testserver/sms/', data);
  t.is(await status('POST', '/sms/', { data, signature: signed }), 200);
  t.is(await status('POST', '/sms/', { data: { Body: 'hi' }, signature: signed }), 403);
});

test('POST: a bracketed field name stays flat (no qs-style nesting)', async (t) => {
  const data = { 'Foo[bar]': 'x', Body: 'hi' };
  t.is(await status('POST', '/sms/', { data, signature: sign('http://testserver/sms/', data) }), 200);
});

test("twilio-node's canonical vector validates through twilioView", async (t) => {
  const data = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675309',
    Digits: '1234',
    From: '+14158675309',
    To: '+18005551212',
  };
  const options = {
    settings: settings({ TWILIO_AUTH_TOKEN: '12345' }),
    data,
    secure: true,
    headers: { host: 'mycompany.com' },
  };
  t.is(
    await status('POST', '/myapp.php?foo=1&bar=2', { ...options, signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' }),
    200,
  );
  // Signed with ":443", received without it.
  t.is(
    await status('POST', '/myapp.php?foo=1&bar=2', { ...options, signature: 'kvajT1Ptam85bY51eRf/AJRuM3w=' }),
    200,
  );
});

// --- ports -------------------------------------------------------------------------------------

test('ports: a signature made with :443 (https) or :80 (http) matches a Host without a port', async (t) => {
  const data = { A: '1' };
  t.is(
    await status('POST', '/sms/', {
      data,
      signature: sign('https://mycompany.com:443/sms/', data),
      secure: true,
      headers: { host: 'mycompany.com' },
    }),
    200,
  );
  t.is(
    await status('POST', '/sms/', {
      data,
      signature: sign('http://mycompany.com:80/sms/', data),
      headers: { host: 'mycompany.com' },
    }),
    200,
  );
});

test('ports: a Host with a custom port matches a signature made with or without it, never another port', async (t) => {
  const headers = { host: 'mycompany.com:8443' };
  t.is(
    await status('GET', '/sms/', { signature: sign('https://mycompany.com/sms/'), secure: true, headers }),
    200,
  );
  t.is(
    await status('GET', '/sms/', {
      signature: sign('https://mycompany.com:8443/sms/'),
      secure: true,
      headers,
    }),
    200,
  );
  t.is(
    await status('GET', '/sms/', {
      signature: sign('https://mycompany.com:9443/sms/'),
      secure: true,
      headers,
    }),
    403,
  );
  t.is(
    await status('GET', '/sms/', {
      signature: sign('http://mycompany.com:8443/sms/'),
      secure: true,
      headers,
    }),
    403,
  );
});

// --- proxies -----------------------------------------------------------------------------------

test('proxy: X-Forwarded-Proto counts only with SECURE_PROXY_SSL_HEADER (django-twilio issues #62, #196)', async (t) => {
  const signature = sign('https://testserver/sms/');
  const headers = { 'X-Forwarded-Proto': 'https' };
  t.is(await status('GET', '/sms/', { signature, headers }), 403);
  const trusting = settings({ SECURE_PROXY_SSL_HEADER: ['HTTP_X_FORWARDED_PROTO', 'https'] });
  t.is(await status('GET', '/sms/', { settings: trusting, signature, headers }), 200);
  // A client cannot claim https where the setting names another header.
  const other = settings({ SECURE_PROXY_SSL_HEADER: ['HTTP_X_SCHEME', 'https'] });
  t.is(await status('GET', '/sms/', { settings: other, signature, headers }), 403);
});

test('proxy: X-Forwarded-Host counts only with USE_X_FORWARDED_HOST', async (t) => {
  const signature = sign('http://public.example.com/sms/');
  const headers = { host: 'internal', 'X-Forwarded-Host': 'public.example.com' };
  t.is(await status('GET', '/sms/', { signature, headers }), 403);
  t.is(
    await status('GET', '/sms/', { settings: settings({ USE_X_FORWARDED_HOST: true }), signature, headers }),
    200,
  );
});

test('proxy: X-Forwarded-Port counts only with USE_X_FORWARDED_PORT', async (t) => {
  const signature = sign('https://public.example.com:8443/sms/');
  const headers = { host: 'public.example.com', 'X-Forwarded-Port': '8443' };
  t.is(await status('GET', '/sms/', { signature, secure: true, headers }), 403);
  t.is(
    await status('GET', '/sms/', {
      settings: settings({ USE_X_FORWARDED_PORT: true }),
      signature,
      secure: true,
      headers,
    }),
    200,
  );
});

test('proxy: all three behind a TLS-terminating proxy, through the app', async (t) => {
  const client = new SigningClient(
    await Client.create(
      settings({
        SECURE_PROXY_SSL_HEADER: ['HTTP_X_FORWARDED_PROTO', 'https'],
        USE_X_FORWARDED_HOST: true,
        USE_X_FORWARDED_PORT: true,
      }),
    ),
    'https://public.example.com:8443',
  );
  const headers = {
    'X-Forwarded-Proto': 'https',
    'X-Forwarded-Host': 'public.example.com',
    'X-Forwarded-Port': '8443',
  };
  t.is((await client.post('/sms/', { Body: 'hi' }, { headers })).status, 200);
  t.is((await client.post('/sms/', { Body: 'hi' })).status, 403);
});

test('a Host outside ALLOWED_HOSTS is a 400 (DisallowedHost), not a 500', async (t) => {
  const client = await Client.create(settings());
  const response = await client.get('/sms/', {
    headers: { host: 'evil.example', 'X-Twilio-Signature': 'x' },
  });
  t.is(response.status, 400);
});

// --- base URL ----------------------------------------------------------------------------------

test('TWILIO_WEBHOOK_BASE_URL: the base plus the path and query replace scheme, host and port', async (t) => {
  const base = settings({ TWILIO_WEBHOOK_BASE_URL: 'https://abc.ngrok.app/' });
  const headers = { host: 'localhost:8000' };
  t.is(
    await status('GET', '/sms/?x=1', {
      settings: base,
      signature: sign('https://abc.ngrok.app/sms/?x=1'),
      headers,
    }),
    200,
  );
  t.is(
    await status('GET', '/sms/?x=1', {
      settings: base,
      signature: sign('http://localhost:8000/sms/?x=1'),
      headers,
    }),
    403,
  );
});

test('twilioView({ baseUrl }) beats TWILIO_WEBHOOK_BASE_URL', async (t) => {
  const view = twilioView({ baseUrl: 'https://hooks.example.com/twilio' })(() => '<Response/>');
  const rf = new RequestFactory({ settings: settings({ TWILIO_WEBHOOK_BASE_URL: 'https://abc.ngrok.app' }) });
  const good = await rf.get('/sms/', undefined, {
    headers: { 'X-Twilio-Signature': sign('https://hooks.example.com/twilio/sms/') },
  });
  t.is((await view(good, {})).statusCode, 200);
  const bad = await rf.get('/sms/', undefined, {
    headers: { 'X-Twilio-Signature': sign('https://abc.ngrok.app/sms/') },
  });
  t.is((await view(bad, {})).statusCode, 403);
});

test('a mount prefix: without a base URL the public path includes it; a base URL is followed by the path below it', async (t) => {
  const mounted = new Client(await createApp(settings(), { prefix: '/twilio' }));
  const plain = new SigningClient(mounted);
  t.is((await plain.post('/twilio/sms/', { Body: 'hi' })).status, 200);
  const based = new SigningClient(
    new Client(
      await createApp(settings({ TWILIO_WEBHOOK_BASE_URL: 'https://example.com/hooks' }), {
        prefix: '/twilio',
      }),
    ),
  );
  const data = { Body: 'hi' };
  const response = await based.client.post('/twilio/sms/', data, {
    headers: { 'X-Twilio-Signature': sign('https://example.com/hooks/sms/', data) },
  });
  t.is(response.status, 200);
});

test('webhookUrl(request, baseUrl?) is the URL the signature is checked against', async (t) => {
  const rf = new RequestFactory({ settings: settings() });
  const request = await rf.get('/sms/?b=2&a=1', undefined, { headers: { host: 'mycompany.com:8000' } });
  t.is(webhookUrl(request), 'http://mycompany.com:8000/sms/?b=2&a=1');
  t.is(webhookUrl(request, 'https://abc.ngrok.app'), 'https://abc.ngrok.app/sms/?b=2&a=1');
});

test('the path is checked exactly as the request line had it: non-canonical escapes (%7E, lower-case hex) stay as sent', async (t) => {
  const app = await createApp(settings({ ROOT_URLCONF: { urlpatterns: [path('hooks/<str:who>/', ok)] } }));
  const client = new Client(app);
  for (const target of ['/hooks/%7Ealice/', '/hooks/caf%c3%a9/']) {
    const data = { Body: 'hi' };
    const asSent = await client.post(target, data, {
      headers: { 'X-Twilio-Signature': sign(`http://testserver${target}`, data) },
    });
    t.is(asSent.status, 200, target);
    // The same path re-quoted the canonical way is not what the client signed.
    const requoted = target === '/hooks/%7Ealice/' ? '/hooks/~alice/' : '/hooks/caf%C3%A9/';
    const other = await client.post(target, data, {
      headers: { 'X-Twilio-Signature': sign(`http://testserver${requoted}`, data) },
    });
    t.is(other.status, 403, target);
  }
});

test('HttpRequest#META.RAW_URI is the request target as sent, mount prefix and query included', async (t) => {
  const seen: string[] = [];
  const app = await createApp(
    settings({
      ROOT_URLCONF: {
        urlpatterns: [
          path('<path:rest>', async (request) => {
            seen.push(request.META.RAW_URI ?? '');
            return new HttpResponse('');
          }),
        ],
      },
    }),
    { prefix: '/twilio' },
  );
  await new Client(app).get('/twilio/a%2Fb/%7E?x=%20y');
  t.deepEqual(seen, ['/twilio/a%2Fb/%7E?x=%20y']);
});

// --- JSON bodies (bodySHA256) --------------------------------------------------------------------

const JSON_BODY = '{"property": "value", "boolean": true}';
const HASH = twilio.getExpectedBodyHash(JSON_BODY);

async function jsonStatus(
  target: string,
  body: string | Buffer,
  signature: string,
  contentType = 'application/json',
) {
  const rf = new RequestFactory({ settings: settings() });
  const request = await rf.post(target, body, { contentType, headers: { 'X-Twilio-Signature': signature } });
  return (await ok(request, {})).statusCode;
}

test('JSON body: a URL with bodySHA256 is signed alone and the raw body must hash to it', async (t) => {
  const target = `/sms/?bodySHA256=${HASH}`;
  const signature = sign(`http://testserver${target}`);
  t.is(await jsonStatus(target, JSON_BODY, signature), 200);
  t.is(await jsonStatus(target, JSON_BODY.replace('value', 'VALUE'), signature), 403, 'tampered body');
  t.is(await jsonStatus(target, ` ${JSON_BODY}`, signature), 403, 'the bytes, not the JSON value');
});

test("JSON body: twilio-node's vector validates through twilioView", async (t) => {
  const rf = new RequestFactory({ settings: settings({ TWILIO_AUTH_TOKEN: '12345' }) });
  const request = await rf.post(`/myapp.php?foo=1&bar=2&bodySHA256=${HASH}`, JSON_BODY, {
    contentType: 'application/json',
    secure: true,
    headers: { host: 'mycompany.com', 'X-Twilio-Signature': 'a9nBmqA0ju/hNViExpshrM61xv4=' },
  });
  t.is((await ok(request, {})).statusCode, 200);
});

test('JSON body: missing or empty bodySHA256 fails', async (t) => {
  t.is(await jsonStatus('/sms/', JSON_BODY, sign('http://testserver/sms/')), 403, 'no hash in the URL');
  t.is(await jsonStatus('/sms/?bodySHA256=', JSON_BODY, sign('http://testserver/sms/?bodySHA256=')), 403);
});

test('bodySHA256 is checked whatever the Content-Type says (a form body cannot skip it)', async (t) => {
  const form = 'Body=hi';
  const target = `/sms/?bodySHA256=${twilio.getExpectedBodyHash(form)}`;
  const signature = sign(`http://testserver${target}`);
  const formType = 'application/x-www-form-urlencoded';
  t.is(await jsonStatus(target, form, signature, formType), 200);
  t.is(await jsonStatus(target, 'Body=forged', signature, formType), 403);
});

test('bodySHA256 escaped in the query (body%53HA256) is still the body hash: the body cannot be swapped', async (t) => {
  // twilio's validator also tries the query re-encoded by querystring, which unescapes the
  // name: a captured JSON signature must not let an empty or other body through.
  const signature = sign(`http://testserver/sms/?bodySHA256=${HASH}`);
  const escaped = `/sms/?body%53HA256=${HASH}`;
  t.is(await jsonStatus(escaped, JSON_BODY, signature), 200, 'the body that was signed');
  t.is(await jsonStatus(escaped, '', signature), 403, 'an empty body');
  t.is(await jsonStatus(escaped, '', signature, 'application/x-www-form-urlencoded'), 403, 'an empty form');
  t.is(await jsonStatus(`/sms/?%62odySHA256=${HASH}`, '', signature, 'text/plain'), 403);
});

test('a body that is not UTF-8 fails the bodySHA256 check instead of throwing', async (t) => {
  const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
  const target = `/sms/?bodySHA256=${'0'.repeat(64)}`;
  t.is(await jsonStatus(target, bytes, sign(`http://testserver${target}`)), 403);
});

// --- malformed input -----------------------------------------------------------------------------

test('malformed or oversize bodies get a 4xx, never a 500', async (t) => {
  const client = await Client.create(
    settings({ DATA_UPLOAD_MAX_MEMORY_SIZE: 100, DATA_UPLOAD_MAX_NUMBER_FIELDS: 5 }),
  );
  const signature = { 'X-Twilio-Signature': sign('http://testserver/sms/') };
  const cases: [string, string | Buffer, string][] = [
    ['oversize form', `Body=${'x'.repeat(200)}`, 'application/x-www-form-urlencoded'],
    ['too many fields', 'a=1&b=2&c=3&d=4&e=5&f=6', 'application/x-www-form-urlencoded'],
    ['latin-1 form', 'Body=caf%E9', 'application/x-www-form-urlencoded; charset=latin-1'],
    ['bad escapes', 'Body=%zz%&=&&', 'application/x-www-form-urlencoded'],
    [
      'multipart',
      '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
      'multipart/form-data; boundary=x',
    ],
    ['broken multipart', '--x\r\nnonsense', 'multipart/form-data; boundary=x'],
    ['XML', '<Response/>', 'text/xml'],
  ];
  for (const [name, body, contentType] of cases) {
    const response = await client.post('/sms/', body, { contentType, headers: signature });
    t.true(response.status >= 400 && response.status < 500, `${name}: ${response.status}`);
  }
});

test('validateTwilioRequest(request, authToken) fails closed without a token: a signature made with an empty key is refused', async (t) => {
  const rf = new RequestFactory({ settings: settings() });
  const forged = sign('http://testserver/sms/', { Body: 'hi' }, '');
  const request = await rf.post('/sms/', { Body: 'hi' }, { headers: { 'X-Twilio-Signature': forged } });
  t.like(validateTwilioRequest(request, ''), { valid: false, reason: 'missing-auth-token' });
  t.like(validateTwilioRequest(request, undefined as unknown as string), {
    valid: false,
    reason: 'missing-auth-token',
  });
});

test('an unparsable URL behind a base URL fails closed', async (t) => {
  const rf = new RequestFactory({ settings: settings() });
  const request = await rf.get('/sms/', undefined, { headers: { 'X-Twilio-Signature': 'x' } });
  const result = validateTwilioRequest(request, TOKEN, { baseUrl: 'http://[bad' });
  t.false(result.valid);
});

// --- logging -------------------------------------------------------------------------------------

test.serial(
  'a failed check is logged on koa-django.twilio with its reason, the URL at debug level, never the token',
  async (t) => {
    const records: LogRecord[] = [];
    const stop = addLogHandler((record) => record.logger === 'koa-django.twilio' && records.push(record));
    t.teardown(stop);
    await status('POST', '/sms/?x=1', { data: { Body: 'hi' }, signature: 'forged' });
    const rf = new RequestFactory({ settings: settings() });
    await ok(await rf.post('/sms/', { Body: 'hi' }), {});
    t.deepEqual(
      records.map((r) => [r.level, r.message]),
      [
        ['warning', 'Twilio signature check failed (invalid-signature): POST /sms/'],
        ['debug', records[1]?.message as string],
        ['warning', 'Twilio signature check failed (missing-signature): POST /sms/'],
        ['debug', records[3]?.message as string],
      ],
    );
    t.regex(records[1]?.message ?? '', /checked against http:\/\/testserver\/sms\/\?x=1\. /);
    t.false(JSON.stringify(records.map((r) => [r.message, r.extra?.reason, r.extra?.url])).includes(TOKEN));
  },
);
