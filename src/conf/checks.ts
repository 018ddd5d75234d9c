/**
 * Startup checks (Django's system check framework, reduced to what settings need): each check
 * looks at the settings and returns messages that say what is wrong and how to fix it.
 * `createApp()` refuses to start on an error; `koa-django check` prints them all.
 *
 * @module
 */
import type { Settings } from './settings.ts';

/** One finding: `level` error stops startup, warning is printed. */
export interface CheckMessage {
  /** Stable id, Django-style where Django has one (`security.W020`). */
  id: string;
  level: 'error' | 'warning';
  message: string;
  /** How to fix it. */
  hint?: string;
}

/** A check: inspect settings, return findings (possibly none). */
export type Check = (settings: Settings) => CheckMessage[] | Promise<CheckMessage[]>;

const registry: Check[] = [];

/**
 * Add a check that `checkSettings()` runs; contrib apps register theirs when imported.
 *
 * @example
 * registerCheck((s) => s.TWILIO_AUTH_TOKEN ? [] : [{ id: 'twilio.E001', level: 'error', message: '...' }]);
 */
export function registerCheck(check: Check): void {
  if (!registry.includes(check)) registry.push(check);
}

/** Options of `checkSettings`. */
export interface CheckSettingsOptions {
  /** Checks not to run (e.g. those a first pass already ran: see `registeredChecks()`). */
  except?: readonly Check[];
}

/**
 * The checks registered so far (and the core ones). Modules register theirs when imported, so a
 * urlconf or middleware imported while the pipeline is built can add checks: run those afterwards
 * with `checkSettings(settings, { except: before })`.
 *
 * @example
 * const before = registeredChecks();
 * await handler.loadMiddleware();
 * const late = await checkSettings(settings, { except: before });
 */
export function registeredChecks(): readonly Check[] {
  return [coreChecks, ...registry];
}

/**
 * Run every check and return the findings, errors first.
 *
 * @example
 * const problems = await checkSettings(settings);
 * if (problems.some((p) => p.level === 'error')) process.exit(1);
 */
export async function checkSettings(
  settings: Settings,
  options: CheckSettingsOptions = {},
): Promise<CheckMessage[]> {
  const skip = new Set(options.except ?? []);
  const found: CheckMessage[] = [];
  for (const check of [coreChecks, ...registry]) {
    if (!skip.has(check)) found.push(...(await check(settings)));
  }
  return found.sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
}

/**
 * Render findings for a terminal, one per paragraph.
 *
 * @example
 * console.error(formatCheckMessages(await checkSettings(settings)));
 */
export function formatCheckMessages(messages: CheckMessage[]): string {
  if (messages.length === 0) return 'System check identified no issues.';
  const lines = messages.map(
    (m) => `${m.level.toUpperCase()} ${m.id}: ${m.message}${m.hint ? `\n\tHINT: ${m.hint}` : ''}`,
  );
  return `System check identified ${messages.length} issue(s):\n${lines.join('\n')}`;
}

const BOOLEAN_KEYS = [
  'DEBUG',
  'USE_X_FORWARDED_HOST',
  'USE_X_FORWARDED_PORT',
  'APPEND_SLASH',
  'PREPEND_WWW',
  'DEBUG_PROPAGATE_EXCEPTIONS',
  'CSRF_COOKIE_SECURE',
  'CSRF_COOKIE_HTTPONLY',
  'CSRF_USE_SESSIONS',
  'SESSION_COOKIE_SECURE',
  'SESSION_COOKIE_HTTPONLY',
  'SESSION_EXPIRE_AT_BROWSER_CLOSE',
  'SESSION_SAVE_EVERY_REQUEST',
  'SECURE_SSL_REDIRECT',
  'SECURE_CONTENT_TYPE_NOSNIFF',
  'DJANGO_TWILIO_BLACKLIST_CHECK',
] as const;

const LIMIT_KEYS = [
  'DATA_UPLOAD_MAX_MEMORY_SIZE',
  'DATA_UPLOAD_MAX_NUMBER_FIELDS',
  'DATA_UPLOAD_MAX_NUMBER_FILES',
] as const;

function coreChecks(s: Settings): CheckMessage[] {
  const out: CheckMessage[] = [];
  const error = (id: string, message: string, hint?: string) =>
    out.push({ id, level: 'error', message, hint });
  const warning = (id: string, message: string, hint?: string) =>
    out.push({ id, level: 'warning', message, hint });

  if (typeof s.SECRET_KEY !== 'string' || s.SECRET_KEY.length === 0) {
    error(
      'security.E101',
      'The SECRET_KEY setting must not be empty.',
      "Set SECRET_KEY in your settings module, e.g. SECRET_KEY: process.env.SECRET_KEY. Generate one with: node -e \"console.log(require('crypto').randomBytes(40).toString('base64url'))\"",
    );
  } else if (
    !s.DEBUG &&
    (s.SECRET_KEY.length < 50 ||
      new Set(s.SECRET_KEY).size < 5 ||
      s.SECRET_KEY.startsWith('django-insecure-'))
  ) {
    warning(
      'security.W009',
      'SECRET_KEY has fewer than 50 characters or fewer than 5 unique characters; it is weak for production.',
      'Use a long random value, kept out of version control.',
    );
  }
  if (!Array.isArray(s.SECRET_KEY_FALLBACKS) || s.SECRET_KEY_FALLBACKS.some((k) => typeof k !== 'string')) {
    error(
      'security.E102',
      'SECRET_KEY_FALLBACKS must be a list of strings.',
      'e.g. SECRET_KEY_FALLBACKS: [oldKey].',
    );
  }
  if (!Array.isArray(s.ALLOWED_HOSTS) || s.ALLOWED_HOSTS.some((h) => typeof h !== 'string')) {
    error(
      'core.E001',
      'ALLOWED_HOSTS must be a list of host names.',
      "e.g. ALLOWED_HOSTS: ['example.com', '.example.org'].",
    );
  } else if (!s.DEBUG && s.ALLOWED_HOSTS.length === 0) {
    warning(
      'security.W020',
      'ALLOWED_HOSTS is empty while DEBUG is false: every request will be answered 400 (DisallowedHost).',
      "List the host names this site serves, e.g. ALLOWED_HOSTS: ['example.com'].",
    );
  }
  for (const key of BOOLEAN_KEYS) {
    if (typeof s[key] !== 'boolean')
      error('core.E002', `${key} must be true or false, not ${JSON.stringify(s[key])}.`);
  }
  for (const key of LIMIT_KEYS) {
    const v = s[key];
    if (v !== null && !(Number.isInteger(v) && v >= 0)) {
      error(
        'core.E003',
        `${key} must be a whole number of ${key.endsWith('SIZE') ? 'bytes' : 'items'} or null (no limit), not ${JSON.stringify(v)}.`,
      );
    }
  }
  if (!(Number.isInteger(s.FILE_UPLOAD_MAX_MEMORY_SIZE) && s.FILE_UPLOAD_MAX_MEMORY_SIZE >= 0)) {
    error(
      'core.E003',
      `FILE_UPLOAD_MAX_MEMORY_SIZE must be a whole number of bytes, not ${JSON.stringify(s.FILE_UPLOAD_MAX_MEMORY_SIZE)}.`,
    );
  }
  const ssl = s.SECURE_PROXY_SSL_HEADER;
  if (ssl !== null && !(Array.isArray(ssl) && ssl.length === 2 && ssl.every((x) => typeof x === 'string'))) {
    error(
      'core.E004',
      'SECURE_PROXY_SSL_HEADER must be a pair [META key, value] or null.',
      "e.g. SECURE_PROXY_SSL_HEADER: ['HTTP_X_FORWARDED_PROTO', 'https'].",
    );
  } else if (ssl && !/^(HTTP_[A-Z0-9_]+|CONTENT_TYPE|CONTENT_LENGTH)$/.test(ssl[0])) {
    error(
      'core.E005',
      `SECURE_PROXY_SSL_HEADER names '${ssl[0]}', which is not a META key.`,
      `Use the META spelling: HTTP_ + the header name upper-cased with '-' as '_' (e.g. 'HTTP_X_FORWARDED_PROTO').`,
    );
  }
  try {
    new TextDecoder(s.DEFAULT_CHARSET);
  } catch {
    error(
      'core.E006',
      `DEFAULT_CHARSET '${s.DEFAULT_CHARSET}' is not a known encoding.`,
      "Use 'utf-8' unless you need another.",
    );
  }
  if (!Array.isArray(s.MIDDLEWARE)) {
    error('core.E007', 'MIDDLEWARE must be a list of middleware classes or specifier strings.');
  }
  if (typeof s.DATABASE_URL !== 'string' || !/^(postgres(ql)?:\/\/|pglite:)/.test(s.DATABASE_URL)) {
    error(
      'db.E001',
      `DATABASE_URL '${s.DATABASE_URL}' is not understood.`,
      "Use postgres://user@host:5432/name for a PostgreSQL server, 'pglite:<dir>' or 'pglite:memory' for the embedded engine.",
    );
  }
  return out;
}
