import test from 'ava';
import { defineSettings } from '../../../src/conf/index.ts';
import { defaultCredentials, discoverTwilioCredentials } from '../../../src/contrib/twilio/credentials.ts';
import { ImproperlyConfigured } from '../../../src/exceptions.ts';

// These tests change process.env: run them one at a time, each restoring what it found.
const serial = test.serial;

const SETTINGS_SID = 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';
const SETTINGS_TOKEN = 'YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY';
const settings = defineSettings({ TWILIO_ACCOUNT_SID: SETTINGS_SID, TWILIO_AUTH_TOKEN: SETTINGS_TOKEN });
const bare = defineSettings({});

function withEnv(
  t: { teardown: (fn: () => void) => void },
  values: Record<string, string | undefined>,
): void {
  const saved = { sid: process.env.TWILIO_ACCOUNT_SID, token: process.env.TWILIO_AUTH_TOKEN };
  t.teardown(() => {
    for (const [key, value] of [
      ['TWILIO_ACCOUNT_SID', saved.sid],
      ['TWILIO_AUTH_TOKEN', saved.token],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

// upstream test 35 (test_discover_twilio_credentials_environ)
serial('discoverTwilioCredentials(settings) prefers the environment pair to the settings pair', async (t) => {
  withEnv(t, { TWILIO_ACCOUNT_SID: 'ACenv', TWILIO_AUTH_TOKEN: 'envtoken' });
  t.deepEqual(await discoverTwilioCredentials(settings), { accountSid: 'ACenv', authToken: 'envtoken' });
});

// upstream test 36 (test_discover_twilio_credentials_none)
serial(
  'discoverTwilioCredentials(settings) with no credentials anywhere throws ImproperlyConfigured naming them',
  async (t) => {
    withEnv(t, { TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined });
    const error = await t.throwsAsync(discoverTwilioCredentials(bare), { instanceOf: ImproperlyConfigured });
    t.regex(error?.message ?? '', /TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in the environment/);
    t.regex(error?.message ?? '', /in settings/);
    t.notRegex(error?.message ?? '', /Credential for the user/);
  },
);

serial('discoverTwilioCredentials(settings) falls back to the settings pair', async (t) => {
  withEnv(t, { TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined });
  t.deepEqual(await discoverTwilioCredentials(settings), {
    accountSid: SETTINGS_SID,
    authToken: SETTINGS_TOKEN,
  });
});

serial('defaultCredentials(settings) never mixes one environment variable with one setting', (t) => {
  withEnv(t, { TWILIO_ACCOUNT_SID: 'ACenv', TWILIO_AUTH_TOKEN: undefined });
  t.deepEqual(defaultCredentials(settings), { accountSid: SETTINGS_SID, authToken: SETTINGS_TOKEN });
  t.is(defaultCredentials(defineSettings({ TWILIO_AUTH_TOKEN: 'only-token' })), null);
  process.env.TWILIO_AUTH_TOKEN = 'envtoken';
  delete process.env.TWILIO_ACCOUNT_SID;
  t.deepEqual(defaultCredentials(settings), { accountSid: SETTINGS_SID, authToken: SETTINGS_TOKEN });
});

serial('defaultCredentials(settings) counts empty environment variables as set (as django-twilio)', (t) => {
  withEnv(t, { TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' });
  t.deepEqual(defaultCredentials(settings), { accountSid: '', authToken: '' });
});

serial('defaultCredentials(settings) needs both settings non-null', (t) => {
  withEnv(t, { TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined });
  t.is(defaultCredentials(bare), null);
  t.is(defaultCredentials(defineSettings({ TWILIO_ACCOUNT_SID: SETTINGS_SID })), null);
  t.deepEqual(defaultCredentials(defineSettings({ TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' })), {
    accountSid: '',
    authToken: '',
  });
});

serial('defaultCredentials(settings) reads the environment when called, not when imported', (t) => {
  withEnv(t, { TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined });
  t.is(defaultCredentials(bare), null);
  process.env.TWILIO_ACCOUNT_SID = 'AClate';
  process.env.TWILIO_AUTH_TOKEN = 'late';
  t.deepEqual(defaultCredentials(bare), { accountSid: 'AClate', authToken: 'late' });
});

serial('discoverTwilioCredentials(settings, user) without a user id asks no database', async (t) => {
  withEnv(t, { TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined });
  // An anonymous user (no id) and null: the settings pair, and no database is opened (this
  // Settings object names no reachable database).
  const unreachable = defineSettings({ ...settings, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
  for (const user of [null, undefined, {}, { id: null }]) {
    t.deepEqual(await discoverTwilioCredentials(unreachable, user), {
      accountSid: SETTINGS_SID,
      authToken: SETTINGS_TOKEN,
    });
  }
});
