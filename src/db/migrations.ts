/**
 * Migrations: `koa-django migrate` (Django's `migrate`), `showMigrations`, `rollback`.
 *
 * koa-django's migrations live in one ordered top-level folder, `migrations/`, as knex migration
 * modules (`export async function up(knex)` / `down(knex)`) named
 * `<YYYYMMDDHHMMSS>_<app>_<what>.ts`, e.g. `20260101000000_sessions_initial.ts`: the timestamp
 * orders them, the app part says who owns the table. Applied migrations are recorded in knex's
 * `knex_migrations` table (not Django's `django_migrations`: the columns differ).
 *
 * Names are recorded WITHOUT their extension: knex's default source records `x.ts` under tsx and
 * then looks for `x.js` in a compiled build, and calls the database "corrupt" when it is not there.
 *
 * @module
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { ImproperlyConfigured } from '../exceptions.ts';

/**
 * koa-django's own migrations folder (`migrations/` at the package root).
 *
 * @example
 * await migrate(knex, { directory: [MIGRATIONS_DIR, 'db/migrations'] }); // ours, then the app's
 */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** knex's bookkeeping table for applied migrations. */
export const MIGRATIONS_TABLE = 'knex_migrations';

/** Options shared by `migrate`, `showMigrations` and `rollback`. */
export interface MigrationOptions {
  /**
   * Folder(s) holding migration files, relative to the working directory unless absolute.
   * Files of several folders are merged and ordered by name. Default: `MIGRATIONS_DIR`.
   */
  directory?: string | readonly string[];
}

/** One migration and whether the database has it. */
export interface MigrationStatus {
  /** File name without extension, as recorded in `knex_migrations`. */
  name: string;
  applied: boolean;
  /** When it was applied, or `null`. */
  appliedAt: Date | null;
}

interface MigrationFile {
  name: string;
  file: string;
}

const MIGRATION_FILE = /^(?!\.)(.+?)(\.d)?\.(ts|mts|js|mjs)$/;
// Under tsx this module itself is a .ts file: prefer x.ts over a compiled x.js beside it; in a
// compiled build prefer x.js, since plain Node cannot import .ts.
const PREFERRED_EXT = import.meta.url.endsWith('.ts')
  ? ['ts', 'mts', 'js', 'mjs']
  : ['js', 'mjs', 'ts', 'mts'];

/**
 * A knex `migrationSource` reading migration modules from folders, naming each by its file name
 * without extension, and importing it by file URL (ESM-safe).
 *
 * @example
 * await knex.migrate.latest({ migrationSource: new DirectoryMigrationSource(['migrations']) });
 */
export class DirectoryMigrationSource implements Knex.MigrationSource<MigrationFile> {
  readonly directories: readonly string[];

  constructor(directories: readonly string[]) {
    this.directories = directories.map((dir) => path.resolve(dir));
  }

  async getMigrations(): Promise<MigrationFile[]> {
    const byName = new Map<string, MigrationFile & { rank: number }>();
    for (const dir of this.directories) {
      let entries: string[];
      try {
        entries = readdirSync(dir);
      } catch (error) {
        throw new ImproperlyConfigured(
          `Migrations directory ${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}). ` +
            'Check the directory passed to migrate().',
          { cause: error },
        );
      }
      for (const entry of entries) {
        const match = MIGRATION_FILE.exec(entry);
        if (!match || match[2]) continue; // not a module, or a .d.ts declaration file
        const [, name = '', , ext = ''] = match;
        const file = path.join(dir, entry);
        const rank = PREFERRED_EXT.indexOf(ext);
        const seen = byName.get(name);
        if (seen && path.dirname(seen.file) !== dir) {
          throw new ImproperlyConfigured(
            `Two migrations are named ${name}: ${seen.file} and ${file}. Rename one; names must be unique ` +
              'across migration folders because the database records names only.',
          );
        }
        if (!seen || rank < seen.rank) byName.set(name, { name, file, rank });
      }
    }
    return [...byName.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(({ name, file }) => ({ name, file }));
  }

  getMigrationName(migration: MigrationFile): string {
    return migration.name;
  }

  async getMigration(migration: MigrationFile): Promise<Knex.Migration> {
    const mod = (await import(pathToFileURL(migration.file).href)) as Partial<Knex.Migration> & {
      default?: Partial<Knex.Migration>;
    };
    const up = mod.up ?? mod.default?.up;
    const down = mod.down ?? mod.default?.down;
    if (typeof up !== 'function') {
      throw new ImproperlyConfigured(
        `Migration ${migration.file} exports no up() function. Add \`export async function up(knex: Knex) { ... }\` ` +
          '(and a matching down()).',
      );
    }
    return {
      up: (knex) => named(migration.name, 'up', () => up(knex)),
      // Like Django's irreversible operations: applying works, rolling back says why it cannot.
      down: (knex) =>
        named(migration.name, 'down', async () => {
          if (typeof down !== 'function') {
            throw new ImproperlyConfigured(
              `Migration ${migration.file} is irreversible: it exports no down() function. Add one to roll it back.`,
            );
          }
          return down(knex);
        }),
    };
  }
}

/** Run `step`, prefixing a failure with the migration's name: knex's own error does not say which one. */
async function named(name: string, direction: string, step: () => PromiseLike<unknown>): Promise<unknown> {
  try {
    return await step();
  } catch (error) {
    // The message is amended rather than wrapped so PostgreSQL's `code` and the error class survive.
    if (error instanceof Error) error.message = `Migration ${name} (${direction}) failed: ${error.message}`;
    throw error;
  }
}

function migratorConfig(options: MigrationOptions): Knex.MigratorConfig {
  const directory = options.directory ?? MIGRATIONS_DIR;
  const directories = typeof directory === 'string' ? [directory] : [...directory];
  return { migrationSource: new DirectoryMigrationSource(directories), tableName: MIGRATIONS_TABLE };
}

/**
 * Apply every migration not yet applied, in name order, as one batch (Django's `migrate`).
 * Idempotent: a second call applies nothing. Concurrent calls are serialised by knex's lock table.
 *
 * @example
 * import { getDatabase, migrate } from 'koa-django/db';
 * const { applied } = await migrate(getDatabase(settings));
 * for (const name of applied) console.log(`Applying ${name}... OK`);
 */
export async function migrate(knex: Knex, options: MigrationOptions = {}): Promise<{ applied: string[] }> {
  const [, log] = (await knex.migrate.latest(migratorConfig(options))) as [number, string[]];
  return { applied: log };
}

/**
 * Every known migration in order, with whether it is applied (Django's `showmigrations`).
 *
 * @example
 * for (const m of await showMigrations(knex)) console.log(`[${m.applied ? 'X' : ' '}] ${m.name}`);
 */
export async function showMigrations(knex: Knex, options: MigrationOptions = {}): Promise<MigrationStatus[]> {
  const config = migratorConfig(options);
  const source = config.migrationSource as DirectoryMigrationSource;
  const files = await source.getMigrations();
  const applied = new Map<string, Date>();
  if (await knex.schema.hasTable(MIGRATIONS_TABLE)) {
    const rows = (await knex(MIGRATIONS_TABLE).select('name', 'migration_time')) as {
      name: string;
      migration_time: Date | string;
    }[];
    for (const row of rows) applied.set(row.name, new Date(row.migration_time));
  }
  return files.map(({ name }) => ({
    name,
    applied: applied.has(name),
    appliedAt: applied.get(name) ?? null,
  }));
}

/**
 * Undo the last batch of migrations (or all of them with `{ all: true }`), newest first.
 *
 * @example
 * const { rolledBack } = await rollback(knex); // ['20260101000000_sessions_initial']
 */
export async function rollback(
  knex: Knex,
  options: MigrationOptions & { all?: boolean } = {},
): Promise<{ rolledBack: string[] }> {
  const [, log] = (await knex.migrate.rollback(migratorConfig(options), options.all ?? false)) as [
    number,
    string[],
  ];
  return { rolledBack: log };
}
