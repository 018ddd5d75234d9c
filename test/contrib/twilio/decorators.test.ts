/**
 * twilioView(view) through the real app: django-twilio's TwilioViewTestCase (its items 1–11,
 * 19–34) on function views, plus the cases it lacks (the Allow header, HEAD, CSRF exemption).
 * Class-based twins are in decorators-class.test.ts, the blacklist in decorators-blacklist.db.test.ts.
 */
import test from 'ava';
import twilio from 'twilio';
import { twilioView } from '../../../src/contrib/twilio/index.ts';
import { ImproperlyConfigured } from '../../../src/exceptions.ts';
import { HttpResponse } from '../../../src/http/response.ts';
import { CsrfViewMiddleware } from '../../../src/middleware/index.ts';
import { path } from '../../../src/urls/index.ts';
import { Client } from '../../helpers/client.ts';
import { RequestFactory } from '../../helpers/request-factory.ts';
import * as urls from './fixtures/urls.ts';
import { RESPONSE_BODY, STR_BODY, strView } from './fixtures/views.ts';
import { SigningClient, sign, TOKEN, twilioSettings } from './helpers.ts';

const URIS = ['str', 'bytes', 'verb', 'response'].map((kind) => `/test_app/decorators/${kind}_view/`);
const STR = '/test_app/decorators/str_view/';

function settings(overrides: Record<string, unknown> = {}) {
  // CsrfViewMiddleware in MIDDLEWARE: django-twilio's enforce_csrf_checks=True client.
  return twilioSettings({ ROOT_URLCONF: urls, MIDDLEWARE: [CsrfViewMiddleware], ...overrides });
}

test('twilioView(view) with protection on (DEBUG false): unsigned GET/POST get 403, other methods 405 with Allow: GET, POST', async (t) => {
  const client = await Client.create(settings());
  for (const uri of URIS) {
    t.is((await client.get(uri)).status, 403, `GET ${uri}`);
    t.is((await client.post(uri)).status, 403, `POST ${uri}`);
    for (const method of ['HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']) {
      const response = await client.request(method, uri);
      t.is(response.status, 405, `${method} ${uri}`);
      // django-twilio sends the method's letters here ("P, U, T"); fixed deliberately.
      t.is(response.headers.allow, 'GET, POST', `${method} ${uri}`);
    }
  }
});

test('twilioView(view) with DEBUG true (protection off): every method reaches the view, POST without a CSRF token too', async (t) => {
  const client = await Client.create(settings({ DEBUG: true }));
  for (const uri of URIS) {
    for (const method of ['GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']) {
      t.is((await client.request(method, uri)).status, 200, `${method} ${uri}`);
    }
  }
});

test('twilioView(view) marks the view csrfExempt and keeps its name', (t) => {
  t.true(strView.csrfExempt);
  t.is(strView.name, 'strView');
  t.is(typeof strView.ready, 'function');
});

test('twilioView(view) lets a signed POST through', async (t) => {
  const client = await SigningClient.create(settings());
  const response = await client.post(STR, { From: '+12222222222' });
  t.is(response.status, 200);
  t.is(response.text, STR_BODY);
});

test('twilioView(view) lets a signed GET without a query string through', async (t) => {
  const client = await SigningClient.create(settings());
  t.is((await client.get(STR)).status, 200);
});

test('twilioView(view) answers 403 to a POST without X-Twilio-Signature, 200 when DEBUG switches protection off', async (t) => {
  t.is((await (await Client.create(settings())).post(STR, { From: '+1' })).status, 403);
  t.is((await (await Client.create(settings({ DEBUG: true }))).post(STR, { From: '+1' })).status, 200);
});

test('twilioView(view) answers 403 to a wrong signature on POST and GET, 200 when DEBUG switches protection off', async (t) => {
  const headers = { 'X-Twilio-Signature': 'fake_signature' };
  const on = await Client.create(settings());
  t.is((await on.post(STR, { From: '+1' }, { headers })).status, 403);
  t.is((await on.get(STR, { headers })).status, 403);
  const off = await Client.create(settings({ DEBUG: true }));
  t.is((await off.post(STR, { From: '+1' }, { headers })).status, 200);
  t.is((await off.get(STR, { headers })).status, 200);
});

test('twilioView(view) answers 403 to an empty X-Twilio-Signature and to one made with another token', async (t) => {
  const client = await Client.create(settings());
  t.is((await client.post(STR, {}, { headers: { 'X-Twilio-Signature': '' } })).status, 403);
  const other = sign(`http://testserver${STR}`, {}, 'another-token');
  t.is((await client.post(STR, {}, { headers: { 'X-Twilio-Signature': other } })).status, 403);
});

test('twilioView(view) fails the signature when a signed form field is changed', async (t) => {
  const client = await Client.create(settings());
  const signature = sign(`http://testserver${STR}`, { Body: 'hello' });
  t.is(
    (await client.post(STR, { Body: 'hello' }, { headers: { 'X-Twilio-Signature': signature } })).status,
    200,
  );
  t.is(
    (await client.post(STR, { Body: 'HELLO' }, { headers: { 'X-Twilio-Signature': signature } })).status,
    403,
  );
  t.is(
    (await client.post(STR, { Body: 'hello', Extra: 'x' }, { headers: { 'X-Twilio-Signature': signature } }))
      .status,
    403,
  );
});

test('createApp(settings) refuses to start when protection is on and no auth token is configured (django-twilio: 403 per request)', async (t) => {
  const error = await t.throwsAsync(
    Client.create(settings({ TWILIO_ACCOUNT_SID: null, TWILIO_AUTH_TOKEN: null })),
    { instanceOf: ImproperlyConfigured },
  );
  t.regex(
    error.message,
    /Twilio view `strView`: it checks X-Twilio-Signature .* no auth token is configured/,
  );
  t.regex(error.message, /TWILIO_AUTH_TOKEN/);
});

test('createApp(settings) starts without a token when DEBUG switches protection off; unsigned POSTs get 200', async (t) => {
  const client = await Client.create(
    settings({ DEBUG: true, TWILIO_ACCOUNT_SID: null, TWILIO_AUTH_TOKEN: null }),
  );
  t.is((await client.post(STR, { From: '+1' })).status, 200);
});

test('twilioView(view) called outside a urlconf (no ready hook) with no token fails closed with 403', async (t) => {
  const rf = new RequestFactory({
    settings: twilioSettings({ TWILIO_ACCOUNT_SID: null, TWILIO_AUTH_TOKEN: null }),
  });
  const view = twilioView(() => '<Response/>');
  const response = await view(await rf.post('/x/', { From: '+1' }), {});
  t.is(response.statusCode, 403);
});

test('twilioView(view) turns a returned string into 200 application/xml, unchanged', async (t) => {
  const client = await SigningClient.create(settings());
  const response = await client.post(STR);
  t.is(response.status, 200);
  t.is(response.headers['content-type'], 'application/xml');
  t.is(response.text, STR_BODY);
});

test('twilioView(view) turns a returned Buffer into 200 application/xml, unchanged', async (t) => {
  const client = await SigningClient.create(settings());
  const response = await client.post('/test_app/decorators/bytes_view/');
  t.is(response.headers['content-type'], 'application/xml');
  t.is(response.text, STR_BODY);
});

test('twilioView(view) renders a returned TwiML object with its XML declaration', async (t) => {
  const client = await SigningClient.create(settings());
  const response = await client.post('/test_app/decorators/verb_view/');
  t.is(response.headers['content-type'], 'application/xml');
  t.is(response.text, '<?xml version="1.0" encoding="UTF-8"?><Response><Reject/></Response>');
});

test('twilioView(view) passes a returned HttpResponse through with its own content type', async (t) => {
  const client = await SigningClient.create(settings());
  const response = await client.post('/test_app/decorators/response_view/');
  t.is(response.status, 200);
  t.is(response.headers['content-type'], 'text/xml');
  t.is(response.text, RESPONSE_BODY);
});

test('twilioView(view) renders any TwiML node, e.g. the verb a response returned', async (t) => {
  const rf = new RequestFactory({ settings: twilioSettings({ DJANGO_TWILIO_FORGERY_PROTECTION: false }) });
  const view = twilioView(() => new twilio.twiml.VoiceResponse().say('hi'));
  const response = await view(await rf.get('/x/'), {});
  t.is(response.text, '<?xml version="1.0" encoding="UTF-8"?><Response><Say>hi</Say></Response>');
});

test('twilioView(view) names the view when it returns something that is not TwiML or a response', async (t) => {
  const rf = new RequestFactory({ settings: twilioSettings({ DJANGO_TWILIO_FORGERY_PROTECTION: false }) });
  const forgot = twilioView(function forgot() {
    return undefined as never;
  });
  const get = await rf.get('/x/');
  await t.throwsAsync(async () => forgot(get, {}), {
    message: /^Twilio view `forgot` returned undefined\. .*did you forget `return`\?$/,
  });
  const numeric = twilioView(function numeric() {
    return 42 as never;
  });
  await t.throwsAsync(async () => numeric(get, {}), {
    message: /^Twilio view `numeric` returned a number\. .*twilio\.twiml\.VoiceResponse/,
  });
});

test('twilioView(view) that returns nothing becomes a 500 through the app', async (t) => {
  const view = twilioView(function silent() {
    return undefined as never;
  });
  const client = await Client.create(
    twilioSettings({
      DJANGO_TWILIO_FORGERY_PROTECTION: false,
      ROOT_URLCONF: { urlpatterns: [path('x/', view)] },
    }),
  );
  t.is((await client.get('/x/')).status, 500);
});

for (const [forgery, debug, expected] of [
  [false, false, 200],
  [false, true, 200],
  [true, false, 403],
  [true, true, 403],
] as const) {
  test(`DJANGO_TWILIO_FORGERY_PROTECTION=${forgery} with DEBUG=${debug}: a fake signature gets ${expected}`, async (t) => {
    const client = await Client.create(settings({ DJANGO_TWILIO_FORGERY_PROTECTION: forgery, DEBUG: debug }));
    const response = await client.post(STR, { From: '+1' }, { headers: { 'X-Twilio-Signature': 'fake' } });
    t.is(response.status, expected);
  });
}

test('twilioView({ forgeryProtection }) beats the setting in both directions', async (t) => {
  const rf = new RequestFactory({ settings: twilioSettings() });
  const open = twilioView({ forgeryProtection: false })(() => '<Response/>');
  t.is((await open(await rf.post('/x/', {}), {})).statusCode, 200);
  const strictRf = new RequestFactory({ settings: twilioSettings({ DEBUG: true }) });
  const strict = twilioView({ forgeryProtection: true })(() => '<Response/>');
  t.is((await strict(await strictRf.post('/x/', {}), {})).statusCode, 403);
});

test('twilioView({ authToken }) checks signatures with that token instead of the settings one', async (t) => {
  const rf = new RequestFactory({
    settings: twilioSettings({ TWILIO_ACCOUNT_SID: null, TWILIO_AUTH_TOKEN: null }),
  });
  const view = twilioView({ authToken: 'per-view-token' })(() => '<Response/>');
  const good = sign('http://testserver/x/', { A: '1' }, 'per-view-token');
  t.is(
    (await view(await rf.post('/x/', { A: '1' }, { headers: { 'X-Twilio-Signature': good } }), {}))
      .statusCode,
    200,
  );
  const settingsSigned = sign('http://testserver/x/', { A: '1' }, TOKEN);
  t.is(
    (await view(await rf.post('/x/', { A: '1' }, { headers: { 'X-Twilio-Signature': settingsSigned } }), {}))
      .statusCode,
    403,
  );
});

test('twilioView(options) refuses unknown options and wrong types', (t) => {
  t.throws(() => twilioView({ forgeryprotection: false } as never), {
    instanceOf: ImproperlyConfigured,
    message: /has no option 'forgeryprotection'/,
  });
  t.throws(() => twilioView({ blacklistCheck: 'no' } as never), {
    message: /must be a boolean, not a string/,
  });
  t.throws(() => twilioView({ baseUrl: 'abc.ngrok.app' }), { message: /is not an absolute URL/ });
  t.throws(() => twilioView({})('nope' as never), { instanceOf: TypeError });
});

test('twilioView(view) keeps `this` for methods', async (t) => {
  const rf = new RequestFactory({ settings: twilioSettings({ DJANGO_TWILIO_FORGERY_PROTECTION: false }) });
  const handler = {
    greeting: 'Hello from a method',
    post: twilioView(function post(this: { greeting: string }) {
      return new HttpResponse(this.greeting);
    }),
  };
  t.is((await handler.post(await rf.post('/x/', {}), {})).text, 'Hello from a method');
});

test('twilioView(view) refuses to be called with something other than an HttpRequest', async (t) => {
  await t.throwsAsync(async () => strView({} as never, {}), {
    message: /was called with an Object where an HttpRequest belongs/,
  });
});
