/**
 * The Twilio REST client with discovered credentials (django-twilio's `twilio_client`).
 * django-twilio builds one module-level client at import time, from credentials fixed at that
 * moment; here the credentials are discovered when the client is asked for, optionally for a
 * user with a `Credential` row, and clients for the same credentials are reused.
 *
 * @module
 */
import type { Knex } from 'knex';
import twilio from 'twilio';
import type { Settings } from '../../conf/settings.ts';
import { discoverTwilioCredentials } from './credentials.ts';

/** Options of `twilioClient`: the `twilio` package's own client options, plus where to find Credential rows. */
export interface TwilioClientOptions extends twilio.ClientOpts {
  /** The database holding `Credential` rows; default `getDatabase(settings)`. Only read when a user is given. */
  knex?: Knex;
}

/** Reused clients per Settings, by credentials (a client holds an HTTP agent with keep-alive sockets). */
const clients = new WeakMap<Settings, Map<string, twilio.Twilio>>();
const MAX_CACHED = 100;

/**
 * A `twilio` REST client (`twilio(accountSid, authToken)`) with the credentials
 * `discoverTwilioCredentials(settings, user)` finds: the user's Credential row, else the
 * `TWILIO_ACCOUNT_SID`/`TWILIO_AUTH_TOKEN` environment pair, else the settings pair. Throws
 * ImproperlyConfigured when there are none. Without client options, the same credentials give
 * the same client.
 *
 * @example
 * const client = await twilioClient(settings);
 * await client.messages.create({ to: '+15005550006', from: settings.TWILIO_DEFAULT_CALLERID!, body: 'Hi' });
 *
 * const mine = await twilioClient(settings, request.user); // the user's own sub-account, if any
 */
export async function twilioClient(
  settings: Settings,
  user?: unknown,
  options: TwilioClientOptions = {},
): Promise<twilio.Twilio> {
  const { knex, ...clientOptions } = options;
  const { accountSid, authToken } = await discoverTwilioCredentials(settings, user, knex);
  if (Object.keys(clientOptions).length > 0) return twilio(accountSid, authToken, clientOptions);
  let cache = clients.get(settings);
  if (!cache) {
    cache = new Map();
    clients.set(settings, cache);
  }
  const key = `${accountSid}\0${authToken}`;
  let client = cache.get(key);
  if (!client) {
    client = twilio(accountSid, authToken);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(key, client);
  }
  return client;
}
