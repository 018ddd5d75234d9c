import test from 'ava';
import {
  addCaller,
  Caller,
  CallerNotFound,
  DuplicateCaller,
  getCaller,
  listCallers,
  removeCaller,
  setBlacklisted,
} from '../../../src/contrib/twilio/callers.ts';
import { InvalidPhoneNumber } from '../../../src/contrib/twilio/phone.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

// One database for the file (each PGlite takes ~0.8 GB); every test uses its own numbers.
const serial = test.serial;
let db: TestDatabase;
test.before(async () => {
  db = await createTestDatabase();
});
test.after.always(async () => {
  await db?.destroy();
});

// upstream tests 40-43 (CallerTestCase)
serial('Caller#toString() is the E.164 number, plus " (blacklisted)" once blacklisted', async (t) => {
  const caller = await addCaller(db.knex, '+1 500-555-0000');
  t.true(caller instanceof Caller);
  t.is(typeof caller.toString, 'function');
  t.is(typeof String(caller), 'string');
  t.is(String(caller), '+15005550000');
  t.notRegex(String(caller), /blacklisted/);
  const blacklisted = await setBlacklisted(db.knex, '+15005550000', true);
  t.regex(String(blacklisted), /blacklisted/);
  t.is(String(blacklisted), '+15005550000 (blacklisted)');
});

serial(
  'addCaller(knex, number, { region, blacklisted }) stores the number in E.164 with timestamps',
  async (t) => {
    const caller = await addCaller(db.knex, '(500) 555-0011', { region: 'US', blacklisted: true });
    t.is(caller.phoneNumber, '+15005550011');
    t.true(caller.blacklisted);
    t.true(caller.createdAt instanceof Date);
    t.true(caller.updatedAt instanceof Date);
    const [row] = await db.knex('django_twilio_caller').where({ phone_number: '+15005550011' });
    t.is(row.blacklisted, true);
    t.deepEqual((await getCaller(db.knex, '+1 500 555 0011'))?.toJSON(), caller.toJSON());
  },
);

serial(
  'addCaller(knex, number) twice throws DuplicateCaller, also for another spelling of the number',
  async (t) => {
    await addCaller(db.knex, '+15005550012');
    const error = await t.throwsAsync(addCaller(db.knex, '+1 (500) 555-0012'), {
      instanceOf: DuplicateCaller,
    });
    t.is(error?.code, 'KD_TWILIO_DUPLICATE_CALLER');
    t.is(error?.status, 409);
    t.regex(error?.message ?? '', /A caller with the number \+15005550012 exists already/);
  },
);

serial('addCaller(knex, number) refuses something that is not a phone number, storing nothing', async (t) => {
  const before = (await listCallers(db.knex)).length;
  await t.throwsAsync(addCaller(db.knex, 'not a number'), { instanceOf: InvalidPhoneNumber });
  await t.throwsAsync(addCaller(db.knex, '(500) 555-0013'), {
    instanceOf: InvalidPhoneNumber,
    message: /TWILIO_PHONENUMBER_DEFAULT_REGION/,
  });
  t.is((await listCallers(db.knex)).length, before);
});

serial(
  'setBlacklisted(knex, number, flag) updates updated_at; an unknown number throws CallerNotFound',
  async (t) => {
    const caller = await addCaller(db.knex, '+15005550014');
    const changed = await setBlacklisted(db.knex, '+15005550014', true);
    t.true(changed.blacklisted);
    t.true(changed.updatedAt.getTime() >= caller.updatedAt.getTime());
    t.is(changed.createdAt.getTime(), caller.createdAt.getTime());
    const error = await t.throwsAsync(setBlacklisted(db.knex, '+15005550099', true), {
      instanceOf: CallerNotFound,
    });
    t.is(error?.code, 'KD_TWILIO_CALLER_NOT_FOUND');
    t.is(error?.status, 404);
    t.regex(error?.message ?? '', /No caller has the number \+15005550099/);
  },
);

serial('listCallers(knex, { blacklisted }) filters and orders by number', async (t) => {
  await addCaller(db.knex, '+15005550022', { blacklisted: true });
  await addCaller(db.knex, '+15005550021');
  const all = (await listCallers(db.knex)).map((c) => c.phoneNumber);
  t.deepEqual(all, [...all].sort());
  t.true(all.includes('+15005550021') && all.includes('+15005550022'));
  const blacklisted = await listCallers(db.knex, { blacklisted: true });
  t.true(blacklisted.every((c) => c.blacklisted));
  t.true(blacklisted.some((c) => c.phoneNumber === '+15005550022'));
  const allowed = await listCallers(db.knex, { blacklisted: false });
  t.true(allowed.every((c) => !c.blacklisted));
  t.true(allowed.some((c) => c.phoneNumber === '+15005550021'));
});

serial(
  'removeCaller(knex, number) deletes the row and returns it; a second time throws CallerNotFound',
  async (t) => {
    await addCaller(db.knex, '+15005550031', { blacklisted: true });
    const removed = await removeCaller(db.knex, '+1 500 555 0031');
    t.is(String(removed), '+15005550031 (blacklisted)');
    t.is(await getCaller(db.knex, '+15005550031'), null);
    await t.throwsAsync(removeCaller(db.knex, '+15005550031'), { instanceOf: CallerNotFound });
  },
);

serial('django_twilio_caller refuses a number that is not E.164 even from plain SQL', async (t) => {
  await t.throwsAsync(db.knex('django_twilio_caller').insert({ phone_number: '(500) 555-0041' }), {
    message: /django_twilio_caller_phone_number_e164/,
  });
});
