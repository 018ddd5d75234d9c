/**
 * The Twilio SMS webhook both Twilio servers answer (`twilio-sms` through koa-django,
 * `koa-twilio-sms` hand-written on Koa): the same signed form, the same expected reply.
 *
 * @module
 */
import twilio from 'twilio';
import type { ServerDescription } from './serve.ts';

/** The reply text of the MessagingResponse both servers build. */
export const REPLY = 'Thanks for the SMS message!';
/** The auth token both servers check signatures with (bench only). */
export const AUTH_TOKEN = 'bench-only-auth-token-0123456789';
/** Numbers both servers hold as blacklisted; the sender is not among them. */
export const BLACKLISTED = ['+15005550001', '+15005550002', '+15005550003', '+14155550100'];

/** A real inbound-SMS form as Twilio sends it. */
export const PARAMS: Readonly<Record<string, string>> = {
  ToCountry: 'US',
  SmsMessageSid: 'SM0123456789abcdef0123456789abcdef',
  NumMedia: '0',
  SmsSid: 'SM0123456789abcdef0123456789abcdef',
  SmsStatus: 'received',
  Body: 'Hello from the benchmark',
  To: '+15005550006',
  NumSegments: '1',
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  AccountSid: 'AC00000000000000000000000000000000',
  From: '+14155550199',
  ApiVersion: '2010-04-01',
};

/**
 * The benchmark request (signed with `token` for `origin/sms/`) and the response to expect.
 *
 * @example
 * await serve(app.callback(), (origin) => smsWebhook(origin, AUTH_TOKEN));
 */
export function smsWebhook(origin: string, token: string): ServerDescription {
  return {
    request: {
      method: 'POST',
      path: '/sms/',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Twilio-Signature': twilio.getExpectedTwilioSignature(token, `${origin}/sms/`, { ...PARAMS }),
      },
      body: new URLSearchParams(PARAMS).toString(),
    },
    expect: {
      status: 200,
      body: `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${REPLY}</Message></Response>`,
      headers: { 'Content-Type': 'application/xml' },
    },
  };
}
