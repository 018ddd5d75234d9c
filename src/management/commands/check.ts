/**
 * `koa-django check`: run the startup checks, then build the pipeline (imports the urlconf and
 * every middleware), and report every problem found. Exit status 1 if any is an error.
 *
 * @module
 */
import { checkSettings, formatCheckMessages, registeredChecks } from '../../conf/index.ts';
import { closeSharedDatabase } from '../../db/index.ts';
import { BaseHandler } from '../../handlers/base.ts';
import type { Command } from '../base.ts';

export const check: Command = {
  name: 'check',
  help: 'Check the settings, the urlconf and the middleware for problems.',
  async run({ settings: loadSettings, out, err }) {
    const settings = await loadSettings();
    const before = registeredChecks();
    const messages = await checkSettings(settings);
    if (!messages.some((m) => m.level === 'error')) {
      try {
        await new BaseHandler(settings).loadMiddleware();
        // Checks registered by the modules the urlconf and MIDDLEWARE strings just imported.
        messages.push(...(await checkSettings(settings, { except: before })));
      } catch (error) {
        messages.unshift({ id: 'core.E100', level: 'error', message: (error as Error).message });
      } finally {
        // Startup hooks (e.g. twilioView loading the caller blacklist) may have opened the
        // database; an open knex would keep the command from exiting.
        await closeSharedDatabase(settings);
      }
    }
    const text = formatCheckMessages(messages);
    if (messages.some((m) => m.level === 'error')) {
      err(text);
      return 1;
    }
    out(text);
    return 0;
  },
};
