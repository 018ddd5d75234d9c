import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { main } from '../../src/cli.ts';
import { defineSettings } from '../../src/conf/index.ts';
import { blacklistFor } from '../../src/contrib/twilio/blacklist.ts';
import { closeDatabase, createDatabase } from '../../src/db/index.ts';
import { eventually } from '../contrib/twilio/blacklist-helpers.ts';
import { createTestDatabase } from '../helpers/db.ts';

// One database for the file, on the engine the run uses: a PGlite data directory (the CLI opens
// and closes it per command, as a shell user would) or a fresh database on the server.
const serial = test.serial;
const SETTINGS = path.resolve('test/management/callers-settings.ts');
let cleanup: () => Promise<void> = async () => {};

test.before(async () => {
  if (/^postgres/.test(process.env.DATABASE_URL ?? '')) {
    const db = await createTestDatabase();
    process.env.KD_CALLERS_DATABASE_URL = db.settings.DATABASE_URL;
    cleanup = db.destroy;
  } else {
    const dir = await mkdtemp(path.join(tmpdir(), 'kd-callers-'));
    process.env.KD_CALLERS_DATABASE_URL = `pglite:${dir}`;
    cleanup = () => rm(dir, { recursive: true, force: true });
    const { status, err } = await run('migrate');
    if (status !== 0) throw new Error(err);
  }
});
test.after.always(() => cleanup());

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main([...argv, '--settings', SETTINGS], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { status, out: out.join('\n'), err: err.join('\n') };
}

serial('koa-django callers list on an empty table says so', async (t) => {
  t.deepEqual(await run('callers', 'list'), { status: 0, out: 'No callers.', err: '' });
  t.deepEqual(await run('callers', 'list', '--blacklisted'), {
    status: 0,
    out: 'No blacklisted callers.',
    err: '',
  });
});

serial(
  'koa-django callers add NUMBER [--blacklist] normalises with TWILIO_PHONENUMBER_DEFAULT_REGION',
  async (t) => {
    t.deepEqual(await run('callers', 'add', '(500) 555-0001', '--blacklist'), {
      status: 0,
      out: 'Added +15005550001 (blacklisted).',
      err: '',
    });
    t.deepEqual(await run('callers', 'add', '+1 500 555 0000'), {
      status: 0,
      out: 'Added +15005550000.',
      err: '',
    });
    t.deepEqual(await run('callers', 'list'), {
      status: 0,
      out: '+15005550000\n+15005550001 (blacklisted)',
      err: '',
    });
    t.is((await run('callers', 'list', '--blacklisted')).out, '+15005550001 (blacklisted)');
  },
);

serial('koa-django callers blacklist / unblacklist NUMBER flip the flag', async (t) => {
  t.deepEqual(await run('callers', 'blacklist', '500-555-0000'), {
    status: 0,
    out: 'Blacklisted +15005550000.',
    err: '',
  });
  t.is(
    (await run('callers', 'list', '--blacklisted')).out,
    '+15005550000 (blacklisted)\n+15005550001 (blacklisted)',
  );
  t.deepEqual(await run('callers', 'unblacklist', '+15005550000'), {
    status: 0,
    out: 'Unblacklisted +15005550000.',
    err: '',
  });
  t.is((await run('callers', 'list', '--blacklisted')).out, '+15005550001 (blacklisted)');
});

serial('koa-django callers remove NUMBER deletes the caller', async (t) => {
  t.deepEqual(await run('callers', 'add', '+15005550009'), {
    status: 0,
    out: 'Added +15005550009.',
    err: '',
  });
  t.deepEqual(await run('callers', 'remove', '+15005550009'), {
    status: 0,
    out: 'Removed +15005550009.',
    err: '',
  });
  t.notRegex((await run('callers', 'list')).out, /5550009/);
});

serial(
  'koa-django callers add INVALID fails with a CommandError naming the number and the fix',
  async (t) => {
    const result = await run('callers', 'add', '12345');
    t.is(result.status, 1);
    t.is(result.out, '');
    t.regex(result.err, /^CommandError: "12345" is not a valid phone number \(read in region US\)/);
    t.regex(result.err, /country code/);
  },
);

serial('koa-django callers blacklist / unblacklist / remove UNKNOWN fail with a CommandError', async (t) => {
  const blacklist = await run('callers', 'blacklist', '+15005550077');
  t.is(blacklist.status, 1);
  t.regex(blacklist.err, /^CommandError: No caller has the number \+15005550077\./);
  t.regex(blacklist.err, /koa-django callers add \+15005550077 --blacklist/);
  for (const action of ['unblacklist', 'remove']) {
    const result = await run('callers', action, '+15005550077');
    t.is(result.status, 1, action);
    t.regex(
      result.err,
      /No caller has the number \+15005550077\. See the known numbers with 'koa-django callers list'/,
    );
  }
});

serial('koa-django callers add EXISTING fails with a CommandError saying how to change it', async (t) => {
  const result = await run('callers', 'add', '+15005550001');
  t.is(result.status, 1);
  t.regex(result.err, /^CommandError: A caller with the number \+15005550001 exists already\./);
  t.regex(result.err, /koa-django callers unblacklist \+15005550001/);
});

serial('koa-django callers with a missing, unknown or misplaced argument explains the usage', async (t) => {
  const cases: [string[], RegExp][] = [
    [[], /^CommandError: Say what to do: koa-django callers list \[--blacklisted\] \| add NUMBER/],
    [
      ['ban', '+15005550001'],
      /^CommandError: Unknown action 'ban'\. Use one of: list, add, blacklist, unblacklist, remove/,
    ],
    [['add'], /'callers add' needs a phone number, for example: koa-django callers add \+15005550001/],
    [
      ['add', '+1', '500', '555', '0002'],
      /takes one phone number, got 4 arguments\. Quote a number with spaces/,
    ],
    [['list', 'extra'], /'callers list' takes no arguments/],
    [['blacklist', '+15005550001', '--blacklisted'], /--blacklisted only applies to 'callers list'/],
    [['list', '--blacklist'], /--blacklist only applies to 'callers add'/],
  ];
  for (const [args, message] of cases) {
    const result = await run('callers', ...args);
    t.is(result.status, 1, args.join(' '));
    t.regex(result.err, message, args.join(' '));
  }
});

serial(
  'koa-django callers on a database without the callers table says to migrate, without a stack trace',
  async (t) => {
    if (/^postgres/.test(process.env.DATABASE_URL ?? '')) {
      const db = await createTestDatabase({ migrated: false });
      t.teardown(db.destroy);
      process.env.KD_CALLERS_UNMIGRATED_DATABASE_URL = db.settings.DATABASE_URL;
    }
    const settings = path.resolve('test/management/callers-unmigrated-settings.ts');
    for (const args of [['list'], ['add', '+15005550001'], ['blacklist', '+15005550001']]) {
      const err: string[] = [];
      const status = await main(['callers', ...args, '--settings', settings], {
        out: () => {},
        err: (line) => err.push(line),
      });
      t.is(status, 1, args.join(' '));
      t.regex(err.join('\n'), /^CommandError: .*django_twilio_caller.*koa-django migrate/s, args.join(' '));
    }
  },
);

serial('koa-django help lists the callers command', async (t) => {
  const lines: string[] = [];
  t.is(await main(['help'], { out: (line) => lines.push(line), err: () => {} }), 0);
  t.regex(lines.join('\n'), /^ {2}callers {9}List, add, blacklist, unblacklist or remove Twilio callers\.$/m);
});

serial(
  /^postgres/.test(process.env.DATABASE_URL ?? '')
    ? "koa-django callers blacklist NUMBER reaches a running app's blacklist without a restart"
    : 'koa-django callers blacklist NUMBER is seen by an app that opens the database afterwards (PGlite: one process per data directory)',
  async (t) => {
    const url = process.env.KD_CALLERS_DATABASE_URL as string;
    const onServer = /^postgres/.test(url);
    const settings = defineSettings({ DATABASE_URL: url });
    if (onServer) {
      const knex = createDatabase(settings);
      t.teardown(() => closeDatabase(knex));
      const blacklist = blacklistFor(settings, { knex });
      await blacklist.ready;
      t.false(blacklist.isBlacklisted('+15005550000'));
      t.is((await run('callers', 'blacklist', '+15005550000')).status, 0);
      t.true(await eventually(() => blacklist.isBlacklisted('+15005550000')));
    } else {
      t.is((await run('callers', 'blacklist', '+15005550000')).status, 0);
      const knex = createDatabase(settings);
      const blacklist = blacklistFor(settings, { knex });
      await blacklist.ready;
      t.true(blacklist.isBlacklisted('+15005550000'));
      await closeDatabase(knex);
      t.true(blacklist.closed, 'closed with its database');
    }
    t.is((await run('callers', 'unblacklist', '+15005550000')).status, 0);
  },
);
