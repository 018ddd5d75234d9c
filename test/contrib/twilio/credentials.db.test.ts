import test from 'ava';
import { defineSettings } from '../../../src/conf/index.ts';
import {
  addCredential,
  Credential,
  DuplicateCredential,
  deleteCredentialForUser,
  discoverTwilioCredentials,
  getCredentialForUser,
} from '../../../src/contrib/twilio/credentials.ts';
import { createTestDatabase } from '../../helpers/db.ts';

// PGlite instances take ~0.8 GB each: one at a time. The environment pair would beat settings.
const serial = test.serial;
delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;

const settingsPair = {
  TWILIO_ACCOUNT_SID: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
  TWILIO_AUTH_TOKEN: 'Y'.repeat(32),
};

// upstream test 44 (CredentialTests.test_str) and 45 (test_credentials_fields)
serial(
  'addCredential(knex, input) stores the fields; the Credential reads as "{name} - {accountSid}"',
  async (t) => {
    const db = await createTestDatabase();
    t.teardown(db.destroy);
    const created = await addCredential(db.knex, {
      name: 'Test Credentials',
      user: { id: 1 },
      accountSid: 'XXX',
      authToken: 'YYY',
    });
    t.true(created instanceof Credential);
    t.is(String(created), 'Test Credentials - XXX');
    const read = await getCredentialForUser(db.knex, 1);
    t.truthy(read);
    t.is(read?.name, 'Test Credentials');
    t.is(read?.accountSid, 'XXX');
    t.is(read?.authToken, 'YYY');
    t.is(read?.userId, '1');
    t.true(read?.createdAt instanceof Date);
    t.false(JSON.stringify(read).includes('YYY'), 'toJSON leaves the auth token out');
  },
);

// upstream test 39 (test_twilio_client_with_credentials_model)
serial(
  "discoverTwilioCredentials(settings, user) returns the user's Credential before env and settings",
  async (t) => {
    const db = await createTestDatabase({ settings: settingsPair });
    t.teardown(db.destroy);
    await addCredential(db.knex, { name: 'mine', user: 7, accountSid: 'AAA', authToken: 'BBB' });
    t.deepEqual(await discoverTwilioCredentials(db.settings, { id: 7 }, db.knex), {
      accountSid: 'AAA',
      authToken: 'BBB',
    });
    t.deepEqual(await discoverTwilioCredentials(db.settings, '7', db.knex), {
      accountSid: 'AAA',
      authToken: 'BBB',
    });
    const saved = { ...process.env };
    t.teardown(() => {
      delete process.env.TWILIO_ACCOUNT_SID;
      delete process.env.TWILIO_AUTH_TOKEN;
      Object.assign(process.env, { ...saved });
    });
    process.env.TWILIO_ACCOUNT_SID = 'ACenv';
    process.env.TWILIO_AUTH_TOKEN = 'envtoken';
    t.deepEqual(await discoverTwilioCredentials(db.settings, { id: 7 }, db.knex), {
      accountSid: 'AAA',
      authToken: 'BBB',
    });
    // A user without a Credential gets the global pair (here the environment's).
    t.deepEqual(await discoverTwilioCredentials(db.settings, { id: 8 }, db.knex), {
      accountSid: 'ACenv',
      authToken: 'envtoken',
    });
  },
);

serial(
  'discoverTwilioCredentials(settings, user) with neither a Credential nor a global pair names all three sources',
  async (t) => {
    const db = await createTestDatabase();
    t.teardown(db.destroy);
    await t.throwsAsync(discoverTwilioCredentials(defineSettings({}), { id: 3 }, db.knex), {
      message:
        /environment, or both TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in settings, or store a Credential for the user/,
    });
  },
);

serial(
  'addCredential(knex, input) refuses a second Credential for a user (OneToOne, as upstream)',
  async (t) => {
    const db = await createTestDatabase();
    t.teardown(db.destroy);
    await addCredential(db.knex, { name: 'first', user: 5, accountSid: 'AC1', authToken: 't1' });
    const error = await t.throwsAsync(
      addCredential(db.knex, { name: 'second', user: { id: 5 }, accountSid: 'AC2', authToken: 't2' }),
      { instanceOf: DuplicateCredential },
    );
    t.is(error?.code, 'KD_TWILIO_DUPLICATE_CREDENTIAL');
    t.regex(error?.message ?? '', /User 5 already has a Twilio Credential/);
    t.true(await deleteCredentialForUser(db.knex, 5));
    t.false(await deleteCredentialForUser(db.knex, 5));
    t.is(await getCredentialForUser(db.knex, 5), null);
  },
);

serial(
  "addCredential(knex, input) refuses fields longer than django-twilio's columns, naming the field",
  async (t) => {
    const db = await createTestDatabase();
    t.teardown(db.destroy);
    await t.throwsAsync(
      addCredential(db.knex, { name: 'n'.repeat(31), user: 1, accountSid: 'AC', authToken: 't' }),
      {
        instanceOf: TypeError,
        message: /Credential name is 31 characters long; the column holds at most 30/,
      },
    );
    await t.throwsAsync(
      addCredential(db.knex, { name: 'n', user: 1, accountSid: 'A'.repeat(35), authToken: 't' }),
      {
        message: /accountSid .* at most 34/,
      },
    );
    await t.throwsAsync(
      addCredential(db.knex, { name: 'n', user: 'bob', accountSid: 'AC', authToken: 't' }),
      {
        message: /numeric id/,
      },
    );
    t.is(await getCredentialForUser(db.knex, 1), null);
  },
);
