/**
 * The ready-made views: django-twilio's view tests (items 51–64: a missing argument fails, a
 * given one answers 200) and the exact TwiML of each, compared as parsed XML.
 */
import test from 'ava';
import {
  conference,
  dial,
  gather,
  message,
  play,
  record,
  say,
  sms,
} from '../../../src/contrib/twilio/index.ts';
import { ImproperlyConfigured } from '../../../src/exceptions.ts';
import { path } from '../../../src/urls/index.ts';
import type { View } from '../../../src/views/view.ts';
import { Client } from '../../helpers/client.ts';
import { RequestFactory } from '../../helpers/request-factory.ts';
import { SigningClient, sign, twilioSettings } from './helpers.ts';
import { parseTwiml } from './twiml.ts';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const rf = new RequestFactory({ settings: twilioSettings() });

/** A signed POST (forgery protection on, as in django-twilio's view tests) to `view` with `kwargs`. */
async function call(view: View, kwargs: Record<string, unknown>, settings = twilioSettings()) {
  const factory = settings === rf.settings ? rf : new RequestFactory({ settings });
  const request = await factory.post(
    '/view/',
    {},
    { headers: { 'X-Twilio-Signature': sign('http://testserver/view/') } },
  );
  return view(request, kwargs);
}

/** The view's TwiML equals `expected` (attribute order free); the reply is 200 application/xml. */
async function twiml(
  t: import('ava').ExecutionContext,
  view: View,
  kwargs: Record<string, unknown>,
  expected: string,
) {
  const response = await call(view, kwargs);
  t.is(response.statusCode, 200);
  t.is(response.get('Content-Type'), 'application/xml');
  t.true(response.text.startsWith(DECLARATION));
  t.deepEqual(parseTwiml(response.text), parseTwiml(expected), response.text);
}

// --- items 51–64: required arguments -------------------------------------------------------------

for (const [label, view, name, kwargs] of [
  ['say', say, 'text', { text: 'hi' }],
  ['play', play, 'url', { url: 'http://b.com/b.wav' }],
  ['sms', sms, 'message', { message: 'test' }],
  ['message', message, 'message', { message: 'test', media: 'http://i.imgur.com/Qa8GVPU.gif' }],
  ['dial', dial, 'number', { number: '+18182223333' }],
  ['conference', conference, 'name', { name: 'a' }],
] as const) {
  test(`${label}(request, kwargs) without '${name}' is an ImproperlyConfigured naming the view and the argument`, async (t) => {
    await t.throwsAsync(call(view, {}), {
      instanceOf: ImproperlyConfigured,
      message: new RegExp(`^Twilio view \`${view.name}\` needs the keyword argument '${name}'`),
    });
  });

  test(`${label}(request, ${JSON.stringify(kwargs)}) answers 200`, async (t) => {
    t.is((await call(view, kwargs)).statusCode, 200);
  });

  test(`createApp() refuses a urlconf that mounts ${label} without '${name}'`, async (t) => {
    const settings = twilioSettings({ ROOT_URLCONF: { urlpatterns: [path('hook/', view)] } });
    const error = await t.throwsAsync(Client.create(settings), { instanceOf: ImproperlyConfigured });
    t.regex(
      error.message,
      new RegExp(`View \`${view.name}\` \\(route 'hook/'\\) needs the keyword argument '${name}'`),
    );
  });
}

test('gather(request) and record(request) need no arguments', async (t) => {
  t.is((await call(gather, {})).statusCode, 200);
  t.is((await call(record, {})).statusCode, 200);
});

test('a required argument that is null at request time is a 500 naming the view, through the app', async (t) => {
  const settings = twilioSettings({ ROOT_URLCONF: { urlpatterns: [path('hook/', say, { text: null })] } });
  const client = await SigningClient.create(settings);
  t.is((await client.post('/hook/')).status, 500);
});

test('the views check signatures: an unsigned request gets 403', async (t) => {
  const response = await say(await rf.post('/view/', {}), { text: 'hi' });
  t.is(response.statusCode, 403);
});

// --- exact TwiML ---------------------------------------------------------------------------------

test('say: text, voice, language, loop', async (t) => {
  await twiml(t, say, { text: 'hello, world!' }, '<Response><Say>hello, world!</Say></Response>');
  await twiml(
    t,
    say,
    { text: 'Adios!', voice: 'woman', language: 'es', loop: 0 },
    '<Response><Say language="es" loop="0" voice="woman">Adios!</Say></Response>',
  );
  await twiml(
    t,
    say,
    { text: 'a & <b> "q"', voice: 'alice', language: 'en-GB', loop: 3 },
    '<Response><Say voice="alice" language="en-GB" loop="3">a &amp; &lt;b&gt; "q"</Say></Response>',
  );
  await twiml(t, say, { text: '' }, '<Response><Say /></Response>');
});

test('say ignores kwargs that are not its arguments (e.g. a URL capture)', async (t) => {
  await twiml(t, say, { text: 'hi', name: 'room', pk: 7 }, '<Response><Say>hi</Say></Response>');
});

test('play: url, loop, digits', async (t) => {
  await twiml(
    t,
    play,
    { url: 'http://mysite.com/greeting.wav' },
    '<Response><Play>http://mysite.com/greeting.wav</Play></Response>',
  );
  await twiml(
    t,
    play,
    { url: 'http://x/a.wav?a=1&b=2', loop: 3 },
    '<Response><Play loop="3">http://x/a.wav?a=1&amp;b=2</Play></Response>',
  );
  await twiml(t, play, { url: null, digits: 'wwww3' }, '<Response><Play digits="wwww3"/></Response>');
});

test('gather: method defaults to POST; action, numDigits, timeout, finishOnKey; null leaves method out', async (t) => {
  await twiml(t, gather, {}, '<Response><Gather method="POST" /></Response>');
  await twiml(
    t,
    gather,
    { action: '/process_input/', method: 'GET', timeout: 5, finishOnKey: '#', numDigits: 10 },
    '<Response><Gather action="/process_input/" finishOnKey="#" method="GET" numDigits="10" timeout="5" /></Response>',
  );
  await twiml(t, gather, { method: null }, '<Response><Gather /></Response>');
});

test('gather: a nested say and play prompt (django-twilio nests nothing)', async (t) => {
  await twiml(
    t,
    gather,
    { action: '/pin/', say: 'Enter your PIN', play: 'http://x/beep.mp3' },
    '<Response><Gather action="/pin/" method="POST"><Say>Enter your PIN</Say><Play>http://x/beep.mp3</Play></Gather></Response>',
  );
  await twiml(
    t,
    gather,
    {
      say: { text: 'Hola', voice: 'woman', language: 'es', loop: 2 },
      play: { url: 'http://x/y.mp3', loop: 1 },
    },
    '<Response><Gather method="POST"><Say voice="woman" language="es" loop="2">Hola</Say><Play loop="1">http://x/y.mp3</Play></Gather></Response>',
  );
});

test('record: every attribute, booleans as true/false', async (t) => {
  await twiml(t, record, {}, '<Response><Record method="POST" /></Response>');
  await twiml(
    t,
    record,
    { action: '/call_john/', playBeep: true },
    '<Response><Record action="/call_john/" method="POST" playBeep="true" /></Response>',
  );
  await twiml(
    t,
    record,
    {
      action: '/call_john/',
      playBeep: true,
      timeout: 5,
      transcribe: true,
      transcribeCallback: '/email/',
      maxLength: 120,
      finishOnKey: '*',
      method: 'GET',
    },
    '<Response><Record action="/call_john/" finishOnKey="*" maxLength="120" method="GET" playBeep="true" timeout="5" transcribe="true" transcribeCallback="/email/" /></Response>',
  );
  await twiml(
    t,
    record,
    { playBeep: false },
    '<Response><Record method="POST" playBeep="false" /></Response>',
  );
});

test('message: text, method honoured, sender written as from (django-twilio: a sender attribute, method forced to POST)', async (t) => {
  await twiml(t, message, { message: 'test' }, '<Response><Message method="POST">test</Message></Response>');
  await twiml(
    t,
    message,
    {
      message: 'Yo!',
      to: '+12223334444',
      sender: '+18882223333',
      statusCallback: '/message/completed/',
      action: '/a/',
      method: 'GET',
    },
    '<Response><Message action="/a/" from="+18882223333" method="GET" statusCallback="/message/completed/" to="+12223334444">Yo!</Message></Response>',
  );
});

test('message: media become <Media> children and the text a <Body> (django-twilio: a media attribute)', async (t) => {
  await twiml(
    t,
    message,
    { message: 'test', media: 'http://i.imgur.com/Qa8GVPU.gif' },
    '<Response><Message method="POST"><Body>test</Body><Media>http://i.imgur.com/Qa8GVPU.gif</Media></Message></Response>',
  );
  await twiml(
    t,
    message,
    { message: 'hi', media: ['http://a/1.png', 'http://a/2.png'] },
    '<Response><Message method="POST"><Body>hi</Body><Media>http://a/1.png</Media><Media>http://a/2.png</Media></Message></Response>',
  );
});

test('sms is message under its older name', async (t) => {
  t.is(sms, message);
  await twiml(t, sms, { message: 'test' }, '<Response><Message method="POST">test</Message></Response>');
});

test('dial: number and every attribute', async (t) => {
  await twiml(
    t,
    dial,
    { number: '+18182223333' },
    '<Response><Dial method="POST">+18182223333</Dial></Response>',
  );
  await twiml(
    t,
    dial,
    {
      number: '+18182223333',
      action: '/done/',
      method: 'GET',
      timeout: 20,
      hangupOnStar: true,
      timeLimit: 60,
      callerId: '+15551234567',
    },
    '<Response><Dial action="/done/" callerId="+15551234567" hangupOnStar="true" method="GET" timeLimit="60" timeout="20">+18182223333</Dial></Response>',
  );
});

test('TWILIO_DEFAULT_CALLERID is the default callerId of dial and from of message; null opts out', async (t) => {
  const settings = twilioSettings({ TWILIO_DEFAULT_CALLERID: '+15005550006' });
  const dialed = await call(dial, { number: '+18182223333' }, settings);
  t.deepEqual(
    parseTwiml(dialed.text),
    parseTwiml('<Response><Dial callerId="+15005550006" method="POST">+18182223333</Dial></Response>'),
  );
  const texted = await call(message, { message: 'hi' }, settings);
  t.deepEqual(
    parseTwiml(texted.text),
    parseTwiml('<Response><Message from="+15005550006" method="POST">hi</Message></Response>'),
  );
  const none = await call(dial, { number: '+18182223333', callerId: null }, settings);
  t.deepEqual(
    parseTwiml(none.text),
    parseTwiml('<Response><Dial method="POST">+18182223333</Dial></Response>'),
  );
});

test('conference: name and every attribute, maxParticipants honoured (django-twilio drops it)', async (t) => {
  await twiml(
    t,
    conference,
    { name: 'a' },
    '<Response><Dial><Conference waitMethod="POST">a</Conference></Dial></Response>',
  );
  await twiml(
    t,
    conference,
    {
      name: 'business',
      muted: true,
      beep: false,
      startConferenceOnEnter: true,
      endConferenceOnExit: false,
      waitUrl: 'http://twimlets.com/holdmusic?Bucket=com.twilio.music.rock',
      waitMethod: 'GET',
      maxParticipants: 10,
    },
    '<Response><Dial><Conference beep="false" endConferenceOnExit="false" maxParticipants="10" muted="true" startConferenceOnEnter="true" waitMethod="GET" waitUrl="http://twimlets.com/holdmusic?Bucket=com.twilio.music.rock">business</Conference></Dial></Response>',
  );
  await twiml(
    t,
    conference,
    { name: 'b', beep: 'onEnter' },
    '<Response><Dial><Conference beep="onEnter" waitMethod="POST">b</Conference></Dial></Response>',
  );
});

test('conference takes its name from the URL through the app', async (t) => {
  const settings = twilioSettings({
    ROOT_URLCONF: { urlpatterns: [path('conference/<str:name>/', conference, { waitUrl: '/say_hi/' })] },
  });
  const client = await SigningClient.create(settings);
  const response = await client.post('/conference/room42/');
  t.is(response.status, 200);
  t.deepEqual(
    parseTwiml(response.text),
    parseTwiml(
      '<Response><Dial><Conference waitUrl="/say_hi/" waitMethod="POST">room42</Conference></Dial></Response>',
    ),
  );
});

test('a URL capture TwiML cannot carry (a control character, U+FFFE) is a 400, not a 500, through the app', async (t) => {
  const settings = twilioSettings({
    ROOT_URLCONF: {
      urlpatterns: [
        path('conference/<str:name>/', conference),
        path('say/<str:voice>/', say, { text: 'hi' }),
      ],
    },
  });
  const client = await SigningClient.create(settings);
  for (const target of ['/conference/%01/', '/conference/a%EF%BF%BEb/', '/say/%1B/']) {
    const response = await client.post(target);
    t.is(response.status, 400, target);
  }
  t.is((await client.post('/conference/caf%C3%A9%09/')).status, 200, 'tab and non-ASCII are fine');
});

test('a text argument that is not a string is an ImproperlyConfigured naming it', async (t) => {
  await t.throwsAsync(call(say, { text: { a: 1 } }), {
    message: /the keyword argument 'text' must be a string, not an Object/,
  });
});
