/**
 * Named loggers in the spirit of Python's `logging` (Django logs on `django.request`,
 * `django.security.*`...; we log on `koa-django.request`, `koa-django.security.*`...).
 *
 * Every record goes to every handler. The built-in console handler prints records at or above
 * the level in `KOA_DJANGO_LOG_LEVEL` (`debug`, `info` default, `warning`, `error`, `silent`).
 * Add a handler to ship records elsewhere, or to assert on them in tests.
 *
 * @module
 */

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

/** One log event. */
export interface LogRecord {
  logger: string;
  level: LogLevel;
  message: string;
  time: Date;
  /** Structured context: `{ status, path, request }`... */
  extra?: Record<string, unknown>;
  error?: unknown;
}

export type LogHandler = (record: LogRecord) => void;

const RANK: Record<LogLevel | 'silent', number> = {
  debug: 10,
  info: 20,
  warning: 30,
  error: 40,
  silent: 100,
};

function consoleHandler(record: LogRecord): void {
  const threshold = (process.env.KOA_DJANGO_LOG_LEVEL ?? 'info') as LogLevel | 'silent';
  if (RANK[record.level] < (RANK[threshold] ?? RANK.info)) return;
  const line = `[${record.time.toISOString()}] ${record.level.toUpperCase()} ${record.logger}: ${record.message}`;
  const stack = record.error instanceof Error && record.level === 'error' ? `\n${record.error.stack}` : '';
  (RANK[record.level] >= RANK.warning ? console.error : console.log)(line + stack);
}

const handlers = new Set<LogHandler>([consoleHandler]);

/**
 * Add a handler; returns a function that removes it.
 *
 * @example
 * const records: LogRecord[] = [];
 * const stop = addLogHandler((r) => records.push(r));
 * // ... later
 * stop();
 */
export function addLogHandler(handler: LogHandler): () => void {
  handlers.add(handler);
  return () => handlers.delete(handler);
}

/** A named logger. */
export class Logger {
  constructor(readonly name: string) {}

  log(level: LogLevel, message: string, extra?: Record<string, unknown>, error?: unknown): void {
    const record: LogRecord = { logger: this.name, level, message, time: new Date(), extra, error };
    for (const handler of handlers) {
      try {
        handler(record);
      } catch {
        // A broken log handler must never break a request.
      }
    }
  }

  debug(message: string, extra?: Record<string, unknown>): void {
    this.log('debug', message, extra);
  }
  info(message: string, extra?: Record<string, unknown>): void {
    this.log('info', message, extra);
  }
  warning(message: string, extra?: Record<string, unknown>, error?: unknown): void {
    this.log('warning', message, extra, error);
  }
  error(message: string, extra?: Record<string, unknown>, error?: unknown): void {
    this.log('error', message, extra, error);
  }
}

const loggers = new Map<string, Logger>();

/**
 * The logger called `name` (created once).
 *
 * @example
 * getLogger('koa-django.request').warning('Not Found: /nope/', { status: 404 });
 */
export function getLogger(name: string): Logger {
  let logger = loggers.get(name);
  if (!logger) {
    logger = new Logger(name);
    loggers.set(name, logger);
  }
  return logger;
}
