/**
 * Shared by the Twilio request-side tests: django-twilio's test credentials, settings that point
 * at them, signing with the twilio package's own `getExpectedTwilioSignature`, and a client
 * that signs what it sends (django-twilio's `TwilioRequestFactory`).
 */
import twilio from 'twilio';
import type { Settings, SettingsInput } from '../../../src/conf/index.ts';
import { Client, type ClientResponse, type RequestOptions, testSettings } from '../../helpers/client.ts';

// The environment pair beats settings; a developer's own must not leak into these tests.
delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;

/** django-twilio's test_project credentials. */
export const SID = 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';
export const TOKEN = 'YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY';

/** Settings with the test credentials, DEBUG off (so forgery protection on), no blacklist. */
export function twilioSettings(overrides: SettingsInput & Record<string, unknown> = {}): Settings {
  return testSettings({
    TWILIO_ACCOUNT_SID: SID,
    TWILIO_AUTH_TOKEN: TOKEN,
    DJANGO_TWILIO_BLACKLIST_CHECK: false,
    ...overrides,
  });
}

/** Twilio's signature of `url` with `params`, made with `token`. */
export function sign(url: string, params: Record<string, string | string[]> = {}, token = TOKEN): string {
  return twilio.getExpectedTwilioSignature(token, url, params);
}

export type Params = Record<string, string | string[]>;

/**
 * A client whose `get`/`post` sign the request as Twilio would for `http://testserver` + path
 * (GET over the URL alone, POST over the URL and the form fields).
 */
export class SigningClient {
  constructor(
    readonly client: Client,
    readonly origin = 'http://testserver',
    readonly token = TOKEN,
  ) {}

  static async create(settings: Settings): Promise<SigningClient> {
    return new SigningClient(await Client.create(settings));
  }

  get(path: string, options: RequestOptions = {}): Promise<ClientResponse> {
    const signature = sign(this.origin + path, {}, this.token);
    return this.client.get(path, withSignature(options, signature));
  }

  post(path: string, data: Params = {}, options: RequestOptions = {}): Promise<ClientResponse> {
    const signature = sign(this.origin + path, data, this.token);
    return this.client.post(path, data, withSignature(options, signature));
  }

  /** Unsigned, any method. */
  request(method: string, path: string, options: RequestOptions = {}): Promise<ClientResponse> {
    return this.client.request(method, path, options);
  }
}

function withSignature(options: RequestOptions, signature: string): RequestOptions {
  return { ...options, headers: { 'X-Twilio-Signature': signature, ...options.headers } };
}

/** A voice webhook's parameters (django-twilio's test call). */
export const CALL = {
  CallSid: 'CA1234567890ABCDE',
  AccountSid: 'ACXXXX',
  From: '+44123456789',
  To: '+18005551212',
  CallStatus: 'ringing',
  ApiVersion: '2010-04-01',
  Direction: 'inbound',
  ForwardedFrom: '',
  CallerName: 'Alice',
};

/** An SMS webhook's parameters (django-twilio's test message). */
export const SMS = {
  MessageSid: 'SM1234567890ABCDE',
  SmsSid: 'SM1234567890ABCDE',
  AccountSid: 'ACXXXX',
  From: '+44123456789',
  To: '+18005551212',
  Body: 'Hi!',
  NumMedia: '0',
};
