/**
 * One process per PGlite data directory. PGlite is PostgreSQL compiled to WebAssembly and runs
 * inside the process; unlike a server it takes no lock on its data directory (its
 * `postmaster.pid` always says PID -42), so a second process opening the same directory — a
 * `koa-django callers add` while `runserver` is up — would corrupt it. A lock file beside the
 * directory (`<dir>.lock`, holding the owner's PID) refuses that with a clear error; a lock left
 * by a process that no longer runs is taken over.
 *
 * @module
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { OperationalError } from '../exceptions.ts';

/**
 * Take the lock on `dataDir` for this process; returns the function that releases it (also run
 * when the process exits). Throws OperationalError naming the process that holds it.
 *
 * @example
 * const release = lockDataDir('/srv/app/.data');
 * try { ... } finally { release(); }
 */
export function lockDataDir(dataDir: string): () => void {
  const file = `${resolve(dataDir)}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        throw new OperationalError(
          `Cannot lock the PGlite data directory ${dataDir} (${file}): ${(error as Error).message}.`,
          { cause: error },
        );
      }
      const owner = ownerOf(file);
      if (owner !== null && owner !== process.pid && isRunning(owner)) {
        throw new OperationalError(
          `The PGlite data directory ${dataDir} is in use by process ${owner} (a koa-django runserver or command?). ` +
            'The embedded database serves one process at a time: stop that process first, or point DATABASE_URL at a ' +
            'PostgreSQL server, which many processes can share.',
        );
      }
      // Left behind by a process that is gone (a crash, kill -9): take it over.
      removeQuietly(file);
    }
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (ownerOf(file) === process.pid) removeQuietly(file);
  };
  process.on('exit', release);
  return release;
}

function ownerOf(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
