import test from 'ava';
import { Blacklist, blacklistFor, closeBlacklist } from '../../../src/contrib/twilio/blacklist.ts';
import { addCaller, removeCaller, setBlacklisted } from '../../../src/contrib/twilio/callers.ts';
import { normalizePhoneNumber } from '../../../src/contrib/twilio/phone.ts';
import { closeDatabase, createDatabase } from '../../../src/db/index.ts';
import { createTestDatabase } from '../../helpers/db.ts';
import { eventually } from './blacklist-helpers.ts';

// PGlite instances take ~0.8 GB each: one at a time.
const serial = test.serial;
const onServer = /^postgres/.test(process.env.DATABASE_URL ?? '');

serial('blacklistFor(settings, { knex }).ready loads the blacklisted callers, and only those', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  await addCaller(db.knex, '+15005550001', { blacklisted: true });
  await addCaller(db.knex, '+15005550000');
  const blacklist = blacklistFor(db.settings, { knex: db.knex });
  t.is(blacklistFor(db.settings), blacklist, 'one shared instance per Settings');
  await blacklist.ready;
  t.true(blacklist.loaded);
  t.true(blacklist.isBlacklisted('+15005550001'));
  t.false(blacklist.isBlacklisted('+15005550000'));
  t.false(blacklist.isBlacklisted('+12222222222'));
  t.deepEqual(blacklist.numbers(), ['+15005550001']);
  // What twilioView does with a From parameter:
  const region = 'US';
  for (const from of ['+1 500-555-0001', '(500) 555-0001', '+15005550001']) {
    t.true(blacklist.isBlacklisted(normalizePhoneNumber(from, region) ?? from), from);
  }
});

serial('Blacklist#isBlacklisted(e164) sees a change made through the Caller API at once', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  const blacklist = blacklistFor(db.settings, { knex: db.knex });
  await blacklist.ready;
  t.false(blacklist.isBlacklisted('+15005550002'));
  await addCaller(db.knex, '+15005550002', { blacklisted: true });
  t.true(blacklist.isBlacklisted('+15005550002'), 'after addCaller');
  await setBlacklisted(db.knex, '+15005550002', false);
  t.false(blacklist.isBlacklisted('+15005550002'), 'after setBlacklisted(false)');
  await setBlacklisted(db.knex, '+15005550002', true);
  t.true(blacklist.isBlacklisted('+15005550002'), 'after setBlacklisted(true)');
  await removeCaller(db.knex, '+15005550002');
  t.false(blacklist.isBlacklisted('+15005550002'), 'after removeCaller');
});

serial(
  'Blacklist#isBlacklisted(e164) sees a Caller API change made in a transaction as soon as it commits',
  async (t) => {
    const db = await createTestDatabase();
    t.teardown(db.destroy);
    const blacklist = new Blacklist(db.knex);
    t.teardown(() => blacklist.close());
    await blacklist.ready;
    await db.knex.transaction(async (trx) => {
      await addCaller(trx, '+15005550003', { blacklisted: true });
      await trx.transaction(async (savepoint) => {
        await addCaller(savepoint, '+15005550013', { blacklisted: true });
      });
      t.false(blacklist.isBlacklisted('+15005550003'), 'not before the commit');
    });
    t.true(blacklist.isBlacklisted('+15005550003'));
    t.true(blacklist.isBlacklisted('+15005550013'));
  },
);

serial(
  onServer
    ? 'Blacklist#isBlacklisted(e164) sees a Caller API change made through another knex on the same server at once'
    : 'Blacklist#isBlacklisted(e164) of every blacklist on the engine sees a Caller API change at once (PGlite: one knex per engine)',
  async (t) => {
    const db = await createTestDatabase();
    t.teardown(db.destroy);
    const first = new Blacklist(db.knex);
    const second = new Blacklist(db.knex);
    t.teardown(() => Promise.all([first.close(), second.close()]));
    await Promise.all([first.ready, second.ready]);
    let writer = db.knex;
    if (onServer) {
      writer = createDatabase(db.settings);
      t.teardown(() => closeDatabase(writer));
    }
    await addCaller(writer, '+15005550023', { blacklisted: true });
    t.true(first.isBlacklisted('+15005550023'));
    t.true(second.isBlacklisted('+15005550023'));
    await setBlacklisted(writer, '+15005550023', false);
    t.false(first.isBlacklisted('+15005550023'));
    t.false(second.isBlacklisted('+15005550023'));
  },
);

serial('Blacklist#isBlacklisted(e164) never sees a change whose transaction rolled back', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  const blacklist = new Blacklist(db.knex);
  t.teardown(() => blacklist.close());
  await blacklist.ready;
  await t.throwsAsync(
    db.knex.transaction(async (trx) => {
      await addCaller(trx, '+15005550004', { blacklisted: true });
      throw new Error('roll back');
    }),
    { message: 'roll back' },
  );
  t.false(blacklist.isBlacklisted('+15005550004'));
  // A savepoint that rolls back inside a transaction that commits.
  await db.knex.transaction(async (trx) => {
    await addCaller(trx, '+15005550014', { blacklisted: true });
    await trx
      .transaction(async (savepoint) => {
        await setBlacklisted(savepoint, '+15005550014', false);
        throw new Error('undo the savepoint');
      })
      .catch(() => {});
  });
  t.true(blacklist.isBlacklisted('+15005550014'));
  t.false(blacklist.isBlacklisted('+15005550004'));
  // A later committed change proves notifications still flow; the rolled-back one stays unseen.
  await db.knex('django_twilio_caller').insert({ phone_number: '+15005550005', blacklisted: true });
  t.true(await eventually(() => blacklist.isBlacklisted('+15005550005')));
  t.false(blacklist.isBlacklisted('+15005550004'));
});

serial('Blacklist#isBlacklisted(e164) follows plain SQL writes through the NOTIFY trigger', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  const blacklist = new Blacklist(db.knex);
  t.teardown(() => blacklist.close());
  await blacklist.ready;
  t.true(blacklist.listening);
  const callers = () => db.knex('django_twilio_caller');
  await callers().insert({ phone_number: '+15005550006', blacklisted: true });
  t.true(await eventually(() => blacklist.isBlacklisted('+15005550006')), 'insert');
  // An update that renumbers a caller moves the entry.
  await callers().where({ phone_number: '+15005550006' }).update({ phone_number: '+15005550007' });
  t.true(
    await eventually(
      () => blacklist.isBlacklisted('+15005550007') && !blacklist.isBlacklisted('+15005550006'),
    ),
  );
  await callers().where({ phone_number: '+15005550007' }).update({ blacklisted: false });
  t.true(await eventually(() => !blacklist.isBlacklisted('+15005550007')), 'update');
  await callers().insert([
    { phone_number: '+15005550008', blacklisted: true },
    { phone_number: '+15005550009', blacklisted: true },
  ]);
  t.true(await eventually(() => blacklist.size === 2));
  await callers().where({ phone_number: '+15005550008' }).del();
  t.true(await eventually(() => !blacklist.isBlacklisted('+15005550008')), 'delete');
  await db.knex.raw('TRUNCATE django_twilio_caller');
  t.true(await eventually(() => blacklist.size === 0), 'truncate reloads');
});

serial(
  'Blacklist#isBlacklisted(e164) follows a caller changed back and forth in one transaction (PostgreSQL drops repeated identical NOTIFYs)',
  async (t) => {
    const db = await createTestDatabase();
    t.teardown(db.destroy);
    const blacklist = new Blacklist(db.knex);
    t.teardown(() => blacklist.close());
    await blacklist.ready;
    await addCaller(db.knex, '+15005550015');
    await addCaller(db.knex, '+15005550016');
    const toggle = async (knex: typeof db.knex, number: string) => {
      for (const blacklisted of [true, false, true]) {
        await knex('django_twilio_caller').where({ phone_number: number }).update({ blacklisted });
      }
    };
    // Plain SQL (heard through NOTIFY only) and the Caller API (applied in process, then NOTIFYed).
    await db.knex.transaction((trx) => toggle(trx, '+15005550015'));
    await db.knex.transaction(async (trx) => {
      for (const blacklisted of [true, false, true]) await setBlacklisted(trx, '+15005550016', blacklisted);
    });
    // A later change: once it is seen, every notification before it has been applied.
    await db.knex('django_twilio_caller').insert({ phone_number: '+15005550017', blacklisted: true });
    t.true(await eventually(() => blacklist.isBlacklisted('+15005550017')));
    t.true(blacklist.isBlacklisted('+15005550015'), 'plain SQL');
    t.true(blacklist.isBlacklisted('+15005550016'), 'Caller API');
  },
);

serial('Blacklist#reload() resyncs a list that went stale', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  await addCaller(db.knex, '+15005550010', { blacklisted: true });
  const blacklist = new Blacklist(db.knex);
  t.teardown(() => blacklist.close());
  await blacklist.ready;
  blacklist.apply({ phoneNumber: '+15005550010', blacklisted: false });
  blacklist.apply({ phoneNumber: '+15005550011', blacklisted: true });
  t.deepEqual(blacklist.numbers(), ['+15005550011']);
  t.true(await blacklist.reload());
  t.deepEqual(blacklist.numbers(), ['+15005550010']);
});

serial('Blacklist#close() stops it; blacklistFor(settings) then starts a new one', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  await addCaller(db.knex, '+15005550012', { blacklisted: true });
  const first = blacklistFor(db.settings, { knex: db.knex });
  await first.ready;
  await first.close();
  await first.close();
  t.true(first.closed);
  t.false(first.listening);
  t.false(first.isBlacklisted('+15005550012'));
  const second = blacklistFor(db.settings, { knex: db.knex });
  t.not(second, first);
  await second.ready;
  t.true(second.isBlacklisted('+15005550012'));
  await closeBlacklist(db.settings);
  t.true(second.closed);
  await closeBlacklist(db.settings);
});

serial('closeDatabase(knex) closes the blacklists reading from it', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  const blacklist = blacklistFor(db.settings, { knex: db.knex });
  await blacklist.ready;
  t.true(blacklist.listening);
  await db.destroy();
  t.true(blacklist.closed);
  t.false(blacklist.listening);
});
