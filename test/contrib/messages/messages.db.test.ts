import test from 'ava';
import type { Knex } from 'knex';
import type { Settings } from '../../../src/conf/index.ts';
import { DbSessionStore } from '../../../src/contrib/sessions/index.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { runMessageStorageTests } from './contract.ts';

let db: TestDatabase | undefined;

/** The db session backend, on this file's test database. */
class TestDbStore extends DbSessionStore {
  static override database(_settings: Settings): Knex {
    if (!db) throw new Error('no test database');
    return db.knex;
  }
}

test.before(async () => {
  db = await createTestDatabase();
});
test.after.always(async () => {
  await db?.destroy();
});

runMessageStorageTests({
  name: 'session + db sessions',
  storage: 'session',
  sessionEngine: () => TestDbStore,
  unbounded: true,
});
runMessageStorageTests({
  name: 'fallback + db sessions',
  storage: 'fallback',
  sessionEngine: () => TestDbStore,
  unbounded: true,
});
