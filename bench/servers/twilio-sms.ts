/**
 * A signed Twilio SMS webhook through the whole koa-django pipeline: `POST /sms/` with a valid
 * `X-Twilio-Signature` over the public URL and the form fields, forgery protection and the
 * caller blacklist on (an in-memory PGlite holding a few blacklisted numbers; the sender is not
 * one of them), answered with a MessagingResponse.
 * `node --import=tsx bench/servers/twilio-sms.ts <port>`
 *
 * Per request this costs what a real webhook costs: parsing the form body, one HMAC-SHA1 (the
 * `twilio` package's validator), normalising `From` and a Set lookup in the in-process
 * blacklist (no database round trip), and rendering TwiML.
 *
 * @module
 */
import twilio from 'twilio';
import { createApp } from '../../src/app.ts';
import { defineSettings } from '../../src/conf/index.ts';
import { addCaller } from '../../src/contrib/twilio/callers.ts';
import { defaultCredentials } from '../../src/contrib/twilio/credentials.ts';
import { twilioView } from '../../src/contrib/twilio/index.ts';
import { getDatabase, migrate } from '../../src/db/index.ts';
import { path } from '../../src/urls/index.ts';
import { serve } from './serve.ts';
import { AUTH_TOKEN, BLACKLISTED, REPLY, smsWebhook } from './twilio-request.ts';

const sms = twilioView(function sms() {
  const reply = new twilio.twiml.MessagingResponse();
  reply.message(REPLY);
  return reply;
});

const settings = defineSettings({
  DEBUG: false,
  SECRET_KEY: 'bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
  ALLOWED_HOSTS: ['127.0.0.1', 'localhost'],
  ROOT_URLCONF: { urlpatterns: [path('sms/', sms, 'sms')] },
  DATABASE_URL: 'pglite:memory',
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  // The defaults, spelled out: signatures checked (DEBUG is off), blacklist on.
  DJANGO_TWILIO_FORGERY_PROTECTION: null,
  DJANGO_TWILIO_BLACKLIST_CHECK: true,
});

const knex = getDatabase(settings);
await migrate(knex);
for (const number of BLACKLISTED) await addCaller(knex, number, { blacklisted: true });
// createApp awaits the blacklist's first load (the view's ready hook).
const app = await createApp(settings);
// The token the view checks with: the environment pair if set, else the settings above.
const token = defaultCredentials(settings)?.authToken ?? '';

await serve(app.callback(), (origin) => smsWebhook(origin, token));
