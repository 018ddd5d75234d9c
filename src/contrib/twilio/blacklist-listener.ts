/**
 * The LISTEN side of the caller blacklist: one long-lived subscription to the
 * `koa_django_twilio_callers` channel, on whichever engine the database runs.
 *
 * - PostgreSQL server: a dedicated `pg` Client, never taken from the knex pool (a pooled
 *   connection is recycled and a LISTEN on it is silently lost). A dropped connection (server
 *   restart, `pg_terminate_backend`, network) is noticed from the socket, or at the latest by a
 *   periodic `SELECT 1`, and re-established with exponential backoff; every (re)connection is
 *   reported through `onConnect` so the blacklist reloads everything it may have missed. Its
 *   socket and timers are unref'd: the listener never keeps a process alive.
 * - PGlite: the engine's own `listen()`, in process; it cannot be lost while the engine runs.
 *
 * @module
 */
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { getLogger } from '../../utils/log.ts';

/** The channel the callers trigger notifies (see the twilio migration). */
export const CALLERS_CHANNEL = 'koa_django_twilio_callers';

const logger = getLogger('koa-django.twilio');

/** What a listener tells its owner. */
export interface ListenerHandlers {
  /** A notification on the channel arrived (its payload as sent). */
  onNotify(payload: string): void;
  /** LISTEN is in place, for the first time or again after a loss: reload everything. */
  onConnect(): void;
  /** The subscription was lost (or could not be made); notifications may be missed until `onConnect`. */
  onLost(error: unknown): void;
}

/** A running subscription. */
export interface Listener {
  /** Whether LISTEN is in place right now. */
  readonly connected: boolean;
  /** Resolves after the first attempt to subscribe, whatever its outcome; never rejects. */
  readonly started: Promise<void>;
  /** Stop listening and release the connection; safe to call twice. */
  close(): Promise<void>;
}

/** Timing of the server listener; the defaults suit production, tests shorten them. */
export interface PgListenerOptions {
  /** First reconnection delay (doubled per failed attempt, with ±20 % jitter). Default 100 ms. */
  minReconnectDelayMs?: number;
  /** Longest reconnection delay. Default 30 s. */
  maxReconnectDelayMs?: number;
  /** How often the connection is checked with `SELECT 1`. Default 30 s. */
  heartbeatMs?: number;
  /** Connection and query timeout of the listener connection. Default 10 s. */
  timeoutMs?: number;
  /** Shown in `pg_stat_activity.application_name`. */
  applicationName?: string;
  /** How to describe the server in log lines (never with a password). */
  describe?: string;
}

/**
 * Subscribe to CALLERS_CHANNEL on a PostgreSQL server with a dedicated connection that comes
 * back by itself after a loss.
 *
 * @example
 * const listener = createPgListener({ connectionString: url }, {
 *   onNotify: (payload) => console.log(payload),
 *   onConnect: () => reloadEverything(),
 *   onLost: () => {},
 * });
 * await listener.started;
 * // ...
 * await listener.close();
 */
export function createPgListener(
  config: pg.ClientConfig,
  handlers: ListenerHandlers,
  options: PgListenerOptions = {},
): Listener {
  const minDelay = options.minReconnectDelayMs ?? 100;
  const maxDelay = options.maxReconnectDelayMs ?? 30_000;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const where = options.describe ?? 'the PostgreSQL server';

  let client: pg.Client | null = null;
  let connected = false;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let resolveStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    resolveStarted = resolve;
  });

  const schedule = () => {
    if (closed || retry) return;
    const base = Math.min(maxDelay, minDelay * 2 ** Math.min(failures, 20));
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    failures += 1;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, delay);
    retry.unref();
  };

  const lose = (current: pg.Client, error: unknown) => {
    if (client !== current) return; // an old connection reporting late
    client = null;
    const wasConnected = connected;
    connected = false;
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = null;
    current.end().catch(() => {});
    if (closed) return;
    if (wasConnected) {
      logger.warning(
        `Lost the caller blacklist's LISTEN connection to ${where}; reconnecting. Webhooks answer from ` +
          `the last known blacklist meanwhile, and it is reloaded in full once the connection is back.`,
        { error: describeError(error) },
        error,
      );
    }
    handlers.onLost(error);
    schedule();
  };

  const connect = async () => {
    if (closed) return;
    const current = new pg.Client({
      ...config,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      keepAlive: true,
      application_name: options.applicationName ?? 'koa-django twilio blacklist',
    });
    client = current;
    // Errors after a loss must not become uncaught 'error' events.
    current.on('error', (error) => lose(current, error));
    current.on('end', () => lose(current, new Error('connection ended')));
    current.on('notification', (message) => {
      if (message.channel === CALLERS_CHANNEL) handlers.onNotify(message.payload ?? '');
    });
    try {
      await current.connect();
      await current.query(`LISTEN ${CALLERS_CHANNEL}`);
    } catch (error) {
      if (failures === 0 && !closed) {
        logger.warning(
          `The caller blacklist cannot LISTEN on ${where}: ${describeError(error)}. Retrying with backoff; ` +
            'until then other processes\u2019 changes to callers are not seen.',
          { error: describeError(error) },
          error,
        );
      } else {
        logger.debug(`Blacklist LISTEN connection attempt failed: ${describeError(error)}`);
      }
      lose(current, error);
      resolveStarted();
      return;
    }
    if (closed || client !== current) {
      current.end().catch(() => {});
      resolveStarted();
      return;
    }
    if (failures > 0) logger.info(`The caller blacklist is listening on ${where} again.`);
    failures = 0;
    connected = true;
    // Only now: while connecting it is work someone may await; once listening, it is idle.
    unrefSocket(current);
    let beating = false;
    heartbeat = setInterval(() => {
      // A check still waiting (its query_timeout will end it) is not doubled up.
      if (beating) return;
      beating = true;
      current.query('SELECT 1').then(
        () => {
          beating = false;
        },
        (error: unknown) => {
          beating = false;
          lose(current, error);
        },
      );
    }, heartbeatMs);
    heartbeat.unref();
    handlers.onConnect();
    resolveStarted();
  };

  void connect();

  return {
    get connected() {
      return connected;
    },
    started,
    async close() {
      if (closed) return;
      closed = true;
      connected = false;
      if (retry) clearTimeout(retry);
      if (heartbeat) clearInterval(heartbeat);
      retry = heartbeat = null;
      const current = client;
      client = null;
      resolveStarted();
      if (current) await current.end().catch(() => {});
    },
  };
}

/**
 * Subscribe to CALLERS_CHANNEL on a PGlite engine (knex-pglite's single session, which also
 * sees its own notifications).
 *
 * @example
 * const listener = createPGliteListener(pglite, handlers);
 * await listener.started;
 */
export function createPGliteListener(pglite: PGlite, handlers: ListenerHandlers): Listener {
  let connected = false;
  let closed = false;
  let unlisten: (() => Promise<void>) | null = null;
  const started = (async () => {
    try {
      await pglite.waitReady;
      const stop = await pglite.listen(CALLERS_CHANNEL, (payload) => handlers.onNotify(payload));
      if (closed) {
        await stop().catch(() => {});
        return;
      }
      unlisten = stop;
      connected = true;
      handlers.onConnect();
    } catch (error) {
      if (!closed) {
        logger.warning(
          `The caller blacklist cannot LISTEN on the embedded PGlite database: ${describeError(error)}. ` +
            'Changes made through the Caller API are still seen at once.',
          {},
          error,
        );
        handlers.onLost(error);
      }
    }
  })();
  return {
    get connected() {
      return connected && !pglite.closed;
    },
    started,
    async close() {
      if (closed) return;
      closed = true;
      connected = false;
      const stop = unlisten;
      unlisten = null;
      if (stop && !pglite.closed) await stop().catch(() => {});
    },
  };
}

/** A short, secret-free description of a connection error. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${error.message} (${code})`
      : error.message;
  }
  return String(error);
}

/** The listener's socket must not keep the process alive (pg keeps it as `connection.stream`). */
function unrefSocket(client: pg.Client): void {
  const stream = (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection
    ?.stream;
  stream?.unref?.();
}
