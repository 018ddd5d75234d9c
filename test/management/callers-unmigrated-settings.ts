/**
 * Settings module for `koa-django callers` on a database that was never migrated: an in-memory
 * PGlite (new and empty for every command), or the server database the test names in
 * KD_CALLERS_UNMIGRATED_DATABASE_URL.
 */
import { defineSettings } from '../../src/conf/index.ts';

export default defineSettings({
  SECRET_KEY: 'callers-test-secret',
  DATABASE_URL: process.env.KD_CALLERS_UNMIGRATED_DATABASE_URL ?? 'pglite:memory',
});
