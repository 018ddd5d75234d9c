/**
 * twilioView on class-based views, through `methodDecorator(twilioView, 'dispatch')` and on one
 * method: the class-view half of django-twilio's TwilioViewTestCase (items 1, 2, 5, 7, 8–11,
 * 13, 20–34 "_class_view").
 */
import test from 'ava';
import { ImproperlyConfigured } from '../../../src/exceptions.ts';
import { CsrfViewMiddleware } from '../../../src/middleware/index.ts';
import { Client } from '../../helpers/client.ts';
import * as urls from './fixtures/urls.ts';
import { RESPONSE_BODY, STR_BODY, StrView } from './fixtures/views.ts';
import { SigningClient, twilioSettings } from './helpers.ts';

const URIS = ['str', 'bytes', 'verb', 'response'].map((kind) => `/test_app/decorators/${kind}_class_view/`);
const STR = '/test_app/decorators/str_class_view/';

function settings(overrides: Record<string, unknown> = {}) {
  return twilioSettings({ ROOT_URLCONF: urls, MIDDLEWARE: [CsrfViewMiddleware], ...overrides });
}

test('class views with protection on: unsigned GET/POST get 403, other methods 405 with Allow: GET, POST', async (t) => {
  const client = await Client.create(settings());
  for (const uri of URIS) {
    t.is((await client.get(uri)).status, 403, `GET ${uri}`);
    t.is((await client.post(uri)).status, 403, `POST ${uri}`);
    for (const method of ['HEAD', 'OPTIONS', 'PUT', 'DELETE']) {
      const response = await client.request(method, uri);
      t.is(response.status, 405, `${method} ${uri}`);
      t.is(response.headers.allow, 'GET, POST');
    }
  }
});

test('class views with DEBUG true: GET/POST/HEAD/OPTIONS reach the view (CSRF-exempt), PUT/DELETE get the View 405', async (t) => {
  const client = await Client.create(settings({ DEBUG: true }));
  for (const uri of URIS) {
    for (const method of ['GET', 'POST', 'HEAD', 'OPTIONS']) {
      t.is((await client.request(method, uri)).status, 200, `${method} ${uri}`);
    }
    for (const method of ['PUT', 'DELETE'])
      t.is((await client.request(method, uri)).status, 405, `${method} ${uri}`);
  }
});

test('methodDecorator(twilioView, "dispatch") keeps the name dispatch and puts the flags on asView()', (t) => {
  t.is(StrView.prototype.dispatch.name, 'dispatch');
  const view = StrView.asView();
  t.true(view.csrfExempt);
  t.is(typeof view.ready, 'function');
});

test('a class view lets a signed POST and a signed GET through', async (t) => {
  const client = await SigningClient.create(settings());
  t.is((await client.post(STR, { From: '+12222222222' })).status, 200);
  t.is((await client.post(STR)).status, 200, 'no From');
  t.is((await client.get(STR)).status, 200);
});

test('a class view answers 403 to a missing or wrong signature, 200 when DEBUG switches protection off', async (t) => {
  const on = await Client.create(settings());
  t.is((await on.post(STR, { From: '+1' })).status, 403);
  t.is(
    (await on.post(STR, { From: '+1' }, { headers: { 'X-Twilio-Signature': 'fake_signature' } })).status,
    403,
  );
  t.is((await on.get(STR, { headers: { 'X-Twilio-Signature': 'fake_signature' } })).status, 403);
  const off = await Client.create(settings({ DEBUG: true }));
  t.is((await off.post(STR, { From: '+1' })).status, 200);
  t.is(
    (await off.post(STR, { From: '+1' }, { headers: { 'X-Twilio-Signature': 'fake_signature' } })).status,
    200,
  );
});

test('createApp(settings) refuses a class view that checks signatures without a token', async (t) => {
  await t.throwsAsync(Client.create(settings({ TWILIO_ACCOUNT_SID: null, TWILIO_AUTH_TOKEN: null })), {
    instanceOf: ImproperlyConfigured,
    message: /no auth token is configured/,
  });
});

test('class views convert what their handlers return: string, Buffer, TwiML, HttpResponse', async (t) => {
  const client = await SigningClient.create(settings());
  const str = await client.post(STR);
  t.is(str.headers['content-type'], 'application/xml');
  t.is(str.text, STR_BODY);
  t.is((await client.post('/test_app/decorators/bytes_class_view/')).text, STR_BODY);
  t.is(
    (await client.post('/test_app/decorators/verb_class_view/')).text,
    '<?xml version="1.0" encoding="UTF-8"?><Response><Reject/></Response>',
  );
  const response = await client.post('/test_app/decorators/response_class_view/');
  t.is(response.headers['content-type'], 'text/xml');
  t.is(response.text, RESPONSE_BODY);
});

for (const [forgery, debug, expected] of [
  [false, false, 200],
  [false, true, 200],
  [true, false, 403],
  [true, true, 403],
] as const) {
  test(`class view, DJANGO_TWILIO_FORGERY_PROTECTION=${forgery} with DEBUG=${debug}: a fake signature gets ${expected}`, async (t) => {
    const client = await Client.create(settings({ DJANGO_TWILIO_FORGERY_PROTECTION: forgery, DEBUG: debug }));
    const response = await client.post(STR, { From: '+1' }, { headers: { 'X-Twilio-Signature': 'fake' } });
    t.is(response.status, expected);
  });
}

test('twilioView on a single method (methodDecorator(twilioView)) checks that method and keeps `this`', async (t) => {
  const plain = twilioSettings({ ROOT_URLCONF: urls });
  const signed = await SigningClient.create(plain);
  const response = await signed.post('/test_app/decorators/post_only_view/');
  t.is(response.status, 200);
  t.is(response.text, 'Hello from post');
  t.is((await signed.request('POST', '/test_app/decorators/post_only_view/')).status, 403);
});
