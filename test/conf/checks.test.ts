import test from 'ava';
import { createApp } from '../../src/app.ts';
import {
  checkSettings,
  defineSettings,
  formatCheckMessages,
  loadSettings,
  registerCheck,
} from '../../src/conf/index.ts';

const ids = async (input: Parameters<typeof defineSettings>[0]) =>
  (await checkSettings(defineSettings(input))).map((m) => m.id);

const strongKey = `${'k'.repeat(20)}abcdefghijklmnopqrstuvwxyz0123456789`;

test('checkSettings(settings) reports an empty SECRET_KEY as an error with a hint', async (t) => {
  const [message] = await checkSettings(defineSettings({ DEBUG: true }));
  t.is(message?.id, 'security.E101');
  t.is(message?.level, 'error');
  t.regex(message?.hint ?? '', /SECRET_KEY: process\.env\.SECRET_KEY/);
});

test('checkSettings(settings) warns about a weak SECRET_KEY only in production', async (t) => {
  t.true((await ids({ SECRET_KEY: 'short', ALLOWED_HOSTS: ['x'] })).includes('security.W009'));
  t.false((await ids({ SECRET_KEY: 'short', DEBUG: true })).includes('security.W009'));
  t.false((await ids({ SECRET_KEY: strongKey, ALLOWED_HOSTS: ['x'] })).includes('security.W009'));
});

test('checkSettings(settings) warns when ALLOWED_HOSTS is empty with DEBUG off', async (t) => {
  t.true((await ids({ SECRET_KEY: strongKey })).includes('security.W020'));
  t.false((await ids({ SECRET_KEY: strongKey, DEBUG: true })).includes('security.W020'));
});

test('checkSettings(settings) refuses a SECURE_PROXY_SSL_HEADER that is not a [META key, value] pair', async (t) => {
  t.true(
    (
      await ids({ SECRET_KEY: 's', DEBUG: true, SECURE_PROXY_SSL_HEADER: ['X-Forwarded-Proto'] as never })
    ).includes('core.E004'),
  );
  const messages = await checkSettings(
    defineSettings({ SECRET_KEY: 's', DEBUG: true, SECURE_PROXY_SSL_HEADER: ['X-Forwarded-Proto', 'https'] }),
  );
  const e005 = messages.find((m) => m.id === 'core.E005');
  t.regex(e005?.hint ?? '', /HTTP_X_FORWARDED_PROTO/);
});

test('checkSettings(settings) refuses wrong types, bad limits, unknown charsets and database URLs', async (t) => {
  const found = await ids({
    SECRET_KEY: 's',
    DEBUG: 'yes' as never,
    DATA_UPLOAD_MAX_NUMBER_FIELDS: -1,
    DEFAULT_CHARSET: 'klingon',
    DATABASE_URL: 'mysql://x',
  });
  t.true(found.includes('core.E002'));
  t.true(found.includes('core.E003'));
  t.true(found.includes('core.E006'));
  t.true(found.includes('db.E001'));
});

test('checkSettings(settings) accepts the defaults with a key and hosts', async (t) => {
  t.deepEqual(await ids({ SECRET_KEY: strongKey, ALLOWED_HOSTS: ['example.com'] }), []);
});

test('registerCheck(check) adds a check that checkSettings runs, errors sorted first', async (t) => {
  registerCheck((s) =>
    s.TWILIO_DEFAULT_CALLERID === 'bad' ? [{ id: 'test.E001', level: 'error', message: 'bad id' }] : [],
  );
  const messages = await checkSettings(
    defineSettings({ SECRET_KEY: 'short', TWILIO_DEFAULT_CALLERID: 'bad' }),
  );
  t.is(messages[0]?.level, 'error');
  t.true(messages.some((m) => m.id === 'test.E001'));
});

test('formatCheckMessages(messages) prints Django-style lines with hints', (t) => {
  t.is(formatCheckMessages([]), 'System check identified no issues.');
  const text = formatCheckMessages([{ id: 'a.E1', level: 'error', message: 'Broken.', hint: 'Fix it.' }]);
  t.is(text, 'System check identified 1 issue(s):\nERROR a.E1: Broken.\n\tHINT: Fix it.');
});

test('createApp(settings) also runs checks registered by modules the urlconf imports (a string ROOT_URLCONF)', async (t) => {
  const settings = await loadSettings('test/fixtures/settings/late-template-check.ts');
  await t.throwsAsync(createApp(settings), { message: /templates\.E001: .*missing\.ts/ });
});
