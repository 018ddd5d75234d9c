/**
 * `MESSAGE_STORAGE` → a storage class (Django's `default_storage`). Accepted: `'fallback'`
 * (default), `'cookie'`, `'session'`, Django's class paths for those
 * (`'django.contrib.messages.storage.cookie.CookieStorage'`...), a class extending
 * `BaseStorage`, or a `'module#Export'` specifier (relative to `BASE_DIR`). A specifier is
 * imported once per Settings object; the `messages.E001` check imports it at startup.
 *
 * @module
 */
import { registerCheck } from '../../../conf/checks.ts';
import type { Settings } from '../../../conf/index.ts';
import { ImproperlyConfigured } from '../../../exceptions.ts';
import type { HttpRequest } from '../../../http/request.ts';
import { importString, perSettings } from '../../../utils/module-loading.ts';
import { BaseStorage } from './base.ts';
import { CookieStorage } from './cookie.ts';
import { FallbackStorage } from './fallback.ts';
import { SessionStorage } from './session.ts';

/** A message storage class, as `MESSAGE_STORAGE` takes it. */
export type StorageClass = new (request: HttpRequest) => BaseStorage;

const BUILTIN: Readonly<Record<string, StorageClass>> = {
  fallback: FallbackStorage,
  cookie: CookieStorage,
  session: SessionStorage,
  'django.contrib.messages.storage.fallback.FallbackStorage': FallbackStorage,
  'django.contrib.messages.storage.cookie.CookieStorage': CookieStorage,
  'django.contrib.messages.storage.session.SessionStorage': SessionStorage,
};

/**
 * The storage class `settings.MESSAGE_STORAGE` names: synchronous for built-in names and
 * classes, a promise (settled once, then cached) for a module specifier.
 *
 * @example
 * const Storage = await messageStorage(settings);
 * request._messages = new Storage(request);
 */
export const messageStorage: (settings: Settings) => StorageClass | Promise<StorageClass> =
  perSettings(resolve);

function resolve(settings: Settings): StorageClass | Promise<StorageClass> {
  const setting = settings.MESSAGE_STORAGE;
  if (typeof setting === 'function') return checked(setting, 'the class given');
  if (typeof setting !== 'string') {
    throw new ImproperlyConfigured(
      `MESSAGE_STORAGE must be 'fallback', 'cookie', 'session', a BaseStorage subclass or a 'module#Export' string, not ${typeof setting}.`,
    );
  }
  const builtin = Object.hasOwn(BUILTIN, setting) ? BUILTIN[setting] : undefined;
  if (builtin) return builtin;
  if (!setting.includes('#')) {
    throw new ImproperlyConfigured(
      `MESSAGE_STORAGE '${setting}' is not a message storage. Use 'fallback', 'cookie', 'session', a BaseStorage subclass, or a specifier such as './messages.ts#MyStorage'.`,
    );
  }
  return importString(setting, settings.BASE_DIR, 'MESSAGE_STORAGE').then((value) =>
    checked(value, `'${setting}'`),
  );
}

function checked(value: unknown, what: string): StorageClass {
  if (typeof value !== 'function' || !(value.prototype instanceof BaseStorage)) {
    throw new ImproperlyConfigured(
      `MESSAGE_STORAGE: ${what} is not a message storage: it must be a class extending BaseStorage (from koa-django/contrib/messages).`,
    );
  }
  return value as StorageClass;
}

registerCheck(async (settings) => {
  try {
    await messageStorage(settings);
    return [];
  } catch (error) {
    return [
      {
        id: 'messages.E001',
        level: 'error',
        message: (error as Error).message,
        hint: "MESSAGE_STORAGE: 'fallback' (cookie, overflow to the session), 'cookie' or 'session'.",
      },
    ];
  }
});
