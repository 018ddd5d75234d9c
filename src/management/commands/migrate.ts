/**
 * `koa-django migrate` applies the migrations in `migrations/`; `koa-django showmigrations`
 * lists them with `[X]` for applied ones, as Django does.
 *
 * @module
 */
import {
  migrate as applyMigrations,
  closeDatabase,
  describeDatabase,
  getDatabase,
  showMigrations,
} from '../../db/index.ts';
import type { Command } from '../base.ts';

export const migrate: Command = {
  name: 'migrate',
  help: 'Apply the database migrations that have not been applied yet.',
  async run({ settings: loadSettings, out }) {
    const settings = await loadSettings();
    const db = getDatabase(settings);
    try {
      out(`Database: ${describeDatabase(settings)}`);
      out('Operations to perform:\n  Apply all migrations');
      out('Running migrations:');
      const { applied } = await applyMigrations(db);
      if (applied.length === 0) out('  No migrations to apply.');
      for (const name of applied) out(`  Applying ${name}... OK`);
    } finally {
      await closeDatabase(db);
    }
    return 0;
  },
};

export const showmigrations: Command = {
  name: 'showmigrations',
  help: 'List the migrations, [X] marking the applied ones.',
  async run({ settings: loadSettings, out }) {
    const settings = await loadSettings();
    const db = getDatabase(settings);
    try {
      for (const m of await showMigrations(db)) out(` [${m.applied ? 'X' : ' '}] ${m.name}`);
    } finally {
      await closeDatabase(db);
    }
    return 0;
  },
};
