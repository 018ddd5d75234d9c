import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { defineSettings } from '../../src/conf/index.ts';
import { createDatabase } from '../../src/db/index.ts';
import { lockDataDir } from '../../src/db/pglite-lock.ts';
import { OperationalError } from '../../src/exceptions.ts';

const lockModule = path.resolve('src/db/pglite-lock.ts');

/** A second process that takes the lock on `dir` and keeps it until killed. */
async function holder(dir: string) {
  const child = spawn(
    process.execPath,
    [
      '--import=tsx',
      '--input-type=module',
      '-e',
      `const { lockDataDir } = await import(${JSON.stringify(lockModule)}); lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => data.toString().includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return child;
}

function scratchDir(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'kd-lock-')), 'data');
}

test('lockDataDir(dir) refuses a directory another running process holds, naming that process', async (t) => {
  const dir = scratchDir();
  const child = await holder(dir);
  t.teardown(() => child.kill('SIGKILL'));
  const error = t.throws(() => lockDataDir(dir), { instanceOf: OperationalError });
  t.regex(error?.message ?? '', new RegExp(`in use by process ${child.pid}.*DATABASE_URL`));
});

test('createDatabase(settings) on a pglite: directory another process holds fails before opening it', async (t) => {
  const dir = scratchDir();
  const child = await holder(dir);
  t.teardown(() => child.kill('SIGKILL'));
  t.throws(() => createDatabase(defineSettings({ DATABASE_URL: `pglite:${dir}` })), {
    instanceOf: OperationalError,
    message: /in use by process/,
  });
});

test('lockDataDir(dir) takes over a lock left by a process that was killed', async (t) => {
  const dir = scratchDir();
  const child = await holder(dir);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  t.true(existsSync(`${dir}.lock`), 'kill -9 leaves the lock file behind');
  const release = lockDataDir(dir);
  release();
  t.false(existsSync(`${dir}.lock`));
});

test('lockDataDir(dir) replaces a lock file that holds no process id with its own', (t) => {
  const dir = scratchDir();
  writeFileSync(`${dir}.lock`, 'garbage');
  const release = lockDataDir(dir);
  t.teardown(release);
  t.is(readFileSync(`${dir}.lock`, 'utf8').trim(), String(process.pid));
});
