/**
 * `koa-django/twilio`: django-twilio's Twilio app — `twilioView` (signatures, the caller
 * blacklist, TwiML replies), `decompose`, the ready-made views, the caller blacklist and
 * credentials. See docs/twilio.md.
 *
 * @example
 * import twilio from 'twilio';
 * import { twilioView } from 'koa-django/twilio';
 * export const sms = twilioView(() => {
 *   const reply = new twilio.twiml.MessagingResponse();
 *   reply.message('Thanks for the SMS message!');
 *   return reply;
 * });
 *
 * @module
 */
export { twilioChecks } from './checks.ts';
export {
  type TwilioViewDecorator,
  type TwilioViewFunction,
  type TwilioViewOptions,
  twilioView,
} from './decorators.ts';
export { NotHttpRequest } from './exceptions.ts';
export { camelCase, decompose, TwilioRequest, type TwilioRequestType } from './request.ts';
export {
  blacklistedResponse,
  TWIML_CONTENT_TYPE,
  type TwilioViewResult,
  TwiML,
  twimlResponse,
} from './response.ts';
export {
  type SignatureFailure,
  type SignatureResult,
  type ValidateOptions,
  validateTwilioRequest,
} from './signature.ts';
export {
  conference,
  dial,
  gather,
  message,
  type PlayPrompt,
  play,
  record,
  type SayPrompt,
  say,
  sms,
} from './views.ts';
export { webhookUrl } from './webhook-url.ts';
