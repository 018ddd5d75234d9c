/**
 * The demo through the real app, every route with requests signed like Twilio's (the demo's
 * token), on a fresh in-memory database migrated for the test; plus the blacklist and what
 * `npm start` prints.
 */
import test from 'ava';
import { overrideSettings } from '../../src/conf/index.ts';
import { addCaller } from '../../src/contrib/twilio/callers.ts';
import { defaultCredentials } from '../../src/contrib/twilio/credentials.ts';
import { closeDatabase, getDatabase, migrate } from '../../src/db/index.ts';
import { type Params, SigningClient } from '../../test/contrib/twilio/helpers.ts';
import { parseTwiml } from '../../test/contrib/twilio/twiml.ts';
import { Client } from '../../test/helpers/client.ts';
import { hints } from './hints.ts';
import demo, { DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN } from './settings.ts';
import { WEBHOOKS } from './webhooks.ts';

const settings = overrideSettings(demo, { DATABASE_URL: 'pglite:memory' });
const BLOCKED = '+15005550001';
let client: SigningClient;

test.before(async () => {
  const knex = getDatabase(settings);
  await migrate(knex);
  await addCaller(knex, BLOCKED, { blacklisted: true });
  client = new SigningClient(await Client.create(settings), 'http://testserver', DEMO_AUTH_TOKEN);
});

test.after.always(async () => {
  await closeDatabase(getDatabase(settings));
});

/** The reply to a signed request, parsed, after checking it is 200 application/xml. */
async function twiml(t: import('ava').ExecutionContext, path: string, params: Params = {}, method = 'POST') {
  const response = method === 'GET' ? await client.get(path) : await client.post(path, params);
  t.is(response.status, 200, `${method} ${path}: ${response.text}`);
  t.is(response.headers['content-type'], 'application/xml');
  return parseTwiml(response.text);
}

const xml = (text: string) => parseTwiml(text);

test('the demo signs with its test-only pair unless the environment has one', (t) => {
  t.deepEqual(defaultCredentials(settings), { accountSid: DEMO_ACCOUNT_SID, authToken: DEMO_AUTH_TOKEN });
  t.true(settings.DJANGO_TWILIO_FORGERY_PROTECTION === true);
});

test('GET / lists the webhooks with the commands to try them', async (t) => {
  const response = await client.request('GET', '/');
  t.is(response.status, 200);
  for (const hook of WEBHOOKS) t.true(response.text.includes(`<code>${hook.path}</code>`), hook.path);
  t.true(
    response.text.includes('npx koa-django twilio send http://testserver/sms/ From=+15005550006 Body=Hello'),
  );
});

test('an unsigned or wrongly signed webhook request gets 403', async (t) => {
  t.is((await client.request('POST', '/sms/', { body: { From: '+15005550006' } })).status, 403);
  const wrong = new SigningClient(client.client, 'http://testserver', 'not-the-demo-token');
  t.is((await wrong.post('/sms/', { Body: 'hi' })).status, 403);
});

test('every webhook answers the request its README command sends', async (t) => {
  for (const hook of WEBHOOKS) {
    const params = Object.fromEntries(hook.params.map((p) => p.split('=', 2) as [string, string]));
    const response =
      hook.method === 'GET'
        ? await client.get(`${hook.path}?${new URLSearchParams(params)}`)
        : await client.post(hook.path, params);
    t.is(response.status, 200, `${hook.method} ${hook.path}`);
  }
});

test('/sms/ replies "Thanks for the SMS message!"', async (t) => {
  t.deepEqual(
    await twiml(t, '/sms/', { From: '+15005550006', Body: 'Hello' }),
    xml('<Response><Message>Thanks for the SMS message!</Message></Response>'),
  );
});

test('/inbound/ answers a message with text and hands a call to the voice menu', async (t) => {
  t.deepEqual(
    await twiml(t, '/inbound/', { MessageSid: 'SM1', From: '+15005550006', Body: 'Hi' }),
    xml('<Response><Message>Thanks for the message!</Message></Response>'),
  );
  t.deepEqual(
    await twiml(t, '/inbound/', { CallSid: 'CA1', From: '+15005550006' }),
    xml(
      '<Response><Say>Thanks for calling the koa-django demo!</Say><Redirect method="POST">/gather/</Redirect></Response>',
    ),
  );
});

test('/goodbye/ says Adios! in Spanish', async (t) => {
  t.deepEqual(
    await twiml(t, '/goodbye/', { CallSid: 'CA1' }),
    xml('<Response><Say voice="woman" language="es" loop="0">Adios!</Say></Response>'),
  );
});

test('/play/ plays the greeting three times', async (t) => {
  t.deepEqual(
    await twiml(t, '/play/', { CallSid: 'CA1' }),
    xml('<Response><Play loop="3">https://api.twilio.com/cowbell.mp3</Play></Response>'),
  );
});

test('/gather/ collects digits for /process_input/, which reads them back', async (t) => {
  t.deepEqual(
    await twiml(t, '/gather/', { CallSid: 'CA1' }),
    xml(
      '<Response><Gather action="/process_input/" method="GET" timeout="5" finishOnKey="#" numDigits="10"><Say>Please enter your phone number, then press the pound key.</Say></Gather></Response>',
    ),
  );
  t.deepEqual(
    await twiml(t, '/process_input/?Digits=555&CallSid=CA1', {}, 'GET'),
    xml('<Response><Say>You entered 5 5 5. Goodbye!</Say></Response>'),
  );
});

test('/record/ records with a transcription, then /call_john/ dials and the transcription callback answers empty', async (t) => {
  t.deepEqual(
    await twiml(t, '/record/', { CallSid: 'CA1' }),
    xml(
      '<Response><Record action="/call_john/" method="POST" playBeep="true" timeout="5" transcribe="true" transcribeCallback="/email_call_transcription/"/></Response>',
    ),
  );
  t.deepEqual(
    await twiml(t, '/call_john/', { CallSid: 'CA1' }),
    xml('<Response><Dial method="POST" timeout="20">+15005550006</Dial></Response>'),
  );
  t.deepEqual(
    await twiml(t, '/email_call_transcription/', {
      TranscriptionText: 'Hello John',
      RecordingUrl: 'https://x/r',
    }),
    xml('<Response/>'),
  );
});

test('/message/ replies "Thanks for the SMS. Talk to you soon!"', async (t) => {
  t.deepEqual(
    await twiml(t, '/message/', { From: '+15005550006', Body: 'Hi' }),
    xml('<Response><Message method="POST">Thanks for the SMS. Talk to you soon!</Message></Response>'),
  );
});

test('/conference/<name>/ joins the room named by the URL, waiting on /say_hi/', async (t) => {
  t.deepEqual(
    await twiml(t, '/conference/koa/', { CallSid: 'CA1' }),
    xml(
      '<Response><Dial><Conference waitUrl="/say_hi/" waitMethod="POST">koa</Conference></Dial></Response>',
    ),
  );
  t.deepEqual(
    await twiml(t, '/say_hi/', { CallSid: 'CA1' }),
    xml('<Response><Say>Hi! Please hold while the others join.</Say></Response>'),
  );
});

test('/thanks/ (class-based) says thanks to a call and texts it to a message', async (t) => {
  t.deepEqual(await twiml(t, '/thanks/', { CallSid: 'CA1' }), xml('<Response><Say>Thanks!</Say></Response>'));
  t.deepEqual(
    await twiml(t, '/thanks/', { MessageSid: 'SM1', Body: 'hi' }),
    xml('<Response><Message>Thanks!</Message></Response>'),
  );
  t.is((await client.get('/thanks/')).status, 200);
});

test('a blacklisted sender gets an empty reply and a blacklisted caller is rejected, in any spelling of the number', async (t) => {
  t.deepEqual(await twiml(t, '/sms/', { From: BLOCKED, Body: 'spam' }), xml('<Response/>'));
  t.deepEqual(await twiml(t, '/sms/', { From: '(500) 555-0001', Body: 'spam' }), xml('<Response/>'));
  t.deepEqual(
    await twiml(t, '/goodbye/', { From: BLOCKED, CallSid: 'CA1' }),
    xml('<Response><Reject/></Response>'),
  );
});

test('npm start (runserver) prints a command for every webhook, for the address it serves', (t) => {
  const lines = hints(['node', 'bin/koa-django.js', 'runserver', '0.0.0.0:8001', '--settings', 'x']);
  t.is(lines.length, WEBHOOKS.length + 2);
  t.is(
    lines[1],
    '  npx koa-django twilio send http://127.0.0.1:8001/sms/ From=+15005550006 Body=Hello --settings examples/demo/settings.ts',
  );
  t.regex(
    hints(['node', 'koa-django', 'runserver', '--settings', 'x'])[1] ?? '',
    /http:\/\/127\.0\.0\.1:8000\/sms\//,
  );
  t.deepEqual(hints(['node', 'koa-django', 'check']), []);
});
