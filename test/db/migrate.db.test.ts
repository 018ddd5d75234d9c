import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import {
  DirectoryMigrationSource,
  MIGRATIONS_DIR,
  migrate,
  rollback,
  showMigrations,
} from '../../src/db/index.ts';
import { ImproperlyConfigured } from '../../src/exceptions.ts';
import { createTestDatabase } from '../helpers/db.ts';

// PGlite instances take ~0.8 GB each: one at a time per file.
const serial = test.serial;
const SESSIONS = '20260101000000_sessions_initial';
/** Every migration of the project, in order (apps add theirs to migrations/). */
const PROJECT = (await new DirectoryMigrationSource([MIGRATIONS_DIR]).getMigrations()).map((m) => m.name);

/** A temporary folder holding `files` (name -> source). */
async function folder(t: { teardown: (fn: () => Promise<void>) => void }, files: Record<string, string>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'kd-migrations-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (const [name, source] of Object.entries(files)) await writeFile(path.join(dir, name), source);
  return dir;
}

const createTable = (table: string) =>
  `export async function up(knex) { await knex.schema.createTable('${table}', (t) => t.increments()); }\n` +
  `export async function down(knex) { await knex.schema.dropTable('${table}'); }\n`;

serial('migrate(knex) applies the sessions migration once and is idempotent', async (t) => {
  const db = await createTestDatabase({ migrated: false });
  t.teardown(db.destroy);
  t.false(await db.knex.schema.hasTable('django_session'));
  t.deepEqual(await migrate(db.knex), { applied: PROJECT });
  t.true(await db.knex.schema.hasTable('django_session'));
  t.deepEqual(await migrate(db.knex), { applied: [] });
  t.deepEqual(await db.knex('knex_migrations').pluck('name'), PROJECT);
});

serial('migrate(knex) records migration names without their file extension', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  const names: string[] = await db.knex('knex_migrations').pluck('name');
  t.deepEqual(names, PROJECT);
});

serial("migrate(knex) creates Django's django_session table", async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  const columns = await db
    .knex('information_schema.columns')
    .where({ table_name: 'django_session' })
    .orderBy('ordinal_position')
    .select('column_name', 'data_type', 'character_maximum_length', 'is_nullable');
  t.deepEqual(columns, [
    {
      column_name: 'session_key',
      data_type: 'character varying',
      character_maximum_length: 40,
      is_nullable: 'NO',
    },
    { column_name: 'session_data', data_type: 'text', character_maximum_length: null, is_nullable: 'NO' },
    {
      column_name: 'expire_date',
      data_type: 'timestamp with time zone',
      character_maximum_length: null,
      is_nullable: 'NO',
    },
  ]);
  const indexes: string[] = await db
    .knex('pg_indexes')
    .where({ tablename: 'django_session' })
    .pluck('indexdef');
  t.true(indexes.some((def) => /UNIQUE INDEX .* \(session_key\)/.test(def)));
  t.true(indexes.some((def) => /INDEX .* USING btree \(expire_date\)/.test(def)));
});

serial(
  'migrate(knex) accepts a database migrated from .ts files when only .js files exist (compiled build)',
  async (t) => {
    const db = await createTestDatabase({ migrated: false });
    t.teardown(db.destroy);
    const source = await folder(t, { '20990101000000_demo_widgets.ts': createTable('widget') });
    const compiled = await folder(t, {
      'package.json': '{"type":"module"}',
      '20990101000000_demo_widgets.js': createTable('widget'),
    });
    t.deepEqual(await migrate(db.knex, { directory: source }), { applied: ['20990101000000_demo_widgets'] });
    t.deepEqual(await migrate(db.knex, { directory: compiled }), { applied: [] });
  },
);

serial('migrate(knex, { directory }) merges several folders in file-name order', async (t) => {
  const db = await createTestDatabase({ migrated: false });
  t.teardown(db.destroy);
  const app = await folder(t, {
    '20250101000000_shop_orders.ts': createTable('order'),
    '20990101000000_shop_refunds.ts': createTable('refund'),
  });
  const { applied } = await migrate(db.knex, { directory: [MIGRATIONS_DIR, app] });
  t.deepEqual(applied, ['20250101000000_shop_orders', ...PROJECT, '20990101000000_shop_refunds']);
});

serial('migrate(knex) names the migration that failed and keeps the PostgreSQL error code', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  const broken = await folder(t, {
    '20990101000000_demo_broken.ts':
      "export async function up(knex) { await knex.raw('select * from no_such_table'); }\n",
  });
  const error = await t.throwsAsync(migrate(db.knex, { directory: [MIGRATIONS_DIR, broken] }));
  t.regex(error.message, /^Migration 20990101000000_demo_broken \(up\) failed: .*no_such_table/);
  t.is((error as Error & { code?: string }).code, '42P01');
  t.deepEqual(await db.knex('knex_migrations').pluck('name'), PROJECT);
});

serial('showMigrations(knex) lists every migration with its applied flag', async (t) => {
  const db = await createTestDatabase({ migrated: false });
  t.teardown(db.destroy);
  t.deepEqual(
    await showMigrations(db.knex),
    PROJECT.map((name) => ({ name, applied: false, appliedAt: null })),
  );
  await migrate(db.knex);
  const [status] = await showMigrations(db.knex);
  t.is(status?.name, SESSIONS);
  t.true(status?.applied);
  t.true(status?.appliedAt instanceof Date);
});

serial('rollback(knex) explains that a migration without down() is irreversible', async (t) => {
  const db = await createTestDatabase({ migrated: false });
  t.teardown(db.destroy);
  const dir = await folder(t, {
    '20990101000000_demo_oneway.ts': "export async function up(knex) { await knex.raw('select 1'); }\n",
  });
  t.deepEqual(await migrate(db.knex, { directory: dir }), { applied: ['20990101000000_demo_oneway'] });
  await t.throwsAsync(rollback(db.knex, { directory: dir }), {
    instanceOf: ImproperlyConfigured,
    message:
      /^Migration 20990101000000_demo_oneway \(down\) failed: .* is irreversible: it exports no down\(\)/,
  });
});

serial('rollback(knex) undoes the last batch and migrate() re-applies it', async (t) => {
  const db = await createTestDatabase();
  t.teardown(db.destroy);
  t.deepEqual(await rollback(db.knex), { rolledBack: [...PROJECT].reverse() });
  t.false(await db.knex.schema.hasTable('django_session'));
  t.deepEqual(await migrate(db.knex), { applied: PROJECT });
});

serial('DirectoryMigrationSource#getMigrations() skips .d.ts files and other non-modules', async (t) => {
  const dir = await folder(t, {
    '20990101000000_demo_a.ts': createTable('a'),
    '20990101000000_demo_a.d.ts': 'export declare function up(knex: unknown): Promise<void>;\n',
    'README.md': '# notes\n',
    '.20990101000000_demo_hidden.ts': createTable('hidden'),
  });
  const migrations = await new DirectoryMigrationSource([dir]).getMigrations();
  t.deepEqual(
    migrations.map((m) => m.name),
    ['20990101000000_demo_a'],
  );
});

serial('DirectoryMigrationSource#getMigrations() refuses one name in two folders', async (t) => {
  const one = await folder(t, { '20990101000000_demo_a.ts': createTable('a') });
  const two = await folder(t, { '20990101000000_demo_a.ts': createTable('a') });
  await t.throwsAsync(new DirectoryMigrationSource([one, two]).getMigrations(), {
    instanceOf: ImproperlyConfigured,
    message: /Two migrations are named 20990101000000_demo_a/,
  });
});

serial('DirectoryMigrationSource#getMigration() refuses a module without up()', async (t) => {
  const dir = await folder(t, { '20990101000000_demo_empty.ts': 'export const nothing = 1;\n' });
  const source = new DirectoryMigrationSource([dir]);
  const [migration] = await source.getMigrations();
  if (!migration) return t.fail('the migration file was not listed');
  await t.throwsAsync(source.getMigration(migration), {
    instanceOf: ImproperlyConfigured,
    message: /exports no up\(\) function/,
  });
});

serial('migrate(knex, { directory }) explains a missing folder', async (t) => {
  const db = await createTestDatabase({ migrated: false });
  t.teardown(db.destroy);
  await t.throwsAsync(migrate(db.knex, { directory: '/nonexistent/migrations' }), {
    instanceOf: ImproperlyConfigured,
    message: /Migrations directory \/nonexistent\/migrations cannot be read \(ENOENT\)/,
  });
});
