/**
 * twilioView's caller blacklist against a real database and the real in-process Blacklist:
 * django-twilio's items 12–18, plus the order of the checks, GET vs POST, the switches, and
 * phone normalisation of `From` with TWILIO_PHONENUMBER_DEFAULT_REGION.
 */
import test from 'ava';
import type { Settings } from '../../../src/conf/index.ts';
import { blacklistFor } from '../../../src/contrib/twilio/blacklist.ts';
import { addCaller, setBlacklisted } from '../../../src/contrib/twilio/callers.ts';
import { twilioView } from '../../../src/contrib/twilio/index.ts';
import { path } from '../../../src/urls/index.ts';
import { Client } from '../../helpers/client.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import * as urls from './fixtures/urls.ts';
import { STR_BODY } from './fixtures/views.ts';
import { SigningClient, twilioSettings } from './helpers.ts';

const NOTHING = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const REJECT = '<?xml version="1.0" encoding="UTF-8"?><Response><Reject/></Response>';
const STR = '/test_app/decorators/str_view/';
const VERB = '/test_app/decorators/verb_view/';
const ALLOWED = '+15005550000';
const BLOCKED = '+15005550001';

let db: TestDatabase;

test.before(async () => {
  db = await createTestDatabase();
  await addCaller(db.knex, ALLOWED);
  await addCaller(db.knex, BLOCKED, { blacklisted: true });
});

test.after.always(async () => {
  await db?.destroy();
});

/** Settings with the blacklist on, reading the test database. */
function settings(overrides: Record<string, unknown> = {}): Settings {
  const result = twilioSettings({
    ROOT_URLCONF: urls,
    DJANGO_TWILIO_BLACKLIST_CHECK: true,
    DATABASE_URL: db.settings.DATABASE_URL,
    ...overrides,
  });
  blacklistFor(result, { knex: db.knex });
  return result;
}

async function signing(overrides: Record<string, unknown> = {}) {
  return SigningClient.create(settings(overrides));
}

test('a signed POST without From reaches the view', async (t) => {
  const response = await (await signing()).post(STR, { Body: 'hi' });
  t.is(response.status, 200);
  t.is(response.text, STR_BODY);
});

test('a signed POST from a number that is not a Caller, or a Caller not blacklisted, reaches the view', async (t) => {
  const client = await signing();
  t.is((await client.post(STR, { From: '+12222222222' })).text, STR_BODY);
  t.is((await client.post(STR, { From: ALLOWED })).text, STR_BODY);
});

test('a blacklisted message sender gets an empty <Response/> (django-twilio: a bare, invalid <Message />), DEBUG on or off', async (t) => {
  for (const debug of [false, true]) {
    const response = await (await signing({ DEBUG: debug })).post(STR, { From: BLOCKED, Body: 'spam' });
    t.is(response.status, 200);
    t.is(response.headers['content-type'], 'application/xml');
    t.is(response.text, NOTHING, `DEBUG ${debug}`);
  }
});

test('a blacklisted caller (a CallSid, in any case) is rejected, DEBUG on or off', async (t) => {
  for (const debug of [false, true]) {
    const client = await signing({ DEBUG: debug });
    t.is((await client.post(VERB, { From: BLOCKED, callsid: 'CA123' })).text, REJECT);
    t.is((await client.post(STR, { From: BLOCKED, CallSid: 'CA123' })).text, REJECT);
  }
});

test('an empty CallSid is not a call: the blacklisted sender gets <Response/>', async (t) => {
  t.is((await (await signing()).post(STR, { From: BLOCKED, CallSid: '' })).text, NOTHING);
});

test('the signature is checked first: an unsigned request from a blacklisted number gets 403', async (t) => {
  const client = await Client.create(settings());
  t.is((await client.post(STR, { From: BLOCKED })).status, 403);
});

test('the blacklist applies with forgery protection off too', async (t) => {
  const client = await Client.create(settings({ DJANGO_TWILIO_FORGERY_PROTECTION: false }));
  t.is((await client.post(STR, { From: BLOCKED })).text, NOTHING);
});

test('GET reads From from the query string; POST only from the body', async (t) => {
  const client = await signing();
  t.is((await client.get(`${STR}?From=%2B15005550001`)).text, NOTHING);
  t.is((await client.post(`${STR}?From=%2B15005550001`, { Body: 'hi' })).text, STR_BODY);
  t.is((await client.post(STR, { from: BLOCKED })).text, STR_BODY, 'the name is exactly From');
});

test('DJANGO_TWILIO_BLACKLIST_CHECK false, or twilioView({ blacklistCheck: false }), lets a blacklisted caller through', async (t) => {
  const off = await signing({ DJANGO_TWILIO_BLACKLIST_CHECK: false });
  t.is((await off.post(STR, { From: BLOCKED })).text, STR_BODY);

  const open = twilioView({ blacklistCheck: false })(() => STR_BODY);
  const client = await signing({ ROOT_URLCONF: { urlpatterns: [path('open/', open)] } });
  t.is((await client.post('/open/', { From: BLOCKED })).text, STR_BODY);
});

test('From is normalised to E.164 before the lookup; numbers without a country code need TWILIO_PHONENUMBER_DEFAULT_REGION', async (t) => {
  const plain = await signing();
  t.is((await plain.post(STR, { From: '+1 500-555-0001' })).text, NOTHING);
  t.is((await plain.post(STR, { From: '(500) 555-0001' })).text, STR_BODY);
  t.is((await plain.post(STR, { From: '15005550001' })).text, STR_BODY);

  const us = await signing({ TWILIO_PHONENUMBER_DEFAULT_REGION: 'US' });
  t.is((await us.post(STR, { From: '(500) 555-0001' })).text, NOTHING);
  t.is((await us.post(STR, { From: '500-555-0001' })).text, NOTHING);
  t.is((await us.post(STR, { From: 'client:alice' })).text, STR_BODY, 'not a number: looked up as sent');
});

test("From with Twilio's channel prefix (whatsapp:+1…) is the number behind it, as phonenumbers reads it for django-twilio", async (t) => {
  const plain = await signing();
  t.is((await plain.post(STR, { From: `whatsapp:${BLOCKED}` })).text, NOTHING);
  t.is((await plain.post(STR, { From: `whatsapp:${BLOCKED}`, CallSid: 'CA1' })).text, REJECT);
  t.is((await plain.post(STR, { From: `whatsapp:${ALLOWED}` })).text, STR_BODY);
  t.is(
    (await plain.post(STR, { From: `sip:${BLOCKED}@example.com` })).text,
    STR_BODY,
    'a SIP address is no number',
  );
  const us = await signing({ TWILIO_PHONENUMBER_DEFAULT_REGION: 'US' });
  t.is((await us.post(STR, { From: 'whatsapp:(500) 555-0001' })).text, NOTHING);
});

test.serial('a change through the Caller API is seen by the next request, without restarting', async (t) => {
  const client = await signing();
  const number = '+15005550009';
  await addCaller(db.knex, number);
  t.is((await client.post(STR, { From: number })).text, STR_BODY);
  await setBlacklisted(db.knex, number, true);
  t.is((await client.post(STR, { From: number })).text, NOTHING);
  await setBlacklisted(db.knex, number, false);
  t.is((await client.post(STR, { From: number })).text, STR_BODY);
});

test('class views: a blacklisted sender gets <Response/>, a blacklisted caller is rejected, DEBUG on or off', async (t) => {
  for (const debug of [false, true]) {
    const client = await signing({ DEBUG: debug });
    t.is((await client.post('/test_app/decorators/str_class_view/', { From: BLOCKED })).text, NOTHING);
    t.is(
      (await client.post('/test_app/decorators/verb_class_view/', { From: BLOCKED, callsid: 'CA1' })).text,
      REJECT,
    );
    t.is((await client.post('/test_app/decorators/str_class_view/', { From: ALLOWED })).text, STR_BODY);
  }
});
