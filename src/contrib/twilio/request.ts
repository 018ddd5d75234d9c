/**
 * `decompose(request)`: the Twilio parameters of a webhook request as one typed object
 * (django-twilio's `django_twilio.request`).
 *
 * Twilio posts its parameters in PascalCase (`CallSid`, `From`, `MediaUrl0`). A `TwilioRequest`
 * carries each of them as a camelCase property (`callSid`, `from`, `mediaUrl0`), the common ones
 * typed, and all of them under their own names in `params`. Where django-twilio lower-cases
 * (`callsid`) and renames `From` to `from_` (a Python keyword), we camelCase: see docs/twilio.md.
 *
 * @module
 */

import type { QueryDict } from '../../http/query-dict.ts';
import { HttpRequest } from '../../http/request.ts';
import { NotHttpRequest } from './exceptions.ts';

/** What a webhook is about: a call (`CallSid` present), a message (`MessageSid`), or neither. */
export type TwilioRequestType = 'voice' | 'message' | 'unknown';

/** Names a parameter can never take as a property, because the object itself uses them. */
const RESERVED = new Set(['type', 'params', '__proto__', 'constructor', 'prototype']);

/**
 * The Twilio parameters of one request. Properties are strings, present only when the parameter
 * was sent (a repeated parameter gives its last value, as django-twilio's `.dict()` does).
 *
 * @example
 * const twilioRequest = decompose(request);
 * if (twilioRequest.type === 'message') console.log(twilioRequest.from, twilioRequest.body);
 * twilioRequest.params.MediaUrl1; // any parameter under Twilio's own name
 */
export class TwilioRequest {
  /** `'voice'` when `CallSid` is non-empty, else `'message'` when `MessageSid` is, else `'unknown'`. */
  readonly type: TwilioRequestType;
  /** Every parameter under Twilio's own name (`{ CallSid: 'CA…', From: '+1…' }`). */
  readonly params: Readonly<Record<string, string>>;

  // The parameters most webhooks use, typed. Any other parameter is a property too (camelCase)
  // at run time; from TypeScript, read it from `params`.
  declare readonly accountSid?: string;
  declare readonly apiVersion?: string;
  declare readonly from?: string;
  declare readonly to?: string;
  declare readonly body?: string;
  declare readonly callSid?: string;
  declare readonly callStatus?: string;
  declare readonly callerName?: string;
  declare readonly caller?: string;
  declare readonly called?: string;
  declare readonly direction?: string;
  declare readonly forwardedFrom?: string;
  declare readonly digits?: string;
  declare readonly speechResult?: string;
  declare readonly confidence?: string;
  declare readonly recordingUrl?: string;
  declare readonly recordingSid?: string;
  declare readonly recordingDuration?: string;
  declare readonly transcriptionText?: string;
  declare readonly transcriptionStatus?: string;
  declare readonly dialCallStatus?: string;
  declare readonly dialCallSid?: string;
  declare readonly dialCallDuration?: string;
  declare readonly messageSid?: string;
  declare readonly smsSid?: string;
  declare readonly smsMessageSid?: string;
  declare readonly smsStatus?: string;
  declare readonly messageStatus?: string;
  declare readonly messagingServiceSid?: string;
  declare readonly numMedia?: string;
  declare readonly numSegments?: string;
  declare readonly mediaUrl0?: string;
  declare readonly mediaContentType0?: string;
  declare readonly errorCode?: string;
  declare readonly errorMessage?: string;
  declare readonly fromCity?: string;
  declare readonly fromState?: string;
  declare readonly fromZip?: string;
  declare readonly fromCountry?: string;
  declare readonly toCity?: string;
  declare readonly toState?: string;
  declare readonly toZip?: string;
  declare readonly toCountry?: string;

  /**
   * Build from parameters under Twilio's names (what `decompose` does with the request's).
   *
   * @example
   * new TwilioRequest({ CallSid: 'CA123', From: '+15005550006' }).callSid; // 'CA123'
   */
  constructor(parameters: Readonly<Record<string, string>> | Iterable<readonly [string, string]>) {
    const entries = Symbol.iterator in parameters ? [...parameters] : Object.entries(parameters);
    const params: Record<string, string> = Object.create(null);
    const self = this as unknown as Record<string, string>;
    // Like django-twilio, the SIDs are matched whatever their case (`?messageSid=` counts).
    let callSid = '';
    let messageSid = '';
    for (const [name, value] of entries as [string, string][]) {
      params[name] = value;
      const lower = name.toLowerCase();
      if (lower === 'callsid') callSid = value;
      else if (lower === 'messagesid') messageSid = value;
      const property = camelCase(name);
      if (!RESERVED.has(property) && !(property in TwilioRequest.prototype)) self[property] = value;
    }
    this.params = Object.freeze(params);
    this.type = callSid ? 'voice' : messageSid ? 'message' : 'unknown';
  }
}

/**
 * A Twilio parameter name in camelCase: the leading capitals are lower-cased, keeping the last
 * one when it starts the next word.
 *
 * @example
 * camelCase('CallSid');   // 'callSid'
 * camelCase('From');      // 'from'
 * camelCase('SMSStatus'); // 'smsStatus'
 */
export function camelCase(name: string): string {
  const run = /^[A-Z]+/.exec(name)?.[0];
  if (!run) return name;
  const rest = name.slice(run.length);
  if (run.length > 1 && /^[a-z]/.test(rest)) {
    return `${run.slice(0, -1).toLowerCase()}${run.slice(-1)}${rest}`;
  }
  return `${run.toLowerCase()}${rest}`;
}

/**
 * The Twilio parameters of `request`: the form body of a POST (a `CallSid` in the query string of
 * a POST does not count), the query string of a GET, nothing for other methods (type
 * `'unknown'`; django-twilio returns `None` there). Throws NotHttpRequest for anything that is
 * not an HttpRequest, and the request's own 400 errors for a malformed or oversize body.
 *
 * @example
 * export const inbound = twilioView((request) => {
 *   const twilioRequest = decompose(request);
 *   if (twilioRequest.type === 'voice') return voiceMenu(request, {});
 *   const reply = new twilio.twiml.MessagingResponse();
 *   reply.message(`Thanks for the message, ${twilioRequest.from}!`);
 *   return reply;
 * });
 */
export function decompose(request: HttpRequest): TwilioRequest {
  if (!(request instanceof HttpRequest)) {
    throw new NotHttpRequest(
      `decompose() needs the HttpRequest a view receives, got ${describe(request)}. Call it as decompose(request) inside a view.`,
    );
  }
  const data: QueryDict | null =
    request.method === 'POST' ? request.POST : request.method === 'GET' ? request.GET : null;
  return new TwilioRequest(data ? data.items() : []);
}

/** `a Context`, `an Object`, `undefined`, `a string`... for error messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  const kind = typeof value === 'object' ? ((value as object).constructor?.name ?? 'object') : typeof value;
  return `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}`;
}
