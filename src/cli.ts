/**
 * The `koa-django` command (Django's `manage.py`): `koa-django <command> [args] [--settings path]`.
 * Commands are imported only when run, so `koa-django help` stays fast.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { loadSettings, type Settings } from './conf/index.ts';
import { KoaDjangoError } from './exceptions.ts';
import { type Command, CommandError } from './management/base.ts';

/** Every command, loaded on demand. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  runserver: async () => (await import('./management/commands/runserver.ts')).runserver,
  migrate: async () => (await import('./management/commands/migrate.ts')).migrate,
  showmigrations: async () => (await import('./management/commands/migrate.ts')).showmigrations,
  check: async () => (await import('./management/commands/check.ts')).check,
  clearsessions: async () => (await import('./management/commands/clearsessions.ts')).clearsessions,
  callers: async () => (await import('./management/commands/callers.ts')).callers,
  twilio: async () => (await import('./management/commands/twilio.ts')).twilioCommand,
};

/** Streams a command writes to (swappable in tests). */
export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Run the command line `argv` (without `node` and the script); resolves to the exit status.
 *
 * @example
 * process.exitCode = await main(['migrate', '--settings', 'settings.ts']);
 */
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(await usage());
    return name ? 0 : 1;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`Unknown command: '${name}'. Type 'koa-django help' for usage.`);
    return 1;
  }
  const command = await load();
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { settings: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...command.options },
    });
    if (values.help) {
      io.out(`Usage: koa-django ${command.name} ${command.usage ?? ''} [--settings path]\n\n${command.help}`);
      return 0;
    }
    let settings: Promise<Settings> | undefined;
    const status = await command.run({
      settings: () => {
        settings ??= loadSettings(values.settings as string | undefined);
        return settings;
      },
      args: positionals,
      options: values,
      out: io.out,
      err: io.err,
    });
    return status ?? 0;
  } catch (error) {
    // parseArgs' own errors (an unknown option, a missing value, a value for a switch) are
    // usage mistakes: explained like a CommandError, with the usage, never as a stack trace.
    const code = (error as { code?: unknown })?.code;
    const usageError = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
    if (error instanceof KoaDjangoError || usageError) {
      io.err(
        `${error instanceof CommandError || usageError ? 'CommandError' : (error as Error).name}: ${(error as Error).message}`,
      );
      if (usageError) io.err(`Usage: koa-django ${command.name} ${command.usage ?? ''} [--settings path]`);
      const cause = (error as Error).cause;
      if (cause instanceof Error && process.env.KOA_DJANGO_TRACEBACK) io.err(cause.stack ?? String(cause));
      return 1;
    }
    throw error;
  }
}

async function usage(): Promise<string> {
  const lines = ['Usage: koa-django <command> [options] [--settings path/to/settings.ts]', '', 'Commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) {
    const command = await load();
    lines.push(`  ${name.padEnd(16)}${command.help}`);
  }
  lines.push('', 'The settings module may also be named by the KOA_DJANGO_SETTINGS environment variable.');
  return lines.join('\n');
}
