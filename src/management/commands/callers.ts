/**
 * `koa-django callers`: manage the Twilio app's callers and their blacklist from the shell
 * (django-twilio does this in the admin only).
 *
 * ```
 * koa-django callers list [--blacklisted]
 * koa-django callers add NUMBER [--blacklist]
 * koa-django callers blacklist NUMBER
 * koa-django callers unblacklist NUMBER
 * koa-django callers remove NUMBER
 * ```
 *
 * Numbers are normalised to E.164, reading numbers without a country code in
 * `TWILIO_PHONENUMBER_DEFAULT_REGION`. Running servers see a change at once through the
 * callers table's NOTIFY trigger.
 *
 * @module
 */
import {
  addCaller,
  CallerNotFound,
  DuplicateCaller,
  listCallers,
  removeCaller,
  setBlacklisted,
} from '../../contrib/twilio/callers.ts';
import { InvalidPhoneNumber } from '../../contrib/twilio/phone.ts';
import { closeDatabase, describeDatabase, getDatabase } from '../../db/index.ts';
import type { Command } from '../base.ts';
import { CommandError } from '../base.ts';

const ACTIONS = ['list', 'add', 'blacklist', 'unblacklist', 'remove'] as const;
type Action = (typeof ACTIONS)[number];

const USAGE =
  'list [--blacklisted] | add NUMBER [--blacklist] | blacklist NUMBER | unblacklist NUMBER | remove NUMBER';

export const callers: Command = {
  name: 'callers',
  help: 'List, add, blacklist, unblacklist or remove Twilio callers.',
  usage: USAGE,
  options: {
    blacklisted: { type: 'boolean' },
    blacklist: { type: 'boolean' },
  },
  async run({ settings: loadSettings, args, options, out }) {
    const action = parseAction(args);
    if (options.blacklisted && action !== 'list') {
      throw new CommandError(
        `--blacklisted only applies to 'callers list'; for 'callers ${action}' leave it out.`,
      );
    }
    if (options.blacklist && action !== 'add') {
      throw new CommandError(
        `--blacklist only applies to 'callers add'; to blacklist an existing caller run 'koa-django callers blacklist NUMBER'.`,
      );
    }
    const number = action === 'list' ? undefined : parseNumber(action, args);
    const settings = await loadSettings();
    const region = settings.TWILIO_PHONENUMBER_DEFAULT_REGION;
    const knex = getDatabase(settings);
    try {
      switch (action) {
        case 'list': {
          const rows = await listCallers(knex, options.blacklisted ? { blacklisted: true } : {});
          if (rows.length === 0) out(options.blacklisted ? 'No blacklisted callers.' : 'No callers.');
          for (const caller of rows) out(String(caller));
          break;
        }
        case 'add':
          out(
            `Added ${await addCaller(knex, number as string, { blacklisted: Boolean(options.blacklist), region })}.`,
          );
          break;
        case 'blacklist':
          out(`Blacklisted ${(await setBlacklisted(knex, number as string, true, { region })).phoneNumber}.`);
          break;
        case 'unblacklist':
          out(
            `Unblacklisted ${(await setBlacklisted(knex, number as string, false, { region })).phoneNumber}.`,
          );
          break;
        case 'remove':
          out(`Removed ${await removeCaller(knex, number as string, { region })}.`);
          break;
      }
    } catch (error) {
      if (error instanceof CallerNotFound) {
        throw new CommandError(
          `No caller has the number ${error.phoneNumber}. ` +
            (action === 'blacklist'
              ? `Add it blacklisted with 'koa-django callers add ${error.phoneNumber} --blacklist'.`
              : "See the known numbers with 'koa-django callers list'."),
          { cause: error },
        );
      }
      if (error instanceof DuplicateCaller) {
        throw new CommandError(
          `A caller with the number ${error.phoneNumber} exists already. Change it with 'koa-django callers ` +
            `blacklist ${error.phoneNumber}' or 'koa-django callers unblacklist ${error.phoneNumber}'.`,
          { cause: error },
        );
      }
      if (error instanceof InvalidPhoneNumber) throw new CommandError(error.message, { cause: error });
      if ((error as { code?: unknown }).code === '42P01') {
        // undefined_table: the migrations were never applied to this database.
        throw new CommandError(
          `The callers table django_twilio_caller does not exist in ${describeDatabase(settings)}. ` +
            'Apply the migrations first: koa-django migrate (with the same --settings).',
          { cause: error },
        );
      }
      throw error;
    } finally {
      await closeDatabase(knex);
    }
    return 0;
  },
};

function parseAction(args: string[]): Action {
  const [action] = args;
  if (action === undefined) {
    throw new CommandError(`Say what to do: koa-django callers ${USAGE}`);
  }
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new CommandError(
      `Unknown action '${action}'. Use one of: ${ACTIONS.join(', ')} (koa-django callers ${USAGE}).`,
    );
  }
  if (action === 'list' && args.length > 1) {
    throw new CommandError(`'callers list' takes no arguments (got ${args.slice(1).join(' ')}).`);
  }
  return action as Action;
}

function parseNumber(action: Action, args: string[]): string {
  if (args.length < 2) {
    throw new CommandError(
      `'callers ${action}' needs a phone number, for example: koa-django callers ${action} +15005550001`,
    );
  }
  if (args.length > 2) {
    throw new CommandError(
      `'callers ${action}' takes one phone number, got ${args.length - 1} arguments. Quote a number with ` +
        `spaces: koa-django callers ${action} "${args.slice(1).join(' ')}"`,
    );
  }
  return args[1] as string;
}
