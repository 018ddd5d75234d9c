/**
 * The database's startup check: `koa-django check` and `createApp()` report a malformed
 * `DATABASE_URL` before anything tries to connect. Registered when `koa-django/db` is imported.
 *
 * @module
 */
import { type CheckMessage, registerCheck } from '../conf/checks.ts';
import type { Settings } from '../conf/settings.ts';
import { ImproperlyConfigured } from '../exceptions.ts';
import { parseDatabaseUrl } from './url.ts';

/**
 * `database.E001` when `DATABASE_URL` is not one of the accepted forms.
 *
 * @example
 * checkDatabaseUrl(defineSettings({ DATABASE_URL: 'mysql://db/app' }));
 * // [{ id: 'database.E001', level: 'error', message: "DATABASE_URL 'mysql://db/app' is not supported. ...", hint }]
 */
export function checkDatabaseUrl(settings: Settings): CheckMessage[] {
  try {
    parseDatabaseUrl(settings.DATABASE_URL, settings.BASE_DIR);
    return [];
  } catch (error) {
    if (!(error instanceof ImproperlyConfigured)) throw error;
    return [
      {
        id: 'database.E001',
        level: 'error',
        message: error.message,
        hint: "Unset DATABASE_URL to use the embedded database in '.data/'.",
      },
    ];
  }
}

registerCheck(checkDatabaseUrl);
