/**
 * The Twilio request side at startup: `koa-django check` reports a twilioView without an auth
 * token, and twilioChecks(settings) validates the Twilio settings.
 */
import test from 'ava';
import { main } from '../../../src/cli.ts';
import { checkSettings } from '../../../src/conf/index.ts';
import { twilioChecks } from '../../../src/contrib/twilio/index.ts';
import { twilioSettings } from './helpers.ts';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out: out.join('\n'), err: err.join('\n') };
}

test('koa-django check reports a twilioView that checks signatures without an auth token, and fails', async (t) => {
  const { status, err } = await run([
    'check',
    '--settings',
    'test/contrib/twilio/fixtures/no-token-settings.ts',
  ]);
  t.is(status, 1);
  t.regex(
    err,
    /ERROR core\.E100: Twilio view `strView`: it checks X-Twilio-Signature \(DJANGO_TWILIO_FORGERY_PROTECTION is null and DEBUG is false\) but no auth token is configured\./,
  );
  t.regex(err, /TWILIO_AUTH_TOKEN/);
});

test('koa-django check passes once the token is configured', async (t) => {
  const { status, out, err } = await run([
    'check',
    '--settings',
    'test/contrib/twilio/fixtures/token-settings.ts',
  ]);
  t.is(status, 0, err);
  t.is(out, 'System check identified no issues.');
});

test('twilioChecks(settings) finds nothing in good settings', (t) => {
  t.deepEqual(twilioChecks(twilioSettings()), []);
  t.deepEqual(
    twilioChecks(
      twilioSettings({
        TWILIO_WEBHOOK_BASE_URL: 'https://abc.ngrok.app',
        TWILIO_PHONENUMBER_DEFAULT_REGION: 'gb',
      }),
    ),
    [],
  );
});

test('twilioChecks(settings) refuses a forgery switch that is not true, false or null', (t) => {
  const [problem] = twilioChecks(twilioSettings({ DJANGO_TWILIO_FORGERY_PROTECTION: 'yes' as never }));
  t.is(problem?.id, 'twilio.E001');
  t.is(problem?.level, 'error');
});

test('twilioChecks(settings) refuses a TWILIO_WEBHOOK_BASE_URL that is not an absolute http(s) URL without a query', (t) => {
  for (const [value, why] of [
    ['abc.ngrok.app', /is not an absolute URL/],
    ['ftp://abc.ngrok.app', /must start with https:\/\/ or http:\/\//],
    ['https://abc.ngrok.app/?x=1', /must not have a query string or fragment/],
  ] as const) {
    const [problem] = twilioChecks(twilioSettings({ TWILIO_WEBHOOK_BASE_URL: value }));
    t.is(problem?.id, 'twilio.E002', value);
    t.regex(problem?.message ?? '', why);
  }
});

test('twilioChecks(settings) refuses an unknown TWILIO_PHONENUMBER_DEFAULT_REGION', (t) => {
  const [problem] = twilioChecks(twilioSettings({ TWILIO_PHONENUMBER_DEFAULT_REGION: 'XX' }));
  t.is(problem?.id, 'twilio.E003');
});

test('twilioChecks(settings) warns when forgery protection is switched off outside DEBUG', (t) => {
  t.deepEqual(
    twilioChecks(twilioSettings({ DJANGO_TWILIO_FORGERY_PROTECTION: false })).map((m) => [m.id, m.level]),
    [['twilio.W001', 'warning']],
  );
  t.deepEqual(twilioChecks(twilioSettings({ DJANGO_TWILIO_FORGERY_PROTECTION: false, DEBUG: true })), []);
});

test('checkSettings(settings) runs the Twilio checks once the app is imported', async (t) => {
  const messages = await checkSettings(twilioSettings({ TWILIO_WEBHOOK_BASE_URL: 'nope' }));
  t.true(messages.some((m) => m.id === 'twilio.E002'));
});
