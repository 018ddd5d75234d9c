/**
 * The caller blacklist, held in process: the set of blacklisted E.164 numbers, so a webhook's
 * blacklist check is a `Set` lookup with no database round trip (django-twilio runs one query
 * per request).
 *
 * How it stays fresh:
 * - at start, and after every reconnection, it loads every blacklisted caller;
 * - a trigger on `django_twilio_caller` sends a NOTIFY for every change, which each process's
 *   LISTEN connection applies (see `blacklist-listener.ts`), so a change made by any process,
 *   the admin or plain SQL reaches all of them within milliseconds;
 * - a change made through the Caller API (`callers.ts`) is applied in this process at once,
 *   before the call returns, on both engines.
 *
 * If the database goes away, lookups keep answering from the last list loaded, the failure is
 * logged on `koa-django.twilio`, and the blacklist reconnects with backoff and reloads in full:
 * changes made meanwhile are seen. Nothing it runs keeps the process alive; `close()`, or
 * closing its database (`closeDatabase(knex)`), stops it.
 *
 * @module
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Knex } from 'knex';
import type pg from 'pg';
import type { Settings } from '../../conf/settings.ts';
import { getDatabase } from '../../db/index.ts';
import { getLogger } from '../../utils/log.ts';
import {
  createPGliteListener,
  createPgListener,
  describeError,
  type Listener,
  type PgListenerOptions,
} from './blacklist-listener.ts';

/** The table of `Caller` rows (django-twilio's name). */
export const CALLER_TABLE = 'django_twilio_caller';

const logger = getLogger('koa-django.twilio');

/** One caller's new state, as the NOTIFY trigger and the Caller API describe it. */
export interface CallerChange {
  /** E.164 number. */
  phoneNumber: string;
  /** Whether it is blacklisted now (`false` for a deleted caller). */
  blacklisted: boolean;
  /** The number before an update that changed it. */
  oldPhoneNumber?: string | null;
}

/** Options of a Blacklist (`blacklistFor(settings, options)` on first call). */
export interface BlacklistOptions extends PgListenerOptions {
  /** The database to read; default `getDatabase(settings)`. */
  knex?: Knex;
  /** First delay before retrying a failed load (doubled per failure, up to maxReconnectDelayMs). Default 100 ms. */
  minRetryDelayMs?: number;
}

/**
 * The blacklisted numbers of one database, cached in process. Get the shared one with
 * `blacklistFor(settings)`.
 *
 * @example
 * const blacklist = blacklistFor(settings);
 * await blacklist.ready;                     // first load attempted (never rejects)
 * blacklist.isBlacklisted('+15005550001');   // true / false, synchronously
 * await blacklist.close();
 */
export class Blacklist {
  /** Resolves once the first load has been attempted, whether or not it worked; never rejects. */
  readonly ready: Promise<void>;
  readonly #knex: Knex;
  readonly #key: object | string;
  readonly #options: BlacklistOptions;
  #numbers = new Set<string>();
  /** Changes seen while a load runs, replayed onto its result (the load's snapshot may predate them). */
  #pending: CallerChange[] | null = null;
  #loaded = false;
  #closed = false;
  #failures = 0;
  #retry: NodeJS.Timeout | null = null;
  #queued: Promise<boolean> | null = null;
  #tail: Promise<unknown> = Promise.resolve();
  #listener: Listener | null = null;
  /** The load the listener's first connection asked for. */
  #connectLoad: Promise<boolean> | null = null;

  constructor(knex: Knex, options: BlacklistOptions = {}) {
    this.#knex = knex;
    this.#key = databaseKey(knex);
    this.#options = options;
    register(this);
    closeWithDatabase(knex);
    this.ready = this.#start();
  }

  /** The knex this blacklist reads from. */
  get knex(): Knex {
    return this.#knex;
  }

  /** @internal Identity of the database (shared by every knex on it), for in-process changes. */
  get databaseKey(): object | string {
    return this.#key;
  }

  /**
   * Whether `e164` is blacklisted, from memory. Pass the number in E.164, normalised with
   * `normalizePhoneNumber` (what twilioView does with the `From` parameter).
   *
   * @example
   * blacklist.isBlacklisted(normalizePhoneNumber(from, region) ?? from);
   */
  isBlacklisted(e164: string): boolean {
    return this.#numbers.has(e164);
  }

  /** How many numbers are blacklisted. */
  get size(): number {
    return this.#numbers.size;
  }

  /** The blacklisted numbers, sorted. */
  numbers(): string[] {
    return [...this.#numbers].sort();
  }

  /** Whether a load has ever succeeded (false: the list is empty because the database was never reached). */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** Whether changes from other processes are being received right now. */
  get listening(): boolean {
    return this.#listener?.connected ?? false;
  }

  /** Whether `close()` was called (or its database closed). */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Load every blacklisted number again. Resolves to whether it worked; a failure is logged and
   * retried with backoff, and the list in memory is kept. Loads never overlap: a call during a
   * load runs one more after it.
   *
   * @example
   * await blacklist.reload(); // true
   */
  reload(): Promise<boolean> {
    if (this.#queued) return this.#queued;
    const run = this.#tail.then(() => {
      this.#queued = null;
      return this.#load();
    });
    this.#queued = run;
    this.#tail = run;
    return run;
  }

  /**
   * Apply one caller's new state at once (the Caller API calls this after each write; the
   * NOTIFY for the same change arrives later and changes nothing).
   *
   * @example
   * blacklist.apply({ phoneNumber: '+15005550001', blacklisted: true });
   */
  apply(change: CallerChange): void {
    if (this.#closed) return;
    this.#pending?.push(change);
    applyChange(this.#numbers, change);
  }

  /**
   * Stop listening, cancel retries and forget the list; later lookups answer `false`. Safe to
   * call twice. `blacklistFor(settings)` then starts a new one.
   *
   * @example
   * await blacklistFor(settings).close();
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    unregister(this);
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#numbers = new Set();
    const listener = this.#listener;
    this.#listener = null;
    await listener?.close();
  }

  async #start(): Promise<void> {
    try {
      this.#listener = this.#listen();
      await this.#listener?.started;
      // The listener's first connect already asked for a load (after LISTEN, so nothing falls
      // between the two); without a listener, load once here.
      await (this.#connectLoad ?? this.reload());
    } catch (error) {
      // A broken setup must not break webhooks: they answer "not blacklisted" and it is logged.
      logger.error(`The caller blacklist could not start: ${describeError(error)}`, {}, error);
    }
  }

  #listen(): Listener | null {
    const handlers = {
      onNotify: (payload: string) => this.#onNotify(payload),
      onConnect: () => {
        this.#connectLoad = this.reload();
      },
      onLost: () => {},
    };
    const pglite = pgliteOf(this.#knex);
    if (pglite) return createPGliteListener(pglite, handlers);
    const config = pgConfigOf(this.#knex);
    if (!config) {
      logger.warning(
        'The caller blacklist cannot LISTEN: its knex has no connection settings a dedicated pg client can use ' +
          "(a function?). Changes made through this process's Caller API are seen; other processes' are not.",
      );
      return null;
    }
    return createPgListener(config, handlers, { describe: describeConfig(config), ...this.#options });
  }

  #onNotify(payload: string): void {
    if (this.#closed) return;
    const change = parsePayload(payload);
    if (change) this.apply(change);
    else void this.reload(); // TRUNCATE, or a payload we do not know: start over
  }

  async #load(): Promise<boolean> {
    if (this.#closed) return false;
    const pending: CallerChange[] = [];
    this.#pending = pending;
    try {
      const rows = (await this.#knex(CALLER_TABLE).where({ blacklisted: true }).select('phone_number')) as {
        phone_number: string;
      }[];
      if (this.#closed) return false;
      const next = new Set(rows.map((row) => row.phone_number));
      for (const change of pending) applyChange(next, change);
      this.#numbers = next;
      if (this.#failures > 0) {
        logger.info(`The caller blacklist is loaded again (${next.size} blacklisted numbers).`);
      }
      this.#failures = 0;
      this.#loaded = true;
      // A retry still scheduled from an earlier failure has nothing left to do.
      if (this.#retry) clearTimeout(this.#retry);
      this.#retry = null;
      return true;
    } catch (error) {
      if (this.#closed) return false;
      const level = this.#failures === 0 ? 'warning' : 'debug';
      logger.log(
        level,
        `Could not load the caller blacklist: ${describeError(error)}. Webhooks answer from the last known ` +
          `list (${this.#numbers.size} numbers${this.#loaded ? '' : ', never loaded'}); retrying.`,
        { error: describeError(error) },
        error,
      );
      this.#scheduleRetry();
      return false;
    } finally {
      if (this.#pending === pending) this.#pending = null;
    }
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retry) return;
    const min = this.#options.minRetryDelayMs ?? 100;
    const max = this.#options.maxReconnectDelayMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** Math.min(this.#failures, 20));
    this.#failures += 1;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.reload();
    }, delay);
    this.#retry.unref();
  }
}

function applyChange(numbers: Set<string>, change: CallerChange): void {
  if (change.oldPhoneNumber && change.oldPhoneNumber !== change.phoneNumber) {
    numbers.delete(change.oldPhoneNumber);
  }
  if (change.blacklisted) numbers.add(change.phoneNumber);
  else numbers.delete(change.phoneNumber);
}

/** The trigger's JSON payload as a change, or `null` for TRUNCATE or anything unexpected. */
function parsePayload(payload: string): CallerChange | null {
  try {
    const data = JSON.parse(payload) as Record<string, unknown>;
    if (typeof data.phone_number !== 'string' || typeof data.blacklisted !== 'boolean') return null;
    return {
      phoneNumber: data.phone_number,
      blacklisted: data.blacklisted,
      oldPhoneNumber: typeof data.old_phone_number === 'string' ? data.old_phone_number : null,
    };
  } catch {
    return null;
  }
}

// --- which database a knex talks to ----------------------------------------------------------

type KnexClientInternals = { pglite?: PGlite; config?: { connection?: unknown } };

function pgliteOf(knex: Knex): PGlite | null {
  return (knex.client as KnexClientInternals).pglite ?? null;
}

function pgConfigOf(knex: Knex): pg.ClientConfig | null {
  const connection = (knex.client as KnexClientInternals).config?.connection;
  if (typeof connection === 'string') return { connectionString: connection };
  if (connection && typeof connection === 'object') return connection as pg.ClientConfig;
  return null;
}

function describeConfig(config: pg.ClientConfig): string {
  if (config.connectionString) {
    try {
      const url = new URL(config.connectionString);
      return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
    } catch {
      return 'the PostgreSQL server';
    }
  }
  return `${config.host ?? 'localhost'}:${config.port ?? 5432}/${config.database ?? ''}`;
}

/**
 * Identity of the database behind `knex`: the PGlite engine, or the server connection settings,
 * so a change made through any knex reaches the blacklists of every knex on the same database.
 */
function databaseKey(knex: Knex): object | string {
  const pglite = pgliteOf(knex);
  if (pglite) return pglite;
  const config = pgConfigOf(knex);
  if (!config) return knex;
  if (config.connectionString) return `pg ${config.connectionString}`;
  return `pg ${config.host ?? ''}:${config.port ?? ''}/${config.database ?? ''}/${config.user ?? ''}`;
}

// --- in-process registry -----------------------------------------------------------------------

const byDatabase = new Map<object | string, Set<Blacklist>>();

function register(blacklist: Blacklist): void {
  let set = byDatabase.get(blacklist.databaseKey);
  if (!set) {
    set = new Set();
    byDatabase.set(blacklist.databaseKey, set);
  }
  set.add(blacklist);
}

function unregister(blacklist: Blacklist): void {
  const set = byDatabase.get(blacklist.databaseKey);
  set?.delete(blacklist);
  if (set?.size === 0) byDatabase.delete(blacklist.databaseKey);
}

/**
 * Tell this process's blacklists on the database behind `knex` about a change the caller just
 * wrote. On a transaction (`trx`), the change is applied when the outermost transaction
 * commits, and never if any of the enclosing ones rolls back. The Caller API calls this; call
 * it yourself after changing `django_twilio_caller` with plain knex if the change must be seen
 * before its NOTIFY arrives.
 *
 * @example
 * await knex('django_twilio_caller').update({ blacklisted: true }).where({ phone_number: n });
 * notifyCallerChange(knex, { phoneNumber: n, blacklisted: true });
 */
export function notifyCallerChange(knex: Knex, change: CallerChange): void {
  const key = databaseKey(knex);
  if (!byDatabase.has(key)) return;
  const apply = () => {
    for (const blacklist of byDatabase.get(key) ?? []) blacklist.apply(change);
  };
  if ((knex as TransactionInternals).isTransaction) afterCommit(knex as TransactionInternals, apply);
  else apply();
}

/** What knex's transaction objects carry (knex/lib/execution/transaction.js). */
interface TransactionInternals {
  isTransaction?: boolean;
  executionPromise?: Promise<unknown>;
  parentTransaction?: TransactionInternals;
}

/** Run `action` once `trx` and every transaction around it have committed. */
function afterCommit(trx: TransactionInternals, action: () => void): void {
  const chain: TransactionInternals[] = [];
  for (let current: TransactionInternals | undefined = trx; current; current = current.parentTransaction) {
    chain.push(current);
  }
  const outermost = chain[chain.length - 1] as TransactionInternals;
  if (!outermost.executionPromise) {
    action();
    return;
  }
  // Inner transactions (savepoints) settle before the outermost one does.
  let rolledBack = false;
  for (const inner of chain.slice(0, -1)) {
    inner.executionPromise?.catch(() => {
      rolledBack = true;
    });
  }
  outermost.executionPromise.then(
    () => {
      if (!rolledBack) action();
    },
    () => {},
  );
}

// --- lifecycle: one per Settings, closed with its database --------------------------------------

const shared = new WeakMap<Settings, Blacklist>();
const watchedClients = new WeakSet<object>();

/** Close every blacklist reading from `knex` when `knex.destroy()` (or closeDatabase) runs. */
function closeWithDatabase(knex: Knex): void {
  const client = knex.client as { destroy: (callback?: unknown) => Promise<unknown> };
  if (watchedClients.has(client)) return;
  watchedClients.add(client);
  const destroy = client.destroy.bind(client);
  client.destroy = async (callback?: unknown) => {
    const closing: Promise<void>[] = [];
    for (const set of byDatabase.values()) {
      for (const blacklist of set) if (blacklist.knex === knex) closing.push(blacklist.close());
    }
    await Promise.all(closing);
    return destroy(callback);
  };
}

/**
 * The blacklist shared by everything that uses `settings`, started on the first call (it reads
 * `getDatabase(settings)` unless `options.knex` is given; options count on the first call only).
 * After `close()`, or once its database is closed, the next call starts a new one.
 *
 * @example
 * const blacklist = blacklistFor(settings);
 * await blacklist.ready;
 * if (blacklist.isBlacklisted(normalizePhoneNumber(from, settings.TWILIO_PHONENUMBER_DEFAULT_REGION) ?? from)) {
 *   // reject
 * }
 */
export function blacklistFor(settings: Settings, options: BlacklistOptions = {}): Blacklist {
  let blacklist = shared.get(settings);
  if (!blacklist || blacklist.closed) {
    blacklist = new Blacklist(options.knex ?? getDatabase(settings), options);
    shared.set(settings, blacklist);
  }
  return blacklist;
}

/**
 * Close the blacklist of `settings`, if one was started (does not start one).
 *
 * @example
 * await closeBlacklist(settings);
 */
export async function closeBlacklist(settings: Settings): Promise<void> {
  const blacklist = shared.get(settings);
  shared.delete(settings);
  await blacklist?.close();
}
