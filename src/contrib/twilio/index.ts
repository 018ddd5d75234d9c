/**
 * `koa-django/twilio` (also `koa-django/contrib/twilio`): django-twilio's app on koa-django.
 * Webhook views and the `twilioView` decorator; `Caller` rows and the in-process caller
 * blacklist; `Credential` rows and credential discovery; the Twilio REST client. See
 * `docs/twilio.md`.
 *
 * @example
 * import { addCaller, blacklistFor, normalizePhoneNumber } from 'koa-django/twilio';
 * await addCaller(knex, '+15005550001', { blacklisted: true });
 * blacklistFor(settings).isBlacklisted(normalizePhoneNumber('+1 500-555-0001') ?? ''); // true
 *
 * @module
 */
export {
  Blacklist,
  type BlacklistOptions,
  blacklistFor,
  CALLER_TABLE,
  type CallerChange,
  closeBlacklist,
  notifyCallerChange,
} from './blacklist.ts';
export { CALLERS_CHANNEL } from './blacklist-listener.ts';
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
export { InvalidPhoneNumber, normalizePhoneNumber, toE164 } from './phone.ts';
