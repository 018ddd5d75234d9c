/**
 * What a `koa-django` command is (Django's `BaseCommand`, reduced): a name, a one-line help, its
 * options in `node:util` `parseArgs` form, and `run()`. Commands print through `out`/`err` so
 * tests can capture them, and signal failure by throwing `CommandError`.
 *
 * @module
 */
import type { ParseArgsConfig } from 'node:util';
import type { Settings } from '../conf/index.ts';
import { KoaDjangoError } from '../exceptions.ts';

/** A failure the command explains itself; printed without a stack trace, exit status 1. */
export class CommandError extends KoaDjangoError {
  override readonly code = 'KD_COMMAND_ERROR';
}

/** What a command gets to work with. */
export interface CommandContext {
  /** Loads the settings module on first use (`--settings` or KOA_DJANGO_SETTINGS). */
  settings(): Promise<Settings>;
  /** Positional arguments after the command name. */
  args: string[];
  /** Parsed options. */
  options: Record<string, string | boolean | string[] | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** One `koa-django <name>` command. */
export interface Command {
  name: string;
  help: string;
  /** e.g. `'[addr:port]'`. */
  usage?: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  /** Resolves to the exit status (0 when omitted). */
  run(ctx: CommandContext): Promise<number | undefined>;
}
