import test from 'ava';
import { twilioClient } from '../../../src/contrib/twilio/client.ts';
import { addCredential } from '../../../src/contrib/twilio/credentials.ts';
import { createTestDatabase } from '../../helpers/db.ts';

delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;

test.serial("twilioClient(settings, user, { knex }) authenticates with the user's Credential", async (t) => {
  const db = await createTestDatabase({
    settings: { TWILIO_ACCOUNT_SID: 'ACglobal000000000000000000000000000', TWILIO_AUTH_TOKEN: 'global' },
  });
  t.teardown(db.destroy);
  await addCredential(db.knex, {
    name: 'Sub-account',
    user: 42,
    accountSid: 'ACsub00000000000000000000000000000',
    authToken: 'subtoken',
  });
  const mine = await twilioClient(db.settings, { id: 42 }, { knex: db.knex });
  t.is(mine.username, 'ACsub00000000000000000000000000000');
  t.is(mine.password, 'subtoken');
  const someoneElse = await twilioClient(db.settings, { id: 43 }, { knex: db.knex });
  t.is(someoneElse.username, 'ACglobal000000000000000000000000000');
  t.is(someoneElse.password, 'global');
});
