/**
 * A knex instance for `settings.DATABASE_URL`: PGlite (embedded PostgreSQL, in-process) through
 * `knex-pglite`, or a PostgreSQL server through `pg`. The same knex code runs on both.
 *
 * One knex per Settings object is the app's job, not a hidden global: `createDatabase()` always
 * opens a new one, `getDatabase()` hands out one shared instance per Settings object.
 *
 * @module
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import type { Settings } from '../conf/settings.ts';
import { ImproperlyConfigured } from '../exceptions.ts';
import { getLogger } from '../utils/log.ts';
import { connectionError, pgliteError } from './errors.ts';
import { lockDataDir } from './pglite-lock.ts';
import { type PGliteTarget, type PostgresTarget, parseDatabaseUrl } from './url.ts';

const require = createRequire(import.meta.url);
// knex's own PostgreSQL dialect class; knex-pglite extends it the same way.
const ClientPG = require('knex/lib/dialects/postgres/index.js') as typeof Knex.Client;

const logger = getLogger('koa-django.db');

/**
 * PGlite has a single connection, so a query waiting for it longer than this is almost always a
 * query on the root knex inside `knex.transaction()` (see `docs/database.md`). Startup (initdb,
 * 2–4 s) is awaited before this clock starts.
 */
const PGLITE_ACQUIRE_TIMEOUT_MS = 10_000;
/** A PostgreSQL server that does not answer within this is reported as unreachable. */
const PG_CONNECT_TIMEOUT_MS = 10_000;

/** Options of `createDatabase`. */
export interface CreateDatabaseOptions {
  /**
   * Start the in-memory PGlite (`DATABASE_URL` 'pglite:memory') from this dump, made by
   * `dumpPGlite()`, instead of an empty database: about 0.5 s instead of 2–4 s of initdb. The
   * test database helper uses it to start every test from one migrated template.
   */
  loadDataDir?: Blob;
}

/**
 * Result parsers for PGlite, matching `pg`'s defaults so code behaves the same on both engines:
 * PGlite would return `int8` (`bigint`, `count(*)`) as a JS number, `pg` returns a string, which
 * never loses precision.
 */
const PGLITE_PARSERS = { 20: (value: string) => value };

/** PGlite data directories open in this process: two instances on one directory corrupt it. */
const openDataDirs = new Set<string>();
const pglites = new WeakMap<Knex, PGlite>();
const shared = new WeakMap<Settings, Knex>();
const sharedOwner = new WeakMap<Knex, Settings>();

/**
 * Open a new knex instance for `settings.DATABASE_URL` (see `parseDatabaseUrl` for the forms).
 * Synchronous: nothing connects until the first query. Throws ImproperlyConfigured for a bad
 * URL; connection failures surface on the first query as `OperationalError`.
 *
 * @example
 * import { createDatabase, closeDatabase } from 'koa-django/db';
 * const knex = createDatabase(settings);
 * const rows = await knex('django_session').where('expire_date', '<', new Date());
 * await closeDatabase(knex);
 */
export function createDatabase(
  settings: Pick<Settings, 'DATABASE_URL' | 'BASE_DIR'>,
  options: CreateDatabaseOptions = {},
): Knex {
  const target = parseDatabaseUrl(settings.DATABASE_URL, settings.BASE_DIR);
  if (options.loadDataDir && (target.engine !== 'pglite' || target.dataDir !== null)) {
    throw new ImproperlyConfigured(
      `createDatabase(settings, { loadDataDir }) loads a PGlite dump into an in-memory database, but ` +
        `DATABASE_URL is '${target.engine === 'postgres' ? target.safeUrl : settings.DATABASE_URL}'. ` +
        "Use DATABASE_URL 'pglite:memory'.",
    );
  }
  if (target.engine === 'postgres') return createPostgres(target);
  return createPGlite(target, options.loadDataDir);
}

/**
 * A tarball of a PGlite database's data directory (PGlite's `dumpDataDir`), to start another
 * in-memory database from with `createDatabase(settings, { loadDataDir })`. PGlite only.
 *
 * @example
 * const template = createDatabase(defineSettings({ DATABASE_URL: 'pglite:memory' }));
 * await migrate(template);
 * const dump = await dumpPGlite(template);
 * await closeDatabase(template);
 * const copy = createDatabase(defineSettings({ DATABASE_URL: 'pglite:memory' }), { loadDataDir: dump });
 */
export async function dumpPGlite(knex: Knex, compression: 'none' | 'gzip' = 'none'): Promise<Blob> {
  const pglite = pglites.get(knex);
  if (!pglite) {
    throw new ImproperlyConfigured(
      'dumpPGlite() needs a knex opened by createDatabase() on a pglite: DATABASE_URL; use pg_dump for a PostgreSQL server.',
    );
  }
  await knex.raw('select 1'); // waits for startup and reports a failed one as OperationalError
  return pglite.dumpDataDir(compression);
}

/**
 * The knex instance shared by everything that uses `settings` (the app, the CLI, contrib apps),
 * opened on first use. `closeDatabase()` closes it; the next call opens a new one.
 *
 * @example
 * const knex = getDatabase(request.settings);
 * await knex('django_session').where({ session_key: key }).first();
 */
export function getDatabase(settings: Settings): Knex {
  let knex = shared.get(settings);
  if (!knex) {
    knex = createDatabase(settings);
    shared.set(settings, knex);
    sharedOwner.set(knex, settings);
  }
  return knex;
}

/**
 * Close `knex`: end its connections (for PGlite, shut the engine down and free its ~0.8 GB) and
 * forget it as the shared instance. A process, or an ava test file, only exits once every knex
 * is closed.
 *
 * @example
 * const knex = createDatabase(settings);
 * try { await migrate(knex) } finally { await closeDatabase(knex) }
 */
export async function closeDatabase(knex: Knex): Promise<void> {
  const settings = sharedOwner.get(knex);
  if (settings && shared.get(settings) === knex) shared.delete(settings);
  sharedOwner.delete(knex);
  await knex.destroy();
}

/**
 * Close the knex `getDatabase(settings)` shared, if anything opened it; otherwise do nothing (and
 * open nothing). Commands call it before they return so the process can exit.
 *
 * @example
 * try { await new BaseHandler(settings).loadMiddleware() } finally { await closeSharedDatabase(settings) }
 */
export async function closeSharedDatabase(settings: Settings): Promise<void> {
  const knex = shared.get(settings);
  if (knex) await closeDatabase(knex);
}

function createPostgres(target: PostgresTarget): Knex {
  return knexFactory({
    client: postgresClient(target),
    connection: { connectionString: target.url, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS },
    // min 0: idle connections are closed (after tarn's 30 s), so a CLI command exits promptly.
    pool: { min: 0, max: 10 },
    log: knexLog,
  });
}

function createPGlite(target: PGliteTarget, loadDataDir: Blob | undefined): Knex {
  const { dataDir } = target;
  let unlockDataDir = () => {};
  if (dataDir !== null) {
    if (openDataDirs.has(dataDir)) {
      throw new ImproperlyConfigured(
        `The PGlite data directory ${dataDir} (DATABASE_URL) is already open in this process; a second ` +
          'PGlite on the same directory would corrupt it. Share one knex with getDatabase(settings), or close ' +
          'the first with closeDatabase(knex) before opening it again.',
      );
    }
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch (error) {
      throw new ImproperlyConfigured(
        `Cannot create the PGlite data directory ${dataDir} named by DATABASE_URL: ${(error as Error).message}. ` +
          'Choose a writable directory (DATABASE_URL=pglite:<dir>, relative to BASE_DIR).',
        { cause: error },
      );
    }
    unlockDataDir = lockDataDir(dataDir);
    openDataDirs.add(dataDir);
  }
  const pglite = new PGlite({
    ...(dataDir === null ? {} : { dataDir }),
    loadDataDir,
    parsers: PGLITE_PARSERS,
  });
  // A failed start is reported by the first query (as OperationalError); this only keeps a knex
  // that is closed before any query from leaving an unhandled rejection behind.
  pglite.waitReady.catch(() => {});
  let open = dataDir !== null;
  const release = () => {
    if (open && dataDir !== null) openDataDirs.delete(dataDir);
    open = false;
    unlockDataDir();
  };
  const knex = knexFactory({
    client: pgliteClient(target, pglite, release),
    dialect: 'postgres',
    // knex-pglite's documented way to hand it an existing PGlite instance.
    connection: () => ({ pglite }) as object,
    acquireConnectionTimeout: PGLITE_ACQUIRE_TIMEOUT_MS,
    log: knexLog,
  });
  pglites.set(knex, pglite);
  return knex;
}

/** knex's PostgreSQL client, with connection failures explained (see errors.ts). */
function postgresClient(target: PostgresTarget): typeof Knex.Client {
  return class PostgresClient extends ClientPG {
    override async acquireRawConnection(): Promise<unknown> {
      try {
        return await super.acquireRawConnection();
      } catch (error) {
        throw connectionError(error, target);
      }
    }
  };
}

/** knex-pglite's client, with startup failures explained and the instance closed on destroy. */
function pgliteClient(target: PGliteTarget, pglite: PGlite, release: () => void): typeof Knex.Client {
  return class PGliteClient extends ClientPgLite {
    override async acquireConnection(): Promise<unknown> {
      try {
        await pglite.waitReady;
      } catch (error) {
        throw pgliteError(error, target);
      }
      try {
        return await super.acquireConnection();
      } catch (error) {
        if ((error as Error)?.name === 'KnexTimeoutError') {
          (error as Error).message +=
            ' PGlite has exactly one connection: inside knex.transaction(), run every query on trx, not on the root knex.';
        }
        throw error;
      }
    }

    // knex-pglite derives the command from knex's method name, and `.delete()` is method 'del':
    // it reports 'DEL', so knex returned the raw result instead of the row count pg gives.
    processResponse(obj: { method?: string }, runner: unknown): unknown {
      const base = ClientPgLite.prototype as unknown as {
        processResponse(obj: object, runner: unknown): unknown;
      };
      return base.processResponse.call(
        this,
        obj.method === 'del' ? { ...obj, method: 'delete' } : obj,
        runner,
      );
    }

    override async destroy(callback?: unknown): Promise<unknown> {
      try {
        return await super.destroy(callback);
      } finally {
        // knex-pglite closes the engine only if a connection was ever made.
        if (!pglite.closed) {
          await pglite.waitReady.then(() => pglite.close()).catch(() => {});
        }
        release();
      }
    }
  };
}

const knexLog: Knex.Logger = {
  warn(message: unknown) {
    // The same error reaches the caller as an OperationalError; repeating it as a warning would
    // print it twice in the CLI.
    const text = String(message);
    if (text.startsWith('Acquire connection error')) logger.debug(text);
    else logger.warning(text);
  },
  error(message: unknown) {
    logger.error(String(message));
  },
  deprecate(method: string, alternative: string) {
    logger.warning(`knex: ${method} is deprecated, use ${alternative} instead`);
  },
  debug(message: unknown) {
    logger.debug(String(message));
  },
};
