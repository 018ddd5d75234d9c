/**
 * The same signed SMS webhook as `twilio-sms`, hand-written on bare Koa with the least a correct
 * handler does: read the raw body (raw-body), parse the form (URLSearchParams), check the
 * signature with the `twilio` package over `http://<Host><url>` (one HMAC, constant-time
 * compare), look `From` up in an in-memory Set, and reply with a MessagingResponse. No
 * framework, no proxy handling, no port variants, no phone normalisation: a floor for what any
 * Twilio webhook costs on this machine. `node --import=tsx bench/servers/koa-twilio-sms.ts <port>`
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import Koa from 'koa';
import getRawBody from 'raw-body';
import twilio from 'twilio';
import { serve } from './serve.ts';
import { AUTH_TOKEN, BLACKLISTED, REPLY, smsWebhook } from './twilio-request.ts';

const blacklist = new Set(BLACKLISTED);

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.method !== 'POST' || ctx.path !== '/sms/') ctx.throw(404);
  const raw = await getRawBody(ctx.req, { length: ctx.get('content-length'), limit: '1mb' });
  const params = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  const expected = Buffer.from(
    twilio.getExpectedTwilioSignature(AUTH_TOKEN, `http://${ctx.host}${ctx.url}`, params),
  );
  const given = Buffer.from(ctx.get('x-twilio-signature'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) ctx.throw(403);
  const reply = new twilio.twiml.MessagingResponse();
  if (!blacklist.has(params.From ?? '')) reply.message(REPLY);
  ctx.type = 'application/xml';
  ctx.body = reply.toString();
});

await serve(app.callback(), (origin) => smsWebhook(origin, AUTH_TOKEN));
