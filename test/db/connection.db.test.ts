import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { checkSettings, defineSettings } from '../../src/conf/index.ts';
import { connectionError } from '../../src/db/errors.ts';
import {
  closeDatabase,
  createDatabase,
  describeDatabase,
  dumpPGlite,
  getDatabase,
  OperationalError,
  parseDatabaseUrl,
} from '../../src/db/index.ts';
import type { PostgresTarget } from '../../src/db/url.ts';
import { ImproperlyConfigured } from '../../src/exceptions.ts';
import { createTestDatabase } from '../helpers/db.ts';

// PGlite instances take ~0.8 GB each: one at a time per file.
const serial = test.serial;

const pgTarget = parseDatabaseUrl('postgres://app:hunter2@db.internal:6543/shop', '/') as PostgresTarget;

serial(
  'createDatabase(settings) opens a pg knex for postgres:// and postgresql:// URLs without connecting',
  async (t) => {
    for (const url of [
      'postgres://app:hunter2@127.0.0.1:1/shop',
      'postgresql://app:hunter2@127.0.0.1:1/shop',
    ]) {
      const knex = createDatabase(defineSettings({ DATABASE_URL: url }));
      t.is(knex.client.dialect, 'postgresql');
      t.is(knex.client.driverName, 'pg');
      await closeDatabase(knex);
    }
  },
);

serial('describeDatabase(settings) names the server without its password', (t) => {
  const settings = defineSettings({
    DATABASE_URL: 'postgres://app:hunter2@db.internal:6543/shop?sslpassword=x',
  });
  const description = describeDatabase(settings);
  t.is(description, 'PostgreSQL postgres://app@db.internal:6543/shop?sslpassword=***');
  t.false(description.includes('hunter2'));
});

serial('describeDatabase(settings) resolves a pglite:<dir> data directory against BASE_DIR', (t) => {
  const settings = defineSettings({ DATABASE_URL: 'pglite:var/pg', BASE_DIR: '/srv/app' });
  t.is(describeDatabase(settings), 'PGlite (embedded) at /srv/app/var/pg');
  t.is(describeDatabase(defineSettings({ DATABASE_URL: 'pglite:memory' })), 'PGlite (embedded, in memory)');
});

serial('createDatabase(settings) with pglite:memory runs real PostgreSQL in-process', async (t) => {
  const knex = createDatabase(defineSettings({ DATABASE_URL: 'pglite:memory' }));
  t.teardown(() => closeDatabase(knex));
  const { rows } = await knex.raw('select version() as version');
  t.regex(rows[0].version, /^PostgreSQL \d+/);
});

serial(
  'createDatabase(settings) with pglite:<dir> creates the directory and keeps data across close and reopen',
  async (t) => {
    const base = await mkdtemp(path.join(tmpdir(), 'kd-pglite-'));
    t.teardown(() => rm(base, { recursive: true, force: true }));
    const settings = defineSettings({ DATABASE_URL: 'pglite:nested/data', BASE_DIR: base });

    const first = createDatabase(settings);
    await first.schema.createTable('note', (table) => table.text('body'));
    await first('note').insert({ body: 'kept' });
    const error = t.throws(() => createDatabase(settings), { instanceOf: ImproperlyConfigured });
    t.regex(error.message, /already open in this process.*getDatabase\(settings\)/s);
    await closeDatabase(first);
    t.true((await stat(path.join(base, 'nested', 'data'))).isDirectory());

    const reopened = createDatabase(settings);
    t.teardown(() => closeDatabase(reopened));
    t.deepEqual(await reopened('note').pluck('body'), ['kept']);
  },
);

serial(
  'createDatabase(settings) throws ImproperlyConfigured naming DATABASE_URL and the accepted forms',
  (t) => {
    const error = t.throws(
      () => createDatabase(defineSettings({ DATABASE_URL: 'mysql://root:hunter2@db/app' })),
      {
        instanceOf: ImproperlyConfigured,
      },
    );
    t.regex(error.message, /^DATABASE_URL 'mysql:\/\/root@db\/app' is not supported\./);
    t.regex(error.message, /postgres:\/\/.*pglite:<dir>.*pglite:memory/s);
    t.false(error.message.includes('hunter2'));
  },
);

serial('createDatabase(settings) refuses pglite: without a directory and pglite:// URLs', (t) => {
  for (const url of ['pglite:', 'pglite://var/data']) {
    const error = t.throws(() => createDatabase(defineSettings({ DATABASE_URL: url })), {
      instanceOf: ImproperlyConfigured,
    });
    t.regex(error.message, /names no PGlite data directory.*'pglite:\.data'/s);
  }
});

serial('createDatabase(settings) refuses an unparsable PostgreSQL URL without echoing it', (t) => {
  const error = t.throws(
    () => createDatabase(defineSettings({ DATABASE_URL: 'postgres://app:p@ss@[bad/x' })),
    {
      instanceOf: ImproperlyConfigured,
    },
  );
  t.regex(error.message, /is not a valid URL\. Percent-encode/);
  t.false(error.message.includes('ss@'));
});

serial('a query on an unreachable server fails with OperationalError saying how to fix it', async (t) => {
  const knex = createDatabase(defineSettings({ DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/x' }));
  t.teardown(() => closeDatabase(knex));
  const error = await t.throwsAsync(knex.raw('select 1'), { instanceOf: OperationalError });
  t.is(
    error.message,
    'Could not connect to the PostgreSQL server named by DATABASE_URL (postgres://postgres@127.0.0.1:1/x): ' +
      'connection refused. Is the PostgreSQL server running on 127.0.0.1:1? Start it, or unset DATABASE_URL to ' +
      'use the embedded database.',
  );
  t.is(error.code, 'KD_OPERATIONAL_ERROR');
  t.is((error.cause as { code?: string }).code, 'ECONNREFUSED');
});

serial('connectionError() explains a missing database with the command that creates it', (t) => {
  const cause = Object.assign(new Error('database "shop" does not exist'), { code: '3D000' });
  t.is(
    connectionError(cause, pgTarget).message,
    "The database 'shop' named by DATABASE_URL (postgres://app@db.internal:6543/shop) does not exist. Create it " +
      '(createdb -h db.internal -p 6543 -U app shop, or CREATE DATABASE "shop"), or fix the database name in DATABASE_URL.',
  );
});

serial('connectionError() explains a refused login without showing the password', (t) => {
  const cause = Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' });
  const { message } = connectionError(cause, pgTarget);
  t.regex(message, /refused the login of user 'app'.*Check the user name and password in DATABASE_URL\./);
  t.false(message.includes('hunter2'));
});

serial('connectionError() finds the code inside an AggregateError and explains an unknown host', (t) => {
  const refused = new AggregateError(
    [Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })],
    'connect',
  );
  t.regex(
    connectionError(refused, pgTarget).message,
    /Is the PostgreSQL server running on db\.internal:6543\?/,
  );
  const unknown = Object.assign(new Error('getaddrinfo ENOTFOUND db.internal'), { code: 'ENOTFOUND' });
  t.regex(connectionError(unknown, pgTarget).message, /does not resolve\. Fix the host in DATABASE_URL/);
});

serial('getDatabase(settings) shares one knex per Settings object until closeDatabase()', async (t) => {
  const settings = defineSettings({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' });
  const other = defineSettings({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' });
  const knex = getDatabase(settings);
  t.is(getDatabase(settings), knex);
  const otherKnex = getDatabase(other);
  t.not(otherKnex, knex);
  await closeDatabase(knex);
  const fresh = getDatabase(settings);
  t.not(fresh, knex);
  await closeDatabase(fresh);
  await closeDatabase(otherKnex);
});

serial('dumpPGlite(knex) and { loadDataDir } refuse a PostgreSQL server', async (t) => {
  const knex = createDatabase(defineSettings({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' }));
  t.teardown(() => closeDatabase(knex));
  await t.throwsAsync(dumpPGlite(knex), { instanceOf: ImproperlyConfigured, message: /use pg_dump/ });
  t.throws(
    () =>
      createDatabase(defineSettings({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' }), {
        loadDataDir: new Blob([]),
      }),
    { instanceOf: ImproperlyConfigured, message: /Use DATABASE_URL 'pglite:memory'/ },
  );
});

serial('a session_key inserted twice violates the primary key (23505)', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  const row = { session_key: 'a'.repeat(40), session_data: '{}', expire_date: new Date() };
  await db.knex('django_session').insert(row);
  const error = await t.throwsAsync(db.knex('django_session').insert(row));
  t.is((error as Error & { code?: string }).code, '23505');
});

serial('timestamptz values round-trip as the same instant whatever the offset written', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  const exact = new Date('2026-03-04T05:06:07.891Z');
  await db.knex('django_session').insert([
    { session_key: 'exact', session_data: '', expire_date: exact },
    { session_key: 'offset', session_data: '', expire_date: '2026-03-04T12:00:00+02:00' },
  ]);
  const rows = await db.knex('django_session').select('session_key', 'expire_date').orderBy('session_key');
  t.deepEqual(
    rows.map((r) => [r.session_key, (r.expire_date as Date).toISOString()]),
    [
      ['exact', '2026-03-04T05:06:07.891Z'],
      ['offset', '2026-03-04T10:00:00.000Z'],
    ],
  );
});

serial('count(*) and other bigint values come back as strings on every engine (as pg does)', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  const { rows } = await db.knex.raw('select count(*) as n, 3000000000::int8 as big from django_session');
  t.deepEqual(rows[0], { n: '0', big: '3000000000' });
});

serial('knex(table).update() and .delete() answer the number of rows touched on every engine', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  const expire = new Date(Date.now() + 60_000);
  await db
    .knex('django_session')
    .insert(['a', 'b', 'c'].map((key) => ({ session_key: key, session_data: 'x', expire_date: expire })));
  t.is(await db.knex('django_session').where({ session_key: 'a' }).update({ session_data: 'y' }), 1);
  t.is(await db.knex('django_session').whereIn('session_key', ['a', 'b']).delete(), 2);
  t.is(await db.knex('django_session').where({ session_key: 'nope' }).delete(), 0);
});

serial(
  'checkSettings(settings) reports a malformed DATABASE_URL as database.E001 once koa-django/db is loaded',
  async (t) => {
    const found = await checkSettings(
      defineSettings({ DATABASE_URL: 'sqlite:db.sqlite3', SECRET_KEY: 'x'.repeat(50) }),
    );
    const problem = found.find((m) => m.id === 'database.E001');
    t.is(problem?.level, 'error');
    t.regex(problem?.message ?? '', /^DATABASE_URL 'sqlite:db\.sqlite3' is not supported\./);
    const fine = await checkSettings(
      defineSettings({ DATABASE_URL: 'pglite:memory', SECRET_KEY: 'x'.repeat(50) }),
    );
    t.false(fine.some((m) => m.id === 'database.E001'));
  },
);
