import path from 'node:path';
import test from 'ava';
import { main } from '../../src/cli.ts';
import { parseAddrPort } from '../../src/management/commands/runserver.ts';

const fixtures = path.resolve('test/fixtures/settings');

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out: out.join('\n'), err: err.join('\n') };
}

test('koa-django help lists every command', async (t) => {
  const { status, out } = await run(['help']);
  t.is(status, 0);
  for (const name of ['runserver', 'migrate', 'showmigrations', 'check'])
    t.regex(out, new RegExp(`^  ${name} `, 'm'));
});

test('koa-django with no command prints usage and fails', async (t) => {
  const { status, out } = await run([]);
  t.is(status, 1);
  t.regex(out, /^Usage: koa-django <command>/);
});

test('koa-django <unknown> names the command and points at help', async (t) => {
  const { status, err } = await run(['runsever']);
  t.is(status, 1);
  t.is(err, "Unknown command: 'runsever'. Type 'koa-django help' for usage.");
});

test('koa-django check --settings <ok module> reports no issues', async (t) => {
  const { status, out } = await run(['check', '--settings', path.join(fixtures, 'ok.ts')]);
  t.is(status, 0);
  t.is(out, 'System check identified no issues.');
});

test('koa-django check --settings <missing module> explains and fails', async (t) => {
  const { status, err } = await run(['check', '--settings', 'no/such/settings.ts']);
  t.is(status, 1);
  t.regex(err, /^ImproperlyConfigured: Settings module 'no\/such\/settings\.ts' was not found/);
});

test('koa-django check --settings <broken module> explains and fails', async (t) => {
  const { status, err } = await run(['check', '--settings', path.join(fixtures, 'broken.ts')]);
  t.is(status, 1);
  t.regex(err, /failed to load/);
});

test('koa-django check --settings <module with errors> lists them and fails', async (t) => {
  const { status, err } = await run(['check', '--settings', path.join(fixtures, 'plain-object.ts')]);
  t.is(status, 0, err);
  const bad = await run(['check', '--settings', path.join(fixtures, 'no-secret.ts')]);
  t.is(bad.status, 1);
  t.regex(bad.err, /ERROR security\.E101: The SECRET_KEY setting must not be empty\./);
});

test('koa-django <command> --bogus refuses an unknown option', async (t) => {
  const { status, err } = await run(['check', '--bogus']);
  t.is(status, 1);
  t.regex(err, /Unknown option '--bogus'/);
});

test('koa-django <command> with an option missing its value, or a value for a switch, explains without a stack trace', async (t) => {
  const cases = [
    { argv: ['twilio', 'send', 'http://127.0.0.1:8000/sms/', '--method'], option: /'--method\b/ },
    { argv: ['callers', 'list', '--blacklisted=yes'], option: /'--blacklisted' does not take an argument/ },
    { argv: ['check', '--settings'], option: /'--settings\b/ },
  ];
  for (const { argv, option } of cases) {
    const { status, err } = await run(argv);
    t.is(status, 1, argv.join(' '));
    t.regex(err, option);
    t.regex(err, new RegExp(`Usage: koa-django ${argv[0]} `), 'points at the usage');
    t.notRegex(err, /\n\s+at /, 'no stack trace');
  }
});

test('koa-django <command> --help prints the command usage', async (t) => {
  const { status, out } = await run(['runserver', '--help']);
  t.is(status, 0);
  t.regex(out, /^Usage: koa-django runserver \[addr:port\]/);
});

test('parseAddrPort(value) understands Django runserver address forms', (t) => {
  t.deepEqual(parseAddrPort(undefined), { host: '127.0.0.1', port: 8000 });
  t.deepEqual(parseAddrPort('9000'), { host: '127.0.0.1', port: 9000 });
  t.deepEqual(parseAddrPort('0.0.0.0:8080'), { host: '0.0.0.0', port: 8080 });
  t.deepEqual(parseAddrPort('[::1]:8001'), { host: '::1', port: 8001 });
  t.deepEqual(parseAddrPort('localhost'), { host: 'localhost', port: 8000 });
  t.throws(() => parseAddrPort('host:99999'), { message: /port must be a number from 1 to 65535/ });
  t.throws(() => parseAddrPort('a:b:c'), { message: /not a valid port number or address:port pair/ });
});

test('koa-django check exits once done, also when startup hooks opened the database (the demo)', async (t) => {
  const { execFile } = await import('node:child_process');
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['bin/koa-django.js', 'check', '--settings', 'examples/demo/settings.ts'],
      { env: { ...process.env, DATABASE_URL: 'pglite:memory' }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number | null) : 0, stdout, stderr }),
    );
  });
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /System check identified/);
});

test('koa-django check also runs the checks of modules the urlconf imports (a string ROOT_URLCONF)', async (t) => {
  const { status, err } = await run(['check', '--settings', path.join(fixtures, 'late-template-check.ts')]);
  t.is(status, 1);
  t.regex(err, /ERROR templates\.E001: .*missing\.ts/);
});
