/**
 * The blacklist across processes and through failures: another process's change arrives
 * without a restart, a lost LISTEN connection is followed by a full resync, and a database
 * outage mid-traffic leaves webhooks answering from the last known list.
 *
 * On a PostgreSQL server (DATABASE_URL=postgres://...) these run for real: a second node
 * process, `pg_terminate_backend`, and a TCP proxy in front of the server that is cut, frozen
 * and restored. PGlite is one engine inside one process, with no connection to lose, so there
 * each test asserts its in-process counterpart instead, and says so in its name.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import test from 'ava';
import { defineSettings } from '../../../src/conf/index.ts';
import { Blacklist, blacklistFor } from '../../../src/contrib/twilio/blacklist.ts';
import { addCaller, setBlacklisted } from '../../../src/contrib/twilio/callers.ts';
import { closeDatabase, createDatabase } from '../../../src/db/index.ts';
import { addLogHandler, type LogRecord } from '../../../src/utils/log.ts';
import { Client } from '../../helpers/client.ts';
import { createTestDatabase } from '../../helpers/db.ts';
import { databaseProxy, eventually } from './blacklist-helpers.ts';
import * as urls from './fixtures/urls.ts';
import { STR_BODY } from './fixtures/views.ts';
import { twilioSettings } from './helpers.ts';

// PGlite instances take ~0.8 GB each: one at a time.
const serial = test.serial;
const onServer = /^postgres/.test(process.env.DATABASE_URL ?? '');
const PEER = fileURLToPath(new URL('./blacklist-peer.ts', import.meta.url));
const STR = '/test_app/decorators/str_view/';
/** Fast retries, so the tests see a reconnection within their deadline. */
const FAST = { minReconnectDelayMs: 20, maxReconnectDelayMs: 200, minRetryDelayMs: 20, timeoutMs: 2_000 };

/** Records logged on koa-django.twilio while the test runs. */
function captureLogs(t: { teardown: (fn: () => void) => void }): LogRecord[] {
  const records: LogRecord[] = [];
  const stop = addLogHandler((record) => {
    if (record.logger === 'koa-django.twilio') records.push(record);
  });
  t.teardown(() => {
    stop();
  });
  return records;
}

/** A second app process (blacklist-peer.ts) on `databaseUrl`, driven line by line. */
async function startPeer(t: { teardown: (fn: () => void) => void }, databaseUrl: string) {
  const child = spawn(process.execPath, ['--import=tsx', PEER], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill();
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    return done ? `exited (${await exited})` : String(value);
  };
  const send = async (command: string) => {
    child.stdin.write(`${command}\n`);
    return next();
  };
  return { first: next(), send, exited };
}

serial(
  onServer
    ? 'Blacklist#isBlacklisted(e164) follows changes made by another process, and that process sees ours (PostgreSQL: LISTEN/NOTIFY)'
    : 'Blacklist#isBlacklisted(e164) of two app instances follows plain SQL changes through the NOTIFY trigger (PGlite: one process per engine)',
  async (t) => {
    const db = await createTestDatabase();
    t.teardown(db.destroy);
    if (onServer) {
      const mine = new Blacklist(createDatabase(db.settings));
      t.teardown(() => closeDatabase(mine.knex));
      await mine.ready;
      const peer = await startPeer(t, db.settings.DATABASE_URL);
      t.is(await peer.first, 'ready listening=true size=0');

      // Theirs -> ours: no Caller API call in this process, so only the NOTIFY can tell us.
      t.is(await peer.send('add +15005550101 true'), 'ok');
      t.true(
        await eventually(() => mine.isBlacklisted('+15005550101')),
        'a blacklisting in the other process',
      );
      t.is(await peer.send('set +15005550101 false'), 'ok');
      t.true(
        await eventually(() => !mine.isBlacklisted('+15005550101')),
        'an unblacklisting in the other process',
      );

      // Ours -> theirs.
      await addCaller(db.knex, '+15005550102', { blacklisted: true });
      t.is(await peer.send('wait +15005550102 true'), 'seen');
      await setBlacklisted(db.knex, '+15005550102', false);
      t.is(await peer.send('wait +15005550102 false'), 'seen');

      // After closeDatabase nothing keeps the other process alive: it exits by itself.
      t.is(await peer.send('exit'), 'bye');
      t.is(await peer.exited, 0);
    } else {
      const first = blacklistFor(defineSettings({ DATABASE_URL: db.settings.DATABASE_URL }), {
        knex: db.knex,
      });
      const second = blacklistFor(defineSettings({ DATABASE_URL: db.settings.DATABASE_URL }), {
        knex: db.knex,
      });
      t.not(first, second);
      await Promise.all([first.ready, second.ready]);
      t.true(first.listening && second.listening);
      await db.knex('django_twilio_caller').insert({ phone_number: '+15005550101', blacklisted: true });
      t.true(
        await eventually(() => first.isBlacklisted('+15005550101') && second.isBlacklisted('+15005550101')),
      );
      await db
        .knex('django_twilio_caller')
        .where({ phone_number: '+15005550101' })
        .update({ blacklisted: false });
      t.true(
        await eventually(() => !first.isBlacklisted('+15005550101') && !second.isBlacklisted('+15005550101')),
      );
    }
  },
);

serial(
  onServer
    ? 'Blacklist resyncs in full after its LISTEN connection is terminated (pg_terminate_backend), seeing changes made meanwhile'
    : 'Blacklist#reload() resyncs in full, dropping changes it was told of but the database does not hold (PGlite: no connection to lose)',
  async (t) => {
    const db = await createTestDatabase();
    t.teardown(db.destroy);
    await addCaller(db.knex, '+15005550201', { blacklisted: true });
    if (onServer) {
      const logs = captureLogs(t);
      const proxy = await databaseProxy(db.settings.DATABASE_URL);
      t.teardown(proxy.close);
      const knex = createDatabase(defineSettings({ DATABASE_URL: proxy.url }));
      t.teardown(() => closeDatabase(knex));
      const name = `kd-test-${process.pid}-${Date.now()}`;
      const blacklist = new Blacklist(knex, { ...FAST, applicationName: name });
      await blacklist.ready;
      t.true(blacklist.listening);
      t.true(blacklist.isBlacklisted('+15005550201'));

      // Kill the listener's backend, and keep it from reconnecting while callers change.
      proxy.refuseNew();
      const { rows } = await db.knex.raw(
        'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = ?',
        [name],
      );
      t.deepEqual(rows, [{ terminated: true }]);
      t.true(await eventually(() => !blacklist.listening), 'the loss is noticed');
      await setBlacklisted(db.knex, '+15005550201', false);
      await addCaller(db.knex, '+15005550202', { blacklisted: true });
      t.true(blacklist.isBlacklisted('+15005550201'), 'still the last known list while disconnected');
      t.false(blacklist.isBlacklisted('+15005550202'));

      proxy.up();
      t.true(await eventually(() => blacklist.listening), 'reconnected');
      t.true(
        await eventually(
          () => !blacklist.isBlacklisted('+15005550201') && blacklist.isBlacklisted('+15005550202'),
        ),
        'the changes made while disconnected are seen',
      );
      t.true(
        logs.some(
          (r) => r.level === 'warning' && /Lost the caller blacklist's LISTEN connection/.test(r.message),
        ),
      );
      // And notifications flow again on the new connection.
      await db.knex('django_twilio_caller').insert({ phone_number: '+15005550203', blacklisted: true });
      t.true(await eventually(() => blacklist.isBlacklisted('+15005550203')));
    } else {
      const blacklist = new Blacklist(db.knex);
      t.teardown(() => blacklist.close());
      await blacklist.ready;
      blacklist.apply({ phoneNumber: '+15005550202', blacklisted: true });
      blacklist.apply({ phoneNumber: '+15005550201', blacklisted: false });
      t.true(await blacklist.reload());
      t.deepEqual(blacklist.numbers(), ['+15005550201']);
    }
  },
);

serial(
  onServer
    ? 'twilioView keeps answering from the last known blacklist while the PostgreSQL server is gone, logs it, and resyncs when it is back'
    : 'twilioView keeps answering from the last known blacklist after the PGlite engine closes under it, and logs the failed reload',
  async (t) => {
    const db = await createTestDatabase();
    t.teardown(db.destroy);
    await addCaller(db.knex, '+15005550301', { blacklisted: true });
    const logs = captureLogs(t);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    t.teardown(() => {
      process.off('unhandledRejection', onUnhandled);
    });

    let knex = db.knex;
    let proxy: Awaited<ReturnType<typeof databaseProxy>> | undefined;
    if (onServer) {
      proxy = await databaseProxy(db.settings.DATABASE_URL);
      t.teardown(proxy.close);
      knex = createDatabase(defineSettings({ DATABASE_URL: proxy.url }));
      const own = knex;
      t.teardown(() => closeDatabase(own));
    }
    const settings = twilioSettings({
      ROOT_URLCONF: urls,
      DJANGO_TWILIO_FORGERY_PROTECTION: false,
      DJANGO_TWILIO_BLACKLIST_CHECK: true,
      DATABASE_URL: db.settings.DATABASE_URL,
    });
    const blacklist = blacklistFor(settings, { knex, ...FAST });
    const client = await Client.create(settings);
    await blacklist.ready;
    const call = (from: string) => client.post(STR, { From: from, CallSid: 'CA0000000001' });
    t.regex((await call('+15005550301')).text, /<Reject/);
    t.is((await call('+15005550302')).text, STR_BODY);

    // The outage.
    if (proxy) proxy.down();
    else await ((knex.client as { pglite: PGlite }).pglite as PGlite).close();
    if (!onServer) await blacklist.reload();
    t.true(
      await eventually(() => logs.some((r) => r.level === 'warning')),
      'the failure is logged on koa-django.twilio',
    );
    for (let i = 0; i < 20; i++) {
      const blocked = await call('+15005550301');
      t.is(blocked.status, 200);
      t.regex(blocked.text, /<Reject/, 'still rejected from the last known list');
      t.is((await call('+15005550302')).text, STR_BODY);
    }
    t.false(await blacklist.reload(), 'a reload fails without throwing');
    t.true(blacklist.isBlacklisted('+15005550301'));

    if (proxy) {
      // Changes made during the outage (directly on the server) are seen once it is back.
      await setBlacklisted(db.knex, '+15005550301', false);
      await addCaller(db.knex, '+15005550302', { blacklisted: true });
      proxy.up();
      t.true(
        await eventually(
          () => !blacklist.isBlacklisted('+15005550301') && blacklist.isBlacklisted('+15005550302'),
        ),
      );
      t.regex((await call('+15005550302')).text, /<Reject/);
      t.true(
        logs.some((r) => r.level === 'info' && /again/.test(r.message)),
        'the recovery is logged',
      );
    }
    t.deepEqual(unhandled, []);
  },
);

serial(
  onServer
    ? 'Blacklist notices a connection that went silent (network partition) by its heartbeat, and resyncs after it'
    : 'Blacklist#listening turns false once its PGlite engine is gone, and close() still resolves (PGlite: no network to partition)',
  async (t) => {
    const db = await createTestDatabase();
    t.teardown(db.destroy);
    if (onServer) {
      const proxy = await databaseProxy(db.settings.DATABASE_URL);
      t.teardown(proxy.close);
      const knex = createDatabase(defineSettings({ DATABASE_URL: proxy.url }));
      t.teardown(() => closeDatabase(knex));
      const blacklist = new Blacklist(knex, { ...FAST, heartbeatMs: 100, timeoutMs: 300 });
      await blacklist.ready;
      t.true(blacklist.listening);
      proxy.freeze();
      t.true(await eventually(() => !blacklist.listening), 'the silent connection is given up');
      await addCaller(db.knex, '+15005550401', { blacklisted: true });
      t.false(blacklist.isBlacklisted('+15005550401'));
      proxy.up();
      t.true(await eventually(() => blacklist.listening && blacklist.isBlacklisted('+15005550401')));
    } else {
      const blacklist = new Blacklist(db.knex);
      await blacklist.ready;
      t.true(blacklist.listening);
      await addCaller(db.knex, '+15005550401', { blacklisted: true });
      await (db.knex.client as { pglite: PGlite }).pglite.close();
      t.false(blacklist.listening);
      t.true(blacklist.isBlacklisted('+15005550401'), 'the last known list stays');
      await t.notThrowsAsync(blacklist.close());
    }
  },
);
