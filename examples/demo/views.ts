/**
 * The demo's own views: django-twilio's documented examples (README, requests.rst,
 * decorators.rst), written with koa-django. The ready-made ones (say, play, gather...) are
 * mounted straight from the urlconf.
 *
 * @module
 */

import { type HttpRequest, HttpResponse } from 'koa-django/http';
import { decompose, twilioView } from 'koa-django/twilio';
import { methodDecorator, View, type ViewFlags } from 'koa-django/views';
import twilio from 'twilio';
import { getLogger } from '../../src/utils/log.ts';
import { hints } from './hints.ts';
import { tryCommand, WEBHOOKS } from './webhooks.ts';

const log = getLogger('examples.demo');

/**
 * `/sms/`: the smallest webhook, an SMS auto-reply.
 *
 * @example npx koa-django twilio send http://127.0.0.1:8000/sms/ From=+15005550006 Body=Hello --settings examples/demo/settings.ts
 */
export const sms = twilioView(function sms() {
  const reply = new twilio.twiml.MessagingResponse();
  reply.message('Thanks for the SMS message!');
  return reply;
});

/** What a caller hears first: a greeting, then the digits menu. */
function voiceReply(): InstanceType<typeof twilio.twiml.VoiceResponse> {
  const reply = new twilio.twiml.VoiceResponse();
  reply.say('Thanks for calling the koa-django demo!');
  reply.redirect({ method: 'POST' }, '/gather/');
  return reply;
}

/**
 * `/inbound/`: one webhook for messages and calls, told apart with decompose().
 *
 * @example npx koa-django twilio send http://127.0.0.1:8000/inbound/ CallSid=CA123 From=+15005550006 --settings examples/demo/settings.ts
 */
export const inbound = twilioView(function inbound(request: HttpRequest) {
  const twilioRequest = decompose(request);
  if (twilioRequest.type === 'message') {
    const reply = new twilio.twiml.MessagingResponse();
    reply.message('Thanks for the message!');
    return reply;
  }
  return voiceReply();
});

/**
 * `/process_input/`: where `/gather/` sends the digits (GET, so they are in the query string).
 *
 * @example npx koa-django twilio send http://127.0.0.1:8000/process_input/ Digits=5551234 --method GET --settings examples/demo/settings.ts
 */
export const processInput = twilioView(function processInput(request: HttpRequest) {
  const digits = decompose(request).digits ?? '';
  const reply = new twilio.twiml.VoiceResponse();
  reply.say(digits ? `You entered ${digits.split('').join(' ')}. Goodbye!` : 'You entered nothing. Goodbye!');
  return reply;
});

/**
 * `/email_call_transcription/`: `/record/`'s transcribeCallback. A real app would email the
 * text; the demo logs it. Twilio expects no TwiML here: an empty response.
 *
 * @example npx koa-django twilio send http://127.0.0.1:8000/email_call_transcription/ TranscriptionText=Hello --settings examples/demo/settings.ts
 */
export const emailCallTranscription = twilioView(function emailCallTranscription(request: HttpRequest) {
  const twilioRequest = decompose(request);
  log.info(
    `Transcription of ${twilioRequest.recordingUrl ?? 'a recording'}: ${twilioRequest.transcriptionText ?? ''}`,
  );
  return new twilio.twiml.VoiceResponse();
});

/**
 * `/thanks/`: a class-based view, decorated on dispatch (django-twilio's decorators.rst example).
 *
 * @example npx koa-django twilio send http://127.0.0.1:8000/thanks/ CallSid=CA123 --settings examples/demo/settings.ts
 */
export const ThanksView = methodDecorator(
  twilioView,
  'dispatch',
)(
  class ThanksView extends View {
    thanks = 'Thanks!';

    get(request: HttpRequest) {
      return this.post(request);
    }

    post(request: HttpRequest) {
      if (decompose(request).type === 'voice') {
        const reply = new twilio.twiml.VoiceResponse();
        reply.say(this.thanks);
        return reply as never;
      }
      const reply = new twilio.twiml.MessagingResponse();
      reply.message(this.thanks);
      return reply as never;
    }
  },
);

/**
 * `/`: a plain page (not a webhook) listing the webhooks and how to try them. Its startup hook
 * prints the same list when the demo is served by runserver.
 *
 * @example path('', index, 'index')
 */
export const index = Object.assign(
  function index(request: HttpRequest): HttpResponse {
    const origin = `${request.scheme}://${request.getHost()}`;
    const rows = WEBHOOKS.map(
      (hook) =>
        `<li><code>${escapeHtml(hook.path)}</code>: ${escapeHtml(hook.what)}<br><code>${escapeHtml(tryCommand(hook, origin))}</code></li>`,
    ).join('\n');
    return new HttpResponse(
      `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>koa-django Twilio demo</title></head>
<body>
<h1>koa-django Twilio demo</h1>
<p>Every webhook below checks <code>X-Twilio-Signature</code> (forgery protection is on), so a
browser gets 403. Send signed requests from a terminal instead:</p>
<ul>
${rows}
</ul>
<p>To blacklist a caller, stop the server (the embedded database belongs to one process at a
time), run <code>npx koa-django callers add +15005550006 --blacklist --settings examples/demo/settings.ts</code>,
start it again and send again: messages get an empty reply, calls are rejected.</p>
</body></html>
`,
    );
  },
  {
    ready() {
      const lines = hints(process.argv);
      if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
    },
  } satisfies ViewFlags,
);

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
