/**
 * `koa-django clearsessions` (Django's `clearsessions`): delete the expired sessions of the
 * `SESSION_ENGINE` backend. With `db`, the `django_session` rows whose `expire_date` has
 * passed (expired rows are already ignored when read; this keeps the table small). With
 * `signed_cookies` there is nothing to do. Run it daily from cron; it prints nothing unless
 * asked (`--verbose`), as Django's.
 *
 * @module
 */
import { DbSessionStore } from '../../contrib/sessions/backends/db.ts';
import { sessionEngine } from '../../contrib/sessions/engine.ts';
import { closeDatabase } from '../../db/index.ts';
import { type Command, CommandError } from '../base.ts';

export const clearsessions: Command = {
  name: 'clearsessions',
  help: 'Delete expired sessions (SESSION_ENGINE) from the session store.',
  usage: '[--verbose]',
  options: { verbose: { type: 'boolean', short: 'v' } },
  async run({ settings: loadSettings, options, out }) {
    const settings = await loadSettings();
    const Engine = await sessionEngine(settings);
    const usesDatabase = Engine === DbSessionStore || Engine.prototype instanceof DbSessionStore;
    try {
      const removed = await Engine.clearExpired(settings);
      if (typeof removed !== 'number') {
        throw new CommandError(
          `Session engine ${Engine.name} did not report how many sessions it cleared: its static clearExpired(settings) must resolve to a number.`,
        );
      }
      if (options.verbose) out(`Deleted ${removed} expired session${removed === 1 ? '' : 's'}.`);
    } finally {
      // The command opened the app's shared knex: close it so the process can exit.
      if (usesDatabase) await closeDatabase((Engine as typeof DbSessionStore).database(settings));
    }
    return 0;
  },
};
