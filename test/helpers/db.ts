/**
 * A fresh, migrated database per call, for tests that touch the database (`*.db.test.ts`).
 *
 * The engine follows the environment, so one test file runs on both:
 * - `DATABASE_URL=postgres://...` set (CI's second pass): a new uniquely named database
 *   `kd_test_<random>` on that server, migrated, and dropped by `destroy()`; parallel test files
 *   never share tables.
 * - otherwise: an in-memory PGlite started from a migrated template. The template is built once
 *   (initdb + migrate, ~3 s), dumped to `node_modules/.cache/koa-django/` under a hash of the
 *   migrations folder and the PGlite version, and loaded per call (~0.5 s instead of 2–4 s).
 *
 * @example
 * import test from 'ava';
 * import { createTestDatabase } from '../helpers/db.ts';
 *
 * test('sessions table starts empty', async (t) => {
 *   const db = await createTestDatabase();
 *   t.teardown(db.destroy);
 *   t.deepEqual(await db.knex('django_session').select(), []);
 * });
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { defineSettings, type Settings, type SettingsInput } from '../../src/conf/index.ts';
import {
  closeDatabase,
  createDatabase,
  dumpPGlite,
  MIGRATIONS_DIR,
  migrate,
  OperationalError,
} from '../../src/db/index.ts';

/** A database made for one test (or one test file). */
export interface TestDatabase {
  knex: Knex;
  /** Settings whose `DATABASE_URL` names this database (PGlite: `'pglite:memory'`). */
  settings: Settings;
  /** Close the knex and, on a server, drop the database. Safe to call twice. */
  destroy: () => Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply `migrations/` (default true); `false` gives an empty database. */
  migrated?: boolean;
  /** Extra settings merged into `settings` (DATABASE_URL is always the test database's). */
  settings?: SettingsInput;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'koa-django');
/** Bump when the way templates are built changes, so old cache files are not reused. */
const TEMPLATE_FORMAT = '1';
const STALE_TMP_MS = 10 * 60 * 1000;

/**
 * A fresh database for one test: on the server named by `DATABASE_URL` when it is a PostgreSQL
 * URL, otherwise an in-memory PGlite. Always call `destroy()` (ava prints "Failed to exit" for a
 * knex left open).
 *
 * @example
 * const db = await createTestDatabase({ settings: { SESSION_COOKIE_AGE: 60 } });
 * t.teardown(db.destroy);
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl && /^postgres(ql)?:\/\//i.test(serverUrl)) {
    return createServerDatabase(serverUrl, migrated, options.settings);
  }
  const settings = defineSettings({ ...options.settings, DATABASE_URL: 'pglite:memory' });
  const knex = createDatabase(settings, { loadDataDir: await pgliteTemplate(migrated) });
  let destroyed: Promise<void> | undefined;
  const destroy = () => {
    destroyed ??= closeDatabase(knex);
    return destroyed;
  };
  try {
    await knex.raw('select 1');
  } catch (error) {
    await destroy();
    throw error;
  }
  return { knex, settings, destroy };
}

async function createServerDatabase(
  serverUrl: string,
  migrated: boolean,
  extra: SettingsInput | undefined,
): Promise<TestDatabase> {
  const name = `kd_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (admin) => admin.raw('CREATE DATABASE ??', [name]));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const settings = defineSettings({ ...extra, DATABASE_URL: url.href });
  const knex = createDatabase(settings);
  let destroyed: Promise<void> | undefined;
  const destroy = () => {
    destroyed ??= (async () => {
      await closeDatabase(knex);
      // FORCE (PostgreSQL 13+) also ends connections a failed test may have leaked.
      await withAdmin(serverUrl, (admin) => admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]));
    })();
    return destroyed;
  };
  try {
    if (migrated) await migrate(knex);
  } catch (error) {
    await destroy();
    throw error;
  }
  return { knex, settings, destroy };
}

/** Run `work` on a short-lived connection to the server (its maintenance database if the URL's is missing). */
async function withAdmin(serverUrl: string, work: (admin: Knex) => Promise<unknown>): Promise<void> {
  const attempt = async (url: string) => {
    const admin = createDatabase(defineSettings({ DATABASE_URL: url }));
    try {
      await work(admin);
    } finally {
      await closeDatabase(admin);
    }
  };
  try {
    await attempt(serverUrl);
  } catch (error) {
    const missing = error instanceof OperationalError && (error.cause as { code?: string })?.code === '3D000';
    if (!missing) throw error;
    const maintenance = new URL(serverUrl);
    maintenance.pathname = '/postgres';
    await attempt(maintenance.href);
  }
}

const templates = new Map<string, Promise<Blob>>();

/** The dump a fresh in-memory PGlite starts from: loaded from the disk cache, or built and cached. */
function pgliteTemplate(migrated: boolean): Promise<Blob> {
  const kind = migrated ? 'migrated' : 'empty';
  let template = templates.get(kind);
  if (!template) {
    template = loadOrBuildTemplate(kind, migrated);
    // A failed build is retried by the next caller rather than cached.
    template.catch(() => templates.delete(kind));
    templates.set(kind, template);
  }
  return template;
}

async function loadOrBuildTemplate(kind: string, migrated: boolean): Promise<Blob> {
  const file = path.join(CACHE_DIR, `pglite-${kind}-${await templateKey(migrated)}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const knex = createDatabase(defineSettings({ DATABASE_URL: 'pglite:memory' }));
  let dump: Blob;
  try {
    if (migrated) await migrate(knex);
    dump = await dumpPGlite(knex);
  } finally {
    await closeDatabase(knex);
  }
  await mkdir(CACHE_DIR, { recursive: true });
  // Another ava process may be building the same template: each writes its own temporary file
  // and renames it into place, which is atomic, so a reader never sees half a file.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, new Uint8Array(await dump.arrayBuffer()));
  await rename(tmp, file);
  await pruneCache(kind, file);
  return dump;
}

/** Hash of everything a template depends on: the migration files and the PGlite version. */
async function templateKey(migrated: boolean): Promise<string> {
  const hash = createHash('sha256').update(`format ${TEMPLATE_FORMAT}\0`);
  const pglitePackage = path.join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  hash.update(`pglite ${JSON.parse(await readFile(pglitePackage, 'utf8')).version}\0`);
  if (migrated) {
    for (const entry of (await readdir(MIGRATIONS_DIR)).sort()) {
      const file = path.join(MIGRATIONS_DIR, entry);
      if (!(await stat(file)).isFile()) continue;
      hash
        .update(`${entry}\0`)
        .update(await readFile(file))
        .update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** Remove older templates of the same kind (40 MB each) and temporary files left by a crash. */
async function pruneCache(kind: string, keep: string): Promise<void> {
  const now = Date.now();
  for (const entry of await readdir(CACHE_DIR)) {
    const file = path.join(CACHE_DIR, entry);
    if (file === keep || !entry.startsWith(`pglite-${kind}-`)) continue;
    try {
      if (!entry.endsWith('.tmp') || now - (await stat(file)).mtimeMs > STALE_TMP_MS)
        await rm(file, { force: true });
    } catch {
      // Another process pruned it first.
    }
  }
}
