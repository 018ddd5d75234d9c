/**
 * Settings modules for the `koa-django clearsessions` tests, written to a temporary directory
 * (the command loads settings from a file, as a user runs it).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { main } from '../../src/cli.ts';

const CONF = pathToFileURL(fileURLToPath(new URL('../../src/conf/index.ts', import.meta.url))).href;

/** Write a settings module exporting `defineSettings(settings)`; returns its path and a cleanup. */
export async function settingsModule(
  settings: Record<string, unknown>,
): Promise<{ file: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kd-clearsessions-'));
  const file = path.join(dir, 'settings.ts');
  const body = JSON.stringify(
    { SECRET_KEY: 'clearsessions-test-key-'.padEnd(50, 'k'), ...settings },
    null,
    2,
  );
  await writeFile(
    file,
    `import { defineSettings } from '${CONF}';\nexport default defineSettings(${body});\n`,
  );
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Run `koa-django <argv>` in-process, capturing its output. */
export async function run(argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out: out.join('\n'), err: err.join('\n') };
}
