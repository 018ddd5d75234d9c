/**
 * The demo's webhooks in one list: the index page, the startup hint and README.md show them,
 * and the demo's test tries each one.
 *
 * @module
 */

/** One webhook: its path, what it does, and parameters worth sending to it. */
export interface Webhook {
  path: string;
  what: string;
  method: 'GET' | 'POST';
  params: readonly string[];
}

/**
 * Every webhook the demo serves, in the order the index page lists them.
 *
 * @example
 * WEBHOOKS.map((hook) => hook.path); // ['/sms/', '/inbound/', ...]
 */
export const WEBHOOKS: readonly Webhook[] = [
  {
    path: '/sms/',
    what: 'replies "Thanks for the SMS message!"',
    method: 'POST',
    params: ['From=+15005550006', 'Body=Hello'],
  },
  {
    path: '/inbound/',
    what: 'a message gets "Thanks for the message!", a call the voice menu',
    method: 'POST',
    params: ['From=+15005550006', 'MessageSid=SM123', 'Body=Hi'],
  },
  { path: '/goodbye/', what: 'says "Adios!" in Spanish (say)', method: 'POST', params: ['CallSid=CA123'] },
  { path: '/play/', what: 'plays a greeting three times (play)', method: 'POST', params: ['CallSid=CA123'] },
  {
    path: '/gather/',
    what: 'collects up to 10 digits ending with # (gather)',
    method: 'POST',
    params: ['CallSid=CA123'],
  },
  { path: '/process_input/', what: "reads back gather's digits", method: 'GET', params: ['Digits=5551234'] },
  {
    path: '/record/',
    what: 'records the caller, transcribed (record)',
    method: 'POST',
    params: ['CallSid=CA123'],
  },
  {
    path: '/call_john/',
    what: "record's action: dials John (dial)",
    method: 'POST',
    params: ['CallSid=CA123'],
  },
  {
    path: '/email_call_transcription/',
    what: "record's transcription callback: logs the text",
    method: 'POST',
    params: ['CallSid=CA123', 'TranscriptionText=Hello'],
  },
  {
    path: '/message/',
    what: 'replies "Thanks for the SMS. Talk to you soon!" (message)',
    method: 'POST',
    params: ['From=+15005550006', 'Body=Hi'],
  },
  {
    path: '/conference/koa/',
    what: 'joins the conference room "koa", waiting music from /say_hi/ (conference)',
    method: 'POST',
    params: ['CallSid=CA123'],
  },
  { path: '/say_hi/', what: "the conference's wait URL (say)", method: 'POST', params: ['CallSid=CA123'] },
  {
    path: '/thanks/',
    what: 'a class-based view: says or texts "Thanks!"',
    method: 'POST',
    params: ['CallSid=CA123'],
  },
];

/**
 * The `koa-django twilio send` command that tries `hook` on the server at `origin`.
 *
 * @example
 * tryCommand(WEBHOOKS[0], 'http://127.0.0.1:8000');
 * // 'npx koa-django twilio send http://127.0.0.1:8000/sms/ From=+15005550006 Body=Hello --settings examples/demo/settings.ts'
 */
export function tryCommand(hook: Webhook, origin: string): string {
  const method = hook.method === 'GET' ? ' --method GET' : '';
  const params = hook.params.map((p) => ` ${p}`).join('');
  return `npx koa-django twilio send ${origin}${hook.path}${params}${method} --settings examples/demo/settings.ts`;
}
