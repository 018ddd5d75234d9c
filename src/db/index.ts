/**
 * `koa-django/db`: the database layer. A knex instance for `settings.DATABASE_URL` (embedded
 * PGlite by default, a PostgreSQL server through `pg` for `postgres://` URLs), migrations, and a
 * one-line description for banners. See `docs/database.md`.
 *
 * @example
 * import { getDatabase, migrate, describeDatabase, closeDatabase } from 'koa-django/db';
 * console.log(`Database: ${describeDatabase(settings)}`);
 * const knex = getDatabase(settings);
 * const { applied } = await migrate(knex);
 * await closeDatabase(knex);
 *
 * @module
 */
export { checkDatabaseUrl } from './checks.ts';
export {
  type CreateDatabaseOptions,
  closeDatabase,
  closeSharedDatabase,
  createDatabase,
  dumpPGlite,
  getDatabase,
} from './connection.ts';
export { OperationalError } from './errors.ts';
export {
  DirectoryMigrationSource,
  MIGRATIONS_DIR,
  MIGRATIONS_TABLE,
  type MigrationOptions,
  type MigrationStatus,
  migrate,
  rollback,
  showMigrations,
} from './migrations.ts';
export {
  type DatabaseTarget,
  describeDatabase,
  type PGliteTarget,
  type PostgresTarget,
  parseDatabaseUrl,
  redactUrl,
} from './url.ts';
