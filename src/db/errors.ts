/**
 * Connection failures, turned into errors that name `DATABASE_URL` and say how to fix it.
 *
 * Django raises `django.db.utils.OperationalError` when it cannot reach the database; so do we,
 * with the driver's error attached as `cause`. Query errors (a unique violation, a syntax error)
 * are not touched: they come from the driver unchanged, with PostgreSQL's `code` (`23505`...).
 *
 * @module
 */
import { OperationalError } from '../exceptions.ts';
import type { PGliteTarget, PostgresTarget } from './url.ts';

export { OperationalError };

const UNSET_HINT = 'or unset DATABASE_URL to use the embedded database';

/**
 * Explain why connecting to the PostgreSQL server in `target` failed.
 *
 * @example
 * connectionError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), target).message;
 * // "Could not connect to the PostgreSQL server named by DATABASE_URL (postgres://postgres@127.0.0.1:1/x):
 * //  connection refused. Is the PostgreSQL server running on 127.0.0.1:1? Start it, or unset ..."
 */
export function connectionError(error: unknown, target: PostgresTarget): OperationalError {
  const where = `the PostgreSQL server named by DATABASE_URL (${target.safeUrl})`;
  const code = errorCode(error);
  let message: string;
  switch (code) {
    case 'ECONNREFUSED':
      message =
        `Could not connect to ${where}: connection refused. Is the PostgreSQL server running on ` +
        `${target.address}? Start it, ${UNSET_HINT}.`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      message =
        `Could not connect to ${where}: the host name in ${target.address} does not resolve. ` +
        `Fix the host in DATABASE_URL, ${UNSET_HINT}.`;
      break;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'CONNECT_TIMEOUT':
      message =
        `Could not connect to ${where}: ${target.address} did not answer. Check that the server is up ` +
        `and that no firewall is in the way, ${UNSET_HINT}.`;
      break;
    case '3D000':
      message =
        `The database '${target.database}' named by DATABASE_URL (${target.safeUrl}) does not exist. ` +
        `Create it (createdb -h ${target.host} -p ${target.port} -U ${target.user} ${target.database}, or CREATE DATABASE ` +
        `"${target.database}"), or fix the database name in DATABASE_URL.`;
      break;
    case '28P01':
    case '28000':
      message =
        `The PostgreSQL server named by DATABASE_URL (${target.safeUrl}) refused the login of user ` +
        `'${target.user}': ${messageOf(error)}. Check the user name and password in DATABASE_URL.`;
      break;
    case '57P03':
      message = `Could not connect to ${where}: the server is starting up or shutting down. Try again in a moment.`;
      break;
    default:
      message = `Could not connect to ${where}: ${messageOf(error)}. Check DATABASE_URL, ${UNSET_HINT}.`;
  }
  return new OperationalError(message, { cause: error });
}

/**
 * Explain why the embedded PGlite database in `target` could not start.
 *
 * @example
 * pgliteError(new Error('Aborted()'), { engine: 'pglite', dataDir: '/srv/app/.data' }).message;
 */
export function pgliteError(error: unknown, target: PGliteTarget): OperationalError {
  const message =
    target.dataDir === null
      ? `The in-memory PGlite database (DATABASE_URL 'pglite:memory') failed to start: ${messageOf(error)}.`
      : `The PGlite database in ${target.dataDir} (from DATABASE_URL) could not be opened: ` +
        `${messageOf(error)}. If the directory was written by another PGlite version or is damaged, ` +
        'move it aside and run `koa-django migrate` to create a fresh one; make sure no other process has it open.';
  return new OperationalError(message, { cause: error });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errors, message } = error as { code?: unknown; errors?: unknown; message?: unknown };
  if (typeof code === 'string') return code;
  // Node's happy-eyeballs connect (localhost -> ::1 and 127.0.0.1) fails with an AggregateError
  // whose own `code` may be missing; the attempts inside carry it.
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const innerCode = errorCode(inner);
      if (innerCode) return innerCode;
    }
  }
  // pg reports its own connectionTimeoutMillis expiry with a message and no code.
  if (typeof message === 'string' && /timeout/i.test(message)) return 'CONNECT_TIMEOUT';
  return undefined;
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\.$/, '') || (error as Error)?.name || 'unknown error';
}
