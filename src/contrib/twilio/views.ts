/**
 * Ready-made Twilio views (django-twilio's `django_twilio.views`), to mount in a urlconf with
 * their arguments as extra kwargs:
 *
 *     path('goodbye/', say, { text: 'Adios!', voice: 'woman', language: 'es', loop: 0 }),
 *     path('conference/<str:name>/', conference, { waitUrl: '/say_hi/' }),
 *
 * Each is wrapped in `twilioView` (signatures, blacklist) and answers TwiML. Arguments are
 * camelCase, as in TwiML. A required argument the urlconf does not give stops startup
 * (`requiredKwargs`); one that is null at request time is a 500 naming the view.
 *
 * Where django-twilio's TwiML is invalid or drops an argument, these views emit valid TwiML:
 * `message` writes `from` (not `sender`) and `<Media>` children (not a `media` attribute) and
 * honours `method`; `conference` honours `maxParticipants`; `gather` can nest a prompt. See
 * docs/twilio.md for every difference.
 *
 * @module
 */
import twilio from 'twilio';
import { BadRequest, ImproperlyConfigured } from '../../exceptions.ts';
import type { Kwargs, View } from '../../views/view.ts';
import { twilioView } from './decorators.ts';
import { describe } from './request.ts';

type VoiceResponse = InstanceType<typeof twilio.twiml.VoiceResponse>;
/** TwiML attributes as the views build them; twilio leaves out undefined and null ones. */
type Attributes = Record<string, unknown>;

/** A nested `<Say>`: its text, or the text with `voice`, `language` and `loop`. */
export type SayPrompt = string | { text: string; voice?: string; language?: string; loop?: number };
/** A nested `<Play>`: its URL, or the URL with `loop` and `digits`. */
export type PlayPrompt = string | { url: string; loop?: number; digits?: string };

/**
 * A text argument: a string (numbers are written out); `undefined` when missing or null and
 * not `required`. A missing required one is an ImproperlyConfigured naming view and argument.
 */
function text(kwargs: Kwargs, name: string, view: string, required: true): string;
function text(kwargs: Kwargs, name: string, view: string, required?: boolean): string | undefined;
function text(kwargs: Kwargs, name: string, view: string, required = false): string | undefined {
  return textValue(kwargs[name], name, view, required);
}

function textValue(value: unknown, name: string, view: string, required: true): string;
function textValue(value: unknown, name: string, view: string, required?: boolean): string | undefined;
function textValue(value: unknown, name: string, view: string, required = false): string | undefined {
  if (value === undefined || value === null) {
    if (!required) return undefined;
    throw new ImproperlyConfigured(
      `Twilio view \`${view}\` needs the keyword argument '${name}' and got ${value === null ? 'null' : 'none'}. Give it as an extra kwarg in the urlconf, e.g. path('...', ${view}, { ${name}: '...' }).`,
    );
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ImproperlyConfigured(
    `Twilio view \`${view}\`: the keyword argument '${name}' must be a string, not ${describe(value)}.`,
  );
}

/** Characters XML 1.0 cannot carry: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: exactly the characters XML 1.0 forbids.
const NOT_XML = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\p{Cs}]/u;

/**
 * Refuse arguments TwiML cannot carry with a 400. They come from the URL (a capture such as
 * `conference/<str:name>/` decodes `%01`), and twilio would throw while building: a 500.
 */
function refuseNonXml(kwargs: Kwargs, view: string): void {
  for (const name in kwargs) {
    if (holdsNonXml(kwargs[name], 0)) {
      throw new BadRequest(
        `Twilio view \`${view}\`: the argument '${name}' holds a character TwiML cannot carry (a control character, U+FFFE/U+FFFF or a lone surrogate); check the URL it was captured from.`,
      );
    }
  }
}

function holdsNonXml(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return NOT_XML.test(value);
  // Nested prompts ({ text, voice }) and media lists are one level down.
  if (depth > 1 || value === null || typeof value !== 'object') return false;
  return Object.values(value).some((item) => holdsNonXml(item, depth + 1));
}

/** `method` defaults to POST as in django-twilio; an explicit null leaves the attribute out. */
function method(kwargs: Kwargs, name = 'method'): unknown {
  return kwargs[name] === undefined ? 'POST' : kwargs[name];
}

/** The value of `name`, or `fallback` when the urlconf does not give the key at all. */
function orDefault(kwargs: Kwargs, name: string, fallback: unknown): unknown {
  return name in kwargs ? kwargs[name] : fallback;
}

function addSay(node: { say(attributes: never, text: string): unknown }, prompt: SayPrompt, view: string) {
  if (typeof prompt === 'string') return node.say({} as never, prompt);
  const { text: words, ...attributes } = prompt as { text: unknown } & Attributes;
  return node.say(attributes as never, textValue(words, 'say.text', view, true));
}

function addPlay(node: { play(attributes: never, url?: string): unknown }, prompt: PlayPrompt, view: string) {
  if (typeof prompt === 'string') return node.play({} as never, prompt);
  const { url, ...attributes } = prompt as { url: unknown } & Attributes;
  return node.play(attributes as never, textValue(url, 'play.url', view));
}

function required(view: View, names: readonly string[]): View {
  view.requiredKwargs = names;
  return view;
}

/**
 * `<Say>` the `text` (required), with `voice`, `language`, `loop`.
 *
 * @example
 * path('goodbye/', say, { text: 'Adios!', voice: 'woman', language: 'es', loop: 0 });
 * // <Response><Say voice="woman" language="es" loop="0">Adios!</Say></Response>
 */
export const say: View = required(
  twilioView(function say(_request, kwargs) {
    refuseNonXml(kwargs, 'say');
    const response = new twilio.twiml.VoiceResponse();
    response.say(
      { voice: kwargs.voice, language: kwargs.language, loop: kwargs.loop } as never,
      text(kwargs, 'text', 'say', true),
    );
    return response;
  }),
  ['text'],
);

/**
 * `<Play>` the `url` (required), with `loop` and `digits`. For DTMF tones alone give
 * `{ url: null, digits: 'wwww3' }`.
 *
 * @example
 * path('play/', play, { url: 'http://example.com/greeting.mp3', loop: 3 });
 * // <Response><Play loop="3">http://example.com/greeting.mp3</Play></Response>
 */
export const play: View = required(
  twilioView(function play(_request, kwargs) {
    refuseNonXml(kwargs, 'play');
    const response = new twilio.twiml.VoiceResponse();
    const digits = text(kwargs, 'digits', 'play');
    const url = text(kwargs, 'url', 'play', digits === undefined);
    response.play({ loop: kwargs.loop, digits } as never, url);
    return response;
  }),
  ['url'],
);

/**
 * `<Gather>` digits: `action`, `method` (default POST), `numDigits`, `timeout`, `finishOnKey`,
 * and a prompt nested inside it: `say` (text, or `{ text, voice, language, loop }`) and/or
 * `play` (a URL, or `{ url, loop, digits }`).
 *
 * @example
 * path('gather/', gather, { action: '/process_input/', method: 'GET', timeout: 5, finishOnKey: '#', numDigits: 10, say: 'Enter your number' });
 * // <Response><Gather action="/process_input/" method="GET" ...><Say>Enter your number</Say></Gather></Response>
 */
export const gather: View = twilioView(function gather(_request, kwargs) {
  refuseNonXml(kwargs, 'gather');
  const response = new twilio.twiml.VoiceResponse();
  const node = response.gather({
    action: kwargs.action,
    method: method(kwargs),
    numDigits: kwargs.numDigits,
    timeout: kwargs.timeout,
    finishOnKey: kwargs.finishOnKey,
  } as never);
  if (kwargs.say !== undefined && kwargs.say !== null) addSay(node, kwargs.say as SayPrompt, 'gather');
  if (kwargs.play !== undefined && kwargs.play !== null) addPlay(node, kwargs.play as PlayPrompt, 'gather');
  return response;
});

/**
 * `<Record>` the caller: `action`, `method` (default POST), `timeout`, `finishOnKey`,
 * `maxLength`, `playBeep`, `transcribe`, `transcribeCallback`.
 *
 * @example
 * path('record/', record, { action: '/call_john/', playBeep: true, timeout: 5, transcribe: true, transcribeCallback: '/email_call_transcription/' });
 */
export const record: View = twilioView(function record(_request, kwargs) {
  refuseNonXml(kwargs, 'record');
  const response = new twilio.twiml.VoiceResponse();
  response.record({
    action: kwargs.action,
    method: method(kwargs),
    timeout: kwargs.timeout,
    finishOnKey: kwargs.finishOnKey,
    maxLength: kwargs.maxLength,
    playBeep: kwargs.playBeep,
    transcribe: kwargs.transcribe,
    transcribeCallback: kwargs.transcribeCallback,
  } as never);
  return response;
});

/**
 * Reply with a `<Message>`: `message` (the text, required), `to`, `sender` (written as TwiML's
 * `from`; default `TWILIO_DEFAULT_CALLERID`, `null` for none), `statusCallback`, `action`,
 * `method` (default POST), and `media` (a URL or a list: `<Media>` children, the text then goes
 * in `<Body>`).
 *
 * @example
 * path('message/', message, { message: 'Thanks for the SMS. Talk to you soon!' });
 * // <Response><Message method="POST">Thanks for the SMS. Talk to you soon!</Message></Response>
 */
export const message: View = required(
  twilioView(function message(request, kwargs) {
    refuseNonXml(kwargs, 'message');
    const body = text(kwargs, 'message', 'message', true);
    const media = kwargs.media === undefined || kwargs.media === null ? [] : [kwargs.media].flat();
    const response = new twilio.twiml.MessagingResponse();
    const attributes = {
      to: kwargs.to,
      from: orDefault(kwargs, 'sender', request.settings.TWILIO_DEFAULT_CALLERID),
      statusCallback: kwargs.statusCallback,
      action: kwargs.action,
      method: method(kwargs),
    };
    if (media.length === 0) {
      response.message(attributes as never, body);
    } else {
      const node = response.message(attributes as never);
      node.body(body);
      for (const [index, url] of media.entries())
        node.media(textValue(url, `media[${index}]`, 'message', true));
    }
    return response;
  }),
  ['message'],
);

/**
 * django-twilio's older name for `message` (same view, same arguments).
 *
 * @example
 * path('sms/', sms, { message: 'Got it.' });
 */
export const sms: View = message;

/**
 * `<Dial>` the `number` (required): `action`, `method` (default POST), `timeout`,
 * `hangupOnStar`, `timeLimit`, `callerId` (default `TWILIO_DEFAULT_CALLERID`, `null` for none).
 *
 * @example
 * path('call_john/', dial, { number: '+18182223333', timeout: 20 });
 * // <Response><Dial method="POST" timeout="20">+18182223333</Dial></Response>
 */
export const dial: View = required(
  twilioView(function dial(request, kwargs) {
    refuseNonXml(kwargs, 'dial');
    const response = new twilio.twiml.VoiceResponse();
    response.dial(
      {
        action: kwargs.action,
        method: method(kwargs),
        timeout: kwargs.timeout,
        hangupOnStar: kwargs.hangupOnStar,
        timeLimit: kwargs.timeLimit,
        callerId: orDefault(kwargs, 'callerId', request.settings.TWILIO_DEFAULT_CALLERID),
      } as never,
      text(kwargs, 'number', 'dial', true),
    );
    return response;
  }),
  ['number'],
);

/**
 * Put the caller in the conference `name` (required, usually captured from the URL): `muted`,
 * `beep`, `startConferenceOnEnter`, `endConferenceOnExit`, `waitUrl`, `waitMethod` (default
 * POST), `maxParticipants`.
 *
 * @example
 * path('conference/<str:name>/', conference, { waitUrl: '/say_hi/', maxParticipants: 10 });
 * // <Response><Dial><Conference waitUrl="/say_hi/" waitMethod="POST" maxParticipants="10">name</Conference></Dial></Response>
 */
export const conference: View = required(
  twilioView(function conference(_request, kwargs) {
    refuseNonXml(kwargs, 'conference');
    const response: VoiceResponse = new twilio.twiml.VoiceResponse();
    response.dial().conference(
      {
        muted: kwargs.muted,
        beep: kwargs.beep,
        startConferenceOnEnter: kwargs.startConferenceOnEnter,
        endConferenceOnExit: kwargs.endConferenceOnExit,
        waitUrl: kwargs.waitUrl,
        waitMethod: method(kwargs, 'waitMethod'),
        maxParticipants: kwargs.maxParticipants,
      } as never,
      text(kwargs, 'name', 'conference', true),
    );
    return response;
  }),
  ['name'],
);
