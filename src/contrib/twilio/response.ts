/**
 * What a Twilio view may return, and how it becomes a response (django-twilio's conversion in
 * `twilio_view`): TwiML objects, strings and Buffers become `200 application/xml`; an
 * HttpResponse passes through unchanged. Also the fixed replies to blacklisted callers.
 *
 * @module
 */
import twilio from 'twilio';
import { InvalidResponse } from '../../exceptions.ts';
import { HttpResponse, HttpResponseBase } from '../../http/response.ts';
import { describe, type TwilioRequestType } from './request.ts';

/**
 * Any TwiML node: `twilio.twiml.VoiceResponse`, `MessagingResponse`, `FaxResponse`, or a verb
 * they return (`response.say('hi')`). twilio exports the shared base class only through its
 * subclasses, so it is taken from one of them.
 */
export const TwiML = Object.getPrototypeOf(twilio.twiml.VoiceResponse) as abstract new (
  ...args: never[]
) => { toString(): string };

/** What a view wrapped in `twilioView` may return (or resolve to). */
export type TwilioViewResult = HttpResponseBase | InstanceType<typeof TwiML> | string | Uint8Array;

/** django-twilio's content type for TwiML, without a charset. */
export const TWIML_CONTENT_TYPE = 'application/xml';

/**
 * A `200 application/xml` response for TwiML given as an object, a string or bytes. Strings and
 * bytes are sent as they are (no XML declaration is added); TwiML objects render with one.
 *
 * @example
 * const reply = new twilio.twiml.MessagingResponse();
 * reply.message('Thanks!');
 * twimlResponse(reply).text; // '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks!</Message></Response>'
 */
export function twimlResponse(twiml: InstanceType<typeof TwiML> | string | Uint8Array): HttpResponse {
  const content = typeof twiml === 'string' || twiml instanceof Uint8Array ? twiml : twiml.toString();
  return new HttpResponse(content, { contentType: TWIML_CONTENT_TYPE });
}

/**
 * Turn what a Twilio view returned into a response; anything else is an InvalidResponse naming
 * the view and what it may return.
 *
 * @example
 * toResponse(await view(request, kwargs), view.name);
 */
export function toResponse(result: unknown, viewName: string): HttpResponseBase {
  if (result instanceof HttpResponseBase) return result;
  if (typeof result === 'string' || result instanceof Uint8Array || result instanceof TwiML) {
    return twimlResponse(result);
  }
  const hint =
    result === undefined || result === null
      ? 'did you forget `return`?'
      : 'build the reply with twilio.twiml.VoiceResponse or MessagingResponse and return it.';
  throw new InvalidResponse(
    `Twilio view \`${viewName || 'anonymous'}\` returned ${describe(result)}. A view wrapped in twilioView returns TwiML (a twilio.twiml.VoiceResponse, a MessagingResponse or any TwiML verb), a string or Buffer of TwiML, or an HttpResponse; ${hint}`,
  );
}

// Rendered once: they never change.
const REJECT = (() => {
  const response = new twilio.twiml.VoiceResponse();
  response.reject();
  return response.toString();
})();
const NOTHING = new twilio.twiml.MessagingResponse().toString();

/**
 * The reply to a blacklisted caller: a call is rejected (`<Response><Reject/></Response>`);
 * anything else gets an empty `<Response/>`, which sends nothing back. django-twilio answers a
 * bare `<Message />` there, which is not valid TwiML (its root must be `<Response>`).
 *
 * @example
 * blacklistedResponse('voice').text; // '<?xml version="1.0" encoding="UTF-8"?><Response><Reject/></Response>'
 */
export function blacklistedResponse(type: TwilioRequestType): HttpResponse {
  return twimlResponse(type === 'voice' ? REJECT : NOTHING);
}
