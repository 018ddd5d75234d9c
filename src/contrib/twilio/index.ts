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
export {
  Blacklist,
  type BlacklistOptions,
  blacklistFor,
  type CallerChange,
  closeBlacklist,
  notifyCallerChange,
} from './blacklist.ts';
export { CALLERS_CHANNEL } from './blacklist-listener.ts';
export {
  type AddCallerOptions,
  addCaller,
  CALLER_TABLE,
  Caller,
  CallerNotFound,
  DuplicateCaller,
  getCaller,
  type ListCallersOptions,
  listCallers,
  type NumberOptions,
  removeCaller,
  setBlacklisted,
} from './callers.ts';
export { twilioChecks } from './checks.ts';
export { type TwilioClientOptions, twilioClient } from './client.ts';
export {
  addCredential,
  CREDENTIAL_TABLE,
  Credential,
  type CredentialInput,
  type CredentialOwner,
  DuplicateCredential,
  defaultCredentials,
  deleteCredentialForUser,
  discoverTwilioCredentials,
  getCredentialForUser,
  type TwilioCredentials,
} from './credentials.ts';
export {
  type TwilioViewDecorator,
  type TwilioViewFunction,
  type TwilioViewOptions,
  twilioView,
} from './decorators.ts';
export { NotHttpRequest } from './exceptions.ts';
export { callerNumber, InvalidPhoneNumber, normalizePhoneNumber, toE164 } from './phone.ts';
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
