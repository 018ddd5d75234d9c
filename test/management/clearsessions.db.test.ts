import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import type { Knex } from 'knex';
import { defineSettings } from '../../src/conf/index.ts';
import { SESSION_TABLE } from '../../src/contrib/sessions/index.ts';
import { closeDatabase, createDatabase, migrate } from '../../src/db/index.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { run, settingsModule } from './clearsessions-helpers.ts';

const rows = () => [
  {
    session_key: 'expired0000000000000000000000001',
    session_data: 'x',
    expire_date: new Date(Date.now() - 1000),
  },
  { session_key: 'expired0000000000000000000000002', session_data: 'x', expire_date: new Date(0) },
  {
    session_key: 'alive00000000000000000000000001a',
    session_data: 'x',
    expire_date: new Date(Date.now() + 86_400_000),
  },
];

/**
 * A database the command can open by URL from its own process state: the PostgreSQL server's
 * test database when DATABASE_URL names one, else a PGlite data directory (an in-memory PGlite
 * cannot be shared between two knex instances). `use` runs with the database closed.
 */
async function withDatabase(
  seed: (knex: Knex) => Promise<void>,
  use: (url: string) => Promise<void>,
  check: (knex: Knex) => Promise<void>,
): Promise<void> {
  if (/^postgres(ql)?:/i.test(process.env.DATABASE_URL ?? '')) {
    const db = await createTestDatabase();
    try {
      await seed(db.knex);
      await use(db.settings.DATABASE_URL);
      await check(db.knex);
    } finally {
      await db.destroy();
    }
    return;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'kd-clearsessions-db-'));
  const url = `pglite:${dir}`;
  const open = () => createDatabase(defineSettings({ DATABASE_URL: url }));
  try {
    const knex = open();
    try {
      await migrate(knex);
      await seed(knex);
    } finally {
      await closeDatabase(knex);
    }
    await use(url);
    const again = open();
    try {
      await check(again);
    } finally {
      await closeDatabase(again);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('koa-django clearsessions deletes the expired django_session rows and keeps the others', async (t) => {
  await withDatabase(
    async (knex) => {
      await knex(SESSION_TABLE).insert(rows());
    },
    async (url) => {
      const settings = await settingsModule({ DATABASE_URL: url });
      try {
        t.deepEqual(await run(['clearsessions', '-v', '--settings', settings.file]), {
          status: 0,
          out: 'Deleted 2 expired sessions.',
          err: '',
        });
        t.deepEqual(await run(['clearsessions', '--settings', settings.file]), {
          status: 0,
          out: '',
          err: '',
        });
      } finally {
        await settings.remove();
      }
    },
    async (knex) => {
      t.deepEqual(
        (await knex(SESSION_TABLE).select('session_key')).map((r) => r.session_key),
        ['alive00000000000000000000000001a'],
      );
    },
  );
});
