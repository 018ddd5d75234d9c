/**
 * `DATABASE_URL`: which database engine a Settings object asks for, and how to show it without
 * secrets. Three forms are accepted:
 *
 * - `postgres://user:password@host:port/name` (or `postgresql://`): a PostgreSQL server through `pg`;
 * - `pglite:<dir>`: the embedded PGlite engine with its data in `<dir>` (relative to `BASE_DIR`);
 * - `pglite:memory`: an in-memory PGlite, gone when the process ends.
 *
 * Django spreads this over `DATABASES['default']` (ENGINE, NAME, HOST...); one URL is what Node
 * deployments (Heroku, Render, Fly) hand an app.
 *
 * @module
 */
import path from 'node:path';
import type { Settings } from '../conf/settings.ts';
import { ImproperlyConfigured } from '../exceptions.ts';

/** A PostgreSQL server reached through `pg`. */
export interface PostgresTarget {
  engine: 'postgres';
  /** The URL as given, password included: hand it to `pg` only, never print it. */
  url: string;
  /** The URL with any password removed, safe for logs and error messages. */
  safeUrl: string;
  /** Host name, address or socket directory. */
  host: string;
  port: string;
  /** `host:port` (or the socket directory), for "is the server running on ..." hints. */
  address: string;
  /** Database name (`pg` falls back to the user name when the URL has none). */
  database: string;
  user: string;
}

/** The embedded PGlite engine. */
export interface PGliteTarget {
  engine: 'pglite';
  /** Absolute data directory, or `null` for an in-memory database. */
  dataDir: string | null;
}

/** What a `DATABASE_URL` resolves to. */
export type DatabaseTarget = PostgresTarget | PGliteTarget;

const ACCEPTED =
  "Use postgres://user@host:5432/name (or postgresql://...) for a PostgreSQL server, 'pglite:<dir>' " +
  "(for example 'pglite:.data') for the embedded database, or 'pglite:memory' for an in-memory one.";

/** Query parameters `pg` reads as secrets: never shown. */
const SECRET_PARAMS = new Set(['password', 'sslpassword', 'sslkey']);

/**
 * Resolve `DATABASE_URL` against `BASE_DIR`. Throws ImproperlyConfigured, naming the setting and
 * the accepted forms, for anything else.
 *
 * @example
 * parseDatabaseUrl('pglite:.data', '/srv/app');
 * // { engine: 'pglite', dataDir: '/srv/app/.data' }
 * parseDatabaseUrl('postgres://app:s3cret@db:5432/app', '/srv/app').safeUrl;
 * // 'postgres://app@db:5432/app'
 */
export function parseDatabaseUrl(value: string, baseDir: string): DatabaseTarget {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ImproperlyConfigured(`DATABASE_URL is empty. ${ACCEPTED}`);
  }
  const trimmed = value.trim();
  if (/^pglite:/i.test(trimmed)) return parsePGlite(trimmed, baseDir);
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return parsePostgres(trimmed);
  throw new ImproperlyConfigured(`DATABASE_URL '${redactUrl(trimmed)}' is not supported. ${ACCEPTED}`);
}

function parsePGlite(value: string, baseDir: string): PGliteTarget {
  const rest = value.slice('pglite:'.length);
  if (rest === 'memory') return { engine: 'pglite', dataDir: null };
  if (rest === '' || rest.startsWith('//')) {
    throw new ImproperlyConfigured(
      `DATABASE_URL '${value}' names no PGlite data directory. Write 'pglite:<dir>' without slashes after ` +
        "the colon (for example 'pglite:.data' or 'pglite:/var/lib/app/pgdata'), or 'pglite:memory'.",
    );
  }
  return { engine: 'pglite', dataDir: path.resolve(baseDir, rest) };
}

function parsePostgres(value: string): PostgresTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ImproperlyConfigured(
      `DATABASE_URL '${redactUrl(value)}' is not a valid URL. Percent-encode special characters in the ` +
        `user name and password (for example '@' as %40). ${ACCEPTED}`,
    );
  }
  const socketDir = url.searchParams.get('host');
  const host = url.hostname ? decodeURIComponent(url.hostname) : (socketDir ?? 'localhost');
  const port = url.port || url.searchParams.get('port') || '5432';
  const user = decodeURIComponent(url.username) || process.env.PGUSER || 'postgres';
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || user;
  return {
    engine: 'postgres',
    url: value,
    safeUrl: redactUrl(value),
    host,
    port,
    address: host.startsWith('/') ? `${host} (socket, port ${port})` : `${host}:${port}`,
    database,
    user,
  };
}

/**
 * `value` with its password (and password-like query parameters) removed; anything that does
 * not parse as a URL is cut to its scheme, so a secret never reaches a log line.
 *
 * @example
 * redactUrl('postgres://app:s3cret@db/app?sslpassword=x'); // 'postgres://app@db/app?sslpassword=***'
 */
export function redactUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(value)?.[0];
    return value.includes('@') || !scheme ? `${scheme ?? ''}<unparsable URL hidden>` : value;
  }
  if (url.protocol === 'pglite:') return value;
  url.password = '';
  for (const key of [...url.searchParams.keys()]) {
    if (SECRET_PARAMS.has(key.toLowerCase())) url.searchParams.set(key, '***');
  }
  return url.href;
}

/**
 * A one-line description of the database `settings` point at, for the CLI banner and logs.
 * Never includes a password.
 *
 * @example
 * describeDatabase(settings); // 'PGlite (embedded) at /srv/app/.data'
 * describeDatabase(prod);     // 'PostgreSQL postgres://app@db.internal:5432/app'
 */
export function describeDatabase(settings: Pick<Settings, 'DATABASE_URL' | 'BASE_DIR'>): string {
  return describeTarget(parseDatabaseUrl(settings.DATABASE_URL, settings.BASE_DIR));
}

/** The description of an already parsed target (see `describeDatabase`). */
export function describeTarget(target: DatabaseTarget): string {
  if (target.engine === 'postgres') return `PostgreSQL ${target.safeUrl}`;
  return target.dataDir === null ? 'PGlite (embedded, in memory)' : `PGlite (embedded) at ${target.dataDir}`;
}
