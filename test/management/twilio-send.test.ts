/**
 * `koa-django twilio send` against a real listening koa-django server whose twilioViews check
 * signatures: form POST, GET, JSON (bodySHA256), a refused signature, and the errors.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import twilio from 'twilio';
import { createApp } from '../../src/app.ts';
import { main } from '../../src/cli.ts';
import { defineSettings } from '../../src/conf/index.ts';
import { decompose, twilioView } from '../../src/contrib/twilio/index.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { path } from '../../src/urls/index.ts';

// A developer's own credentials must not leak into these tests.
delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;
delete process.env.KOA_DJANGO_SETTINGS;

const SETTINGS = 'test/contrib/twilio/fixtures/token-settings.ts';
const TOKEN = 'YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY';

const echo = twilioView(function echo(request) {
  const twilioRequest = decompose(request);
  const reply = new twilio.twiml.MessagingResponse();
  reply.message(`${request.method} ${JSON.stringify(twilioRequest.params)}`);
  return reply;
});
const json = twilioView(function json(request) {
  return new HttpResponse(request.body, { contentType: 'application/json' });
});
const otherToken = twilioView({ authToken: 'some-other-token' })(() => '<Response/>');

let origin = '';
let server: http.Server | undefined;

test.before(async () => {
  const settings = defineSettings({
    SECRET_KEY: 'twilio-send-test-secret-key-0123456789-abcdefghijklmnopqrstuv',
    ALLOWED_HOSTS: ['127.0.0.1'],
    TWILIO_ACCOUNT_SID: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    TWILIO_AUTH_TOKEN: TOKEN,
    DJANGO_TWILIO_FORGERY_PROTECTION: true,
    DJANGO_TWILIO_BLACKLIST_CHECK: false,
    ROOT_URLCONF: { urlpatterns: [path('sms/', echo), path('json/', json), path('other/', otherToken)] },
  });
  server = http.createServer((await createApp(settings)).callback());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after.always(() => {
  server?.closeAllConnections();
  server?.close();
});

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out: out.join('\n'), err: err.join('\n') };
}

test('koa-django twilio send URL Name=Value posts a signed form and prints the answer', async (t) => {
  const { status, out, err } = await run([
    'twilio',
    'send',
    `${origin}/sms/`,
    'From=+15005550006',
    'Body=hello world & more',
    '--settings',
    SETTINGS,
  ]);
  t.is(status, 0, err);
  const [requestLine, statusLine, contentType, blank, body] = out.split('\n');
  t.is(requestLine, `POST ${origin}/sms/`);
  t.is(statusLine, '200 OK');
  t.is(contentType, 'Content-Type: application/xml');
  t.is(blank, '');
  t.is(
    body,
    '<?xml version="1.0" encoding="UTF-8"?><Response><Message>POST {"From":"+15005550006","Body":"hello world &amp; more"}</Message></Response>',
  );
});

test('koa-django twilio send --method GET puts the parameters in the query string, signed with the URL', async (t) => {
  const { status, out } = await run([
    'twilio',
    'send',
    `${origin}/sms/?x=1`,
    'CallSid=CA1',
    '--method',
    'get',
    '--settings',
    SETTINGS,
  ]);
  t.is(status, 0, out);
  t.regex(out, new RegExp(`^GET ${origin}/sms/\\?x=1&CallSid=CA1\n200 OK`));
  t.regex(out, /GET \{"x":"1","CallSid":"CA1"\}/);
});

test('koa-django twilio send URL#fragment signs the URL that is sent: fetch never sends the fragment', async (t) => {
  for (const extra of [[], ['--method', 'GET'], ['--json']]) {
    const { status, out } = await run([
      'twilio',
      'send',
      `${origin}/sms/?x=1#top`,
      'CallSid=CA1',
      ...extra,
      '--settings',
      SETTINGS,
    ]);
    t.is(status, 0, out);
    t.notRegex(out.split('\n')[0] ?? '', /#/, 'the request line shows what is sent');
  }
});

test('koa-django twilio send --json posts a JSON body signed through bodySHA256', async (t) => {
  const { status, out } = await run([
    'twilio',
    'send',
    `${origin}/json/`,
    'A=1',
    'A=2',
    'B=x',
    '--json',
    '--settings',
    SETTINGS,
  ]);
  t.is(status, 0, out);
  const body = '{"A":["1","2"],"B":"x"}';
  t.regex(out, new RegExp(`^POST ${origin}/json/\\?bodySHA256=${twilio.getExpectedBodyHash(body)}\n200 OK`));
  t.true(out.endsWith(`\n${body}`));
});

test('koa-django twilio send prints a refusal and exits 1 when the server checks another token', async (t) => {
  const { status, out } = await run(['twilio', 'send', `${origin}/other/`, '--settings', SETTINGS]);
  t.is(status, 1);
  t.regex(out, /^POST .*\n403 Forbidden/);
});

test.serial('koa-django twilio send without --settings signs with the environment pair', async (t) => {
  process.env.TWILIO_ACCOUNT_SID = 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';
  process.env.TWILIO_AUTH_TOKEN = TOKEN;
  t.teardown(() => {
    delete process.env.TWILIO_ACCOUNT_SID;
    delete process.env.TWILIO_AUTH_TOKEN;
  });
  const { status } = await run(['twilio', 'send', `${origin}/sms/`, 'Body=hi']);
  t.is(status, 0);
});

test.serial(
  'koa-django twilio send without a token anywhere is a CommandError naming the settings',
  async (t) => {
    const { status, err } = await run(['twilio', 'send', `${origin}/sms/`]);
    t.is(status, 1);
    t.regex(
      err,
      /^CommandError: No Twilio auth token to sign with\. Set the TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN/,
    );
  },
);

test('koa-django twilio send to a port nothing listens on explains the refused connection', async (t) => {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  const { status, err } = await run([
    'twilio',
    'send',
    `http://127.0.0.1:${port}/sms/`,
    '--settings',
    SETTINGS,
  ]);
  t.is(status, 1);
  t.is(
    err,
    `CommandError: Could not send to http://127.0.0.1:${port}/sms/: connection refused. Is the server running on 127.0.0.1:${port}? Start it with 'npm start' or 'koa-django runserver'.`,
  );
});

test('koa-django twilio send refuses bad arguments with a CommandError', async (t) => {
  for (const [argv, message] of [
    [['twilio'], /^CommandError: Usage: koa-django twilio send URL/],
    [['twilio', 'sned'], /^CommandError: Unknown subcommand 'sned'\. Usage:/],
    [['twilio', 'send'], /^CommandError: Give the URL to send to/],
    [['twilio', 'send', '/sms/'], /^CommandError: '\/sms\/' is not an absolute URL/],
    [['twilio', 'send', 'ftp://x/'], /^CommandError: 'ftp:\/\/x\/' is not an http:\/\/ or https:\/\/ URL/],
    [['twilio', 'send', 'http://x/', 'Body'], /^CommandError: Parameters are Name=Value pairs.*got 'Body'/],
    [['twilio', 'send', 'http://x/', '--method', 'PUT'], /^CommandError: --method must be GET or POST/],
    [['twilio', 'send', 'http://x/', '--method', 'GET', '--json'], /^CommandError: --json sends a body/],
  ] as const) {
    const { status, err } = await run([...argv, '--settings', SETTINGS]);
    t.is(status, 1, argv.join(' '));
    t.regex(err, message, argv.join(' '));
  }
});

test('koa-django help lists the twilio command', async (t) => {
  const { out } = await run(['help']);
  t.regex(out, /^ {2}twilio +Twilio tools/m);
});
