/**
 * `SESSION_ENGINE` → a session backend class. Accepted: `'db'` (default), `'signed_cookies'`,
 * Django's module names for those two (`'django.contrib.sessions.backends.db'`...), a class
 * extending `SessionBase`, or a `'module#Export'` specifier (relative to `BASE_DIR`) naming one.
 *
 * A specifier is imported once per Settings object and cached; the `sessions.E001` check
 * imports it at startup, so a wrong one stops `createApp()` / `koa-django check` instead of
 * failing the first request.
 *
 * @module
 */
import { registerCheck } from '../../conf/checks.ts';
import type { Settings } from '../../conf/index.ts';
import { ImproperlyConfigured } from '../../exceptions.ts';
import { importString, perSettings } from '../../utils/module-loading.ts';
import { DbSessionStore } from './backends/db.ts';
import { SignedCookieSessionStore } from './backends/signed-cookies.ts';
import { SessionBase, type SessionStoreClass } from './base.ts';

/** The built-in engines, by every name they go by. */
const BUILTIN: Readonly<Record<string, SessionStoreClass>> = {
  db: DbSessionStore,
  signed_cookies: SignedCookieSessionStore,
  'django.contrib.sessions.backends.db': DbSessionStore,
  'django.contrib.sessions.backends.signed_cookies': SignedCookieSessionStore,
};

/**
 * The session class `settings.SESSION_ENGINE` names. Synchronous for built-in names and
 * classes; a promise (settled once, then cached) for a module specifier.
 *
 * @example
 * const Store = await sessionEngine(settings);
 * const session = new Store(request.COOKIES.sessionid, settings);
 */
export const sessionEngine: (settings: Settings) => SessionStoreClass | Promise<SessionStoreClass> =
  perSettings(resolve);

function resolve(settings: Settings): SessionStoreClass | Promise<SessionStoreClass> {
  const setting = settings.SESSION_ENGINE;
  if (typeof setting === 'function') return checked(setting, 'the class given');
  if (typeof setting !== 'string') {
    throw new ImproperlyConfigured(
      `SESSION_ENGINE must be 'db', 'signed_cookies', a SessionBase subclass or a 'module#Export' string, not ${typeof setting}.`,
    );
  }
  const builtin = Object.hasOwn(BUILTIN, setting) ? BUILTIN[setting] : undefined;
  if (builtin) return builtin;
  if (!setting.includes('#')) {
    const hint = setting.startsWith('django.contrib.sessions.backends.')
      ? ` koa-django has only the 'db' and 'signed_cookies' engines of Django's.`
      : '';
    throw new ImproperlyConfigured(
      `SESSION_ENGINE '${setting}' is not a session engine.${hint} Use 'db', 'signed_cookies', a SessionBase subclass, or a specifier such as './sessions.ts#RedisSessionStore'.`,
    );
  }
  return importString(setting, settings.BASE_DIR, 'SESSION_ENGINE').then((value) =>
    checked(value, `'${setting}'`),
  );
}

function checked(value: unknown, what: string): SessionStoreClass {
  const isStore =
    typeof value === 'function' &&
    value.prototype instanceof SessionBase &&
    typeof (value as Partial<SessionStoreClass>).clearExpired === 'function';
  if (!isStore) {
    throw new ImproperlyConfigured(
      `SESSION_ENGINE: ${what} is not a session backend: it must be a class extending SessionBase (from koa-django/contrib/sessions) with a static clearExpired(settings).`,
    );
  }
  return value as SessionStoreClass;
}

registerCheck(async (settings) => {
  try {
    await sessionEngine(settings);
    return [];
  } catch (error) {
    return [
      {
        id: 'sessions.E001',
        level: 'error',
        message: (error as Error).message,
        hint: "SESSION_ENGINE: 'db' (sessions in the django_session table) or 'signed_cookies' (in the cookie).",
      },
    ];
  }
});
