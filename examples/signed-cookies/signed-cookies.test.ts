import test from 'ava';
import { signCookieValue, unsignCookieValue } from '../../src/signing.ts';
import { addLogHandler, type LogRecord } from '../../src/utils/log.ts';
import { Client } from '../../test/helpers/client.ts';
import settings, { perViewSettings } from './settings.ts';

const DAY = 24 * 60 * 60;

test('site-wide: the visits counter survives between requests in a signed cookie', async (t) => {
  const client = await Client.create(settings);
  const first = await client.get('/');
  t.is(first.text, 'Visit number 1');
  t.regex(
    first.setCookies[0] ?? '',
    /^visits=1:[0-9A-Za-z]+:[\w-]{43}; expires=[^;]+; HttpOnly; Max-Age=31536000; Path=\/; SameSite=Lax$/,
  );
  t.is((await client.get('/')).text, 'Visit number 2');
  t.is((await client.get('/')).text, 'Visit number 3');
});

test('site-wide: a visitor who edits, forges or swaps the cookie starts again from 1 (never a 500)', async (t) => {
  const client = await Client.create(settings);
  await client.get('/');
  const signed = client.cookies.get('visits') ?? '';
  for (const cookie of [
    'visits=1000',
    `visits=${signed.replace(/^1:/, '1000:')}`,
    `visits=${signCookieValue({ SECRET_KEY: 'not-this-site' }, 'visits', '1000')}`,
    `visits=${signCookieValue(settings, 'other', '1000')}`,
    'visits="\\"',
  ]) {
    const response = await client.get('/', { headers: { cookie } });
    t.is(response.status, 200, cookie);
    t.is(response.text, 'Visit number 1', cookie);
  }
});

test('site-wide: forget/ deletes the cookie (the deletion is not signed)', async (t) => {
  const client = await Client.create(settings);
  await client.get('/');
  const forgotten = await client.get('/forget/');
  t.deepEqual(forgotten.setCookies, ['visits=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/']);
  t.is((await client.get('/')).text, 'Visit number 1');
});

test('site-wide: a Django app with the same SECRET_KEY reads the cookie with get_signed_cookie("visits")', async (t) => {
  const client = await Client.create(settings);
  await client.get('/');
  await client.get('/');
  t.is(unsignCookieValue(settings, 'visits', client.cookies.get('visits') ?? ''), '2');
});

test('per view: only the decorated theme/ view signs its cookie, with its salt', async (t) => {
  const client = await Client.create(perViewSettings);
  const set = await client.get('/theme/?set=dark');
  t.is(set.text, 'Theme: dark');
  t.is(
    unsignCookieValue(perViewSettings, 'theme', client.cookies.get('theme') ?? '', { salt: 'theme' }),
    'dark',
  );
  t.is((await client.get('/theme/')).text, 'Theme: dark');
  const plain = await client.get('/');
  t.regex(plain.setCookies[0] ?? '', /^visits=1; /, 'visits/ is not decorated: its cookie is plain');
});

test('per view: a theme cookie without the salt, or older than 30 days, is dropped and the theme resets', async (t) => {
  const client = await Client.create(perViewSettings);
  const now = Date.now() / 1000;
  for (const value of [
    'dark',
    signCookieValue(perViewSettings, 'theme', 'dark'),
    signCookieValue(perViewSettings, 'theme', 'dark', { salt: 'theme', clock: () => now - 31 * DAY }),
  ]) {
    t.is(
      (await client.get('/theme/', { headers: { cookie: `theme=${value}` } })).text,
      'Theme: light',
      value,
    );
  }
  const recent = signCookieValue(perViewSettings, 'theme', 'dark', {
    salt: 'theme',
    clock: () => now - 29 * DAY,
  });
  t.is((await client.get('/theme/', { headers: { cookie: `theme=${recent}` } })).text, 'Theme: dark');
});

test('per view: an unknown theme is a 400 with the choices', async (t) => {
  const client = await Client.create(perViewSettings);
  const response = await client.get('/theme/?set=neon');
  t.is(response.status, 400);
  t.is(response.text, 'Unknown theme. Choose one of: light, dark.');
});

test.serial('both set-ups start without the double-processing warning', async (t) => {
  const records: LogRecord[] = [];
  const stop = addLogHandler((r) => r.logger === 'koa-django.checks' && records.push(r));
  try {
    await Client.create(settings);
    await Client.create(perViewSettings);
  } finally {
    stop();
  }
  t.deepEqual(records, []);
});
