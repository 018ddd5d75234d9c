/**
 * `SessionBase`: what `request.session` is (Django's `django/contrib/sessions/backends/base.py`).
 * A backend subclasses it and implements storage: `load`, `exists`, `create`, `save`,
 * `destroy` (Django's `delete(session_key)`) and the static `clearExpired`.
 *
 * The data API is synchronous (`get`, `set`, `delete`, `has`, `keys`, `items`, `pop`,
 * `setDefault`, `update`, `clear`), because SessionMiddleware loads the session (one lookup,
 * only when the request carries a session cookie) before any view runs; storage operations are
 * async (`await session.flush()`, `await session.cycleKey()`). A session made by hand must be
 * loaded first: `await session.ensureLoaded()`.
 *
 * Flags, as in Django: `accessed` (the data was read or written: the response varies on
 * Cookie) and `modified` (the data changed: SessionMiddleware saves it and sends the cookie).
 * Loading alone sets neither.
 *
 * Stored data is JSON (Django's default `JSONSerializer`), signed with `SECRET_KEY` by
 * `encode()` the way Django does (`signing.dumps(..., salt, compress=True)`), so a Django app
 * sharing the store and the key reads our sessions, and we read its. `SECRET_KEY_FALLBACKS`
 * keep sessions valid across a key rotation.
 *
 * @module
 */
import { randomInt } from 'node:crypto';
import type { Settings } from '../../conf/index.ts';
import { BadSignature, dumps, loads } from '../../signing.ts';
import { getLogger } from '../../utils/log.ts';
import { SessionNotLoaded } from './exceptions.ts';

/** Characters of a generated session key (lower case: some stores are case-insensitive). */
export const VALID_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The session key holding a custom expiry (`setExpiry`), as in Django. */
const EXPIRY_KEY = '_session_expiry';
/** Django's test cookie key and value (`set_test_cookie`). */
const TEST_COOKIE_NAME = 'testcookie';
const TEST_COOKIE_VALUE = 'worked';

/** What `setExpiry` takes: seconds of inactivity (0: at browser close), a fixed Date, or null (the default policy). */
export type SessionExpiry = number | Date | null;

/** Options of `getExpiryAge` / `getExpiryDate`: compute for another moment or expiry without reading the session. */
export interface ExpiryOptions {
  /** When the session was last modified (default: now). */
  modification?: Date;
  /** The expiry to use instead of the stored one (as stored: seconds, an ISO string, a Date, or null). */
  expiry?: number | string | Date | null;
}

/** A session backend class, as `SESSION_ENGINE` takes it. */
export interface SessionStoreClass {
  new (sessionKey: string | null | undefined, settings: Settings): SessionBase;
  /** Remove expired sessions from the store; resolves to how many were removed. */
  clearExpired(settings: Settings): Promise<number>;
}

const securityLogger = getLogger('koa-django.security.SuspiciousSession');

/**
 * Base class of every session (Django's `SessionBase`).
 *
 * @example
 * export async function addToCart(request: HttpRequest) {
 *   const cart = request.session.get<string[]>('cart', []);
 *   request.session.set('cart', [...cart, request.POST.get('item') ?? '']);
 *   return new HttpResponseRedirect('/cart/');
 * }
 */
export abstract class SessionBase {
  /** The settings this session reads (`SECRET_KEY`, `SESSION_COOKIE_AGE`...). */
  readonly settings: Settings;
  /** Whether the data was read or written during this request (SessionMiddleware then adds `Vary: Cookie`). */
  accessed = false;
  /** Whether the data changed during this request (SessionMiddleware then saves it). */
  modified = false;

  #sessionKey: string | null = null;
  #cache: Map<string, unknown> | undefined;
  #loading: Promise<void> | undefined;
  #pending: Promise<unknown>[] = [];

  constructor(sessionKey: string | null | undefined, settings: Settings) {
    this.settings = settings;
    this.sessionKey = sessionKey ?? null;
  }

  /** The key naming this session in its store (the cookie value), or null for a new session. */
  get sessionKey(): string | null {
    return this.#sessionKey;
  }

  /** Set the key; one `validateSessionKey` refuses becomes null (a new session). */
  protected set sessionKey(value: string | null) {
    this.#sessionKey = value !== null && this.validateSessionKey(value) ? value : null;
  }

  /**
   * Whether `key` may be a session key: Django's rule is a string of at least 8 characters;
   * backends narrow it to what their store can hold.
   */
  protected validateSessionKey(key: string): boolean {
    return typeof key === 'string' && key.length >= 8;
  }

  /**
   * The salt `encode()` signs with: Django's `'django.contrib.sessions.' + class __qualname__`,
   * so a Django database backend (class `SessionStore`) shares our stored data.
   */
  get keySalt(): string {
    return 'django.contrib.sessions.SessionStore';
  }

  /** Seconds since the epoch, for signing and expiry (tests override it). */
  protected now(): number {
    return Date.now() / 1000;
  }

  // --- loading ---------------------------------------------------------------------------------

  /**
   * Load the data from the store, once (a no-op for a new session or one already loaded). Does
   * not mark the session accessed. SessionMiddleware calls it before the view.
   *
   * @example
   * const session = new SignedCookieSessionStore(request.COOKIES.sessionid, settings);
   * await session.ensureLoaded();
   */
  ensureLoaded(): Promise<this> {
    if (this.#cache !== undefined) return Promise.resolve(this);
    this.#loading ??= (async () => {
      const data = this.#sessionKey === null ? {} : await this.load();
      // load() may have replaced the data itself (a backend resetting a bad session).
      this.#cache ??= toMap(data);
    })().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading.then(() => this);
  }

  /** Whether the data is in memory (`ensureLoaded` has run, or the session is new). */
  get isLoaded(): boolean {
    return this.#cache !== undefined || this.#sessionKey === null;
  }

  /** The data, marking the session accessed (Django's `_session`). */
  #data(): Map<string, unknown> {
    this.accessed = true;
    if (this.#cache === undefined) {
      if (this.#sessionKey !== null) {
        throw new SessionNotLoaded(
          `${this.constructor.name}: the session was used before it was loaded. Call \`await session.ensureLoaded()\` first (SessionMiddleware does it for request.session).`,
        );
      }
      this.#cache = new Map();
    }
    return this.#cache;
  }

  /**
   * The data for `save()`: the loaded data, or (`noLoad`) empty when nothing is loaded yet
   * (Django's `_get_session(no_load=True)`). Marks the session accessed.
   */
  protected async sessionData(noLoad = false): Promise<Map<string, unknown>> {
    if (this.#cache === undefined && !noLoad) await this.ensureLoaded();
    if (this.#cache === undefined) this.#cache = new Map();
    this.accessed = true;
    return this.#cache;
  }

  /** Replace the data wholesale (backends resetting a session). */
  protected replaceData(data: Map<string, unknown>): void {
    this.#cache = data;
  }

  // --- the data API ------------------------------------------------------------------------

  /**
   * The value stored under `key`, or `defaultValue` (Django's `session.get(key, default)`).
   *
   * @example
   * const visits = request.session.get<number>('visits', 0);
   */
  get<T = unknown>(key: string): T | undefined;
  get<T = unknown>(key: string, defaultValue: T): T;
  get<T = unknown>(key: string, defaultValue?: T): T | undefined {
    const data = this.#data();
    return data.has(key) ? (data.get(key) as T) : defaultValue;
  }

  /**
   * Store a JSON-serialisable value (Django's `session[key] = value`).
   *
   * @example
   * request.session.set('visits', visits + 1);
   */
  set(key: string, value: unknown): void {
    this.#data().set(key, value);
    this.modified = true;
  }

  /**
   * Remove `key`; true if it was there (Django's `del session[key]`, without the KeyError).
   *
   * @example
   * request.session.delete('cart');
   */
  delete(key: string): boolean {
    const removed = this.#data().delete(key);
    if (removed) this.modified = true;
    return removed;
  }

  /**
   * Whether `key` is stored (Django's `key in session`).
   *
   * @example
   * if (!request.session.has('userId')) return redirectToLogin(request);
   */
  has(key: string): boolean {
    return this.#data().has(key);
  }

  /** The stored keys. @example request.session.keys(); // ['cart', 'visits'] */
  keys(): string[] {
    return [...this.#data().keys()];
  }

  /** The stored values. @example request.session.values(); */
  values(): unknown[] {
    return [...this.#data().values()];
  }

  /** The stored `[key, value]` pairs. @example for (const [k, v] of request.session.items()) ... */
  items(): [string, unknown][] {
    return [...this.#data().entries()];
  }

  /**
   * Remove `key` and return its value, or `defaultValue` if it was not there.
   *
   * @example
   * const next = request.session.pop<string>('next', '/');
   */
  pop<T = unknown>(key: string): T | undefined;
  pop<T = unknown>(key: string, defaultValue: T): T;
  pop<T = unknown>(key: string, defaultValue?: T): T | undefined {
    const data = this.#data();
    if (!data.has(key)) return defaultValue;
    const value = data.get(key) as T;
    data.delete(key);
    this.modified = true;
    return value;
  }

  /**
   * The value under `key`; if there is none, store `value` and return it.
   *
   * @example
   * const cart = request.session.setDefault<string[]>('cart', []);
   */
  setDefault<T = unknown>(key: string, value: T): T {
    const data = this.#data();
    if (data.has(key)) return data.get(key) as T;
    data.set(key, value);
    this.modified = true;
    return value;
  }

  /**
   * Store every pair of `values` (Django's `session.update(dict)`).
   *
   * @example
   * request.session.update({ step: 2, plan: 'pro' });
   */
  update(values: Readonly<Record<string, unknown>>): void {
    const data = this.#data();
    for (const [key, value] of Object.entries(values)) data.set(key, value);
    this.modified = true;
  }

  /**
   * Remove everything, keeping the session key (Django's `clear()`; `flush()` also forgets the key).
   *
   * @example
   * request.session.clear();
   */
  clear(): void {
    // Nothing is loaded: the data is about to be empty anyway.
    this.#cache = new Map();
    this.accessed = true;
    this.modified = true;
  }

  /**
   * Whether there is neither a session key nor any data (SessionMiddleware then deletes the cookie).
   *
   * @example
   * if (request.session.isEmpty()) console.log('anonymous visitor');
   */
  isEmpty(): boolean {
    return !this.#sessionKey && (this.#cache === undefined || this.#cache.size === 0);
  }

  /**
   * Store a test value, to check on the next request that the browser keeps cookies (Django's
   * `set_test_cookie`).
   *
   * @example
   * request.session.setTestCookie(); // on the login form; then on POST: request.session.testCookieWorked()
   */
  setTestCookie(): void {
    this.set(TEST_COOKIE_NAME, TEST_COOKIE_VALUE);
  }

  /** Whether the value of `setTestCookie()` came back. @example if (!request.session.testCookieWorked()) askToEnableCookies(); */
  testCookieWorked(): boolean {
    return this.get(TEST_COOKIE_NAME) === TEST_COOKIE_VALUE;
  }

  /** Remove the test value. @example request.session.deleteTestCookie(); */
  deleteTestCookie(): void {
    this.delete(TEST_COOKIE_NAME);
  }

  // --- expiry -------------------------------------------------------------------------------

  /** `SESSION_COOKIE_AGE`: the default lifetime in seconds. */
  getSessionCookieAge(): number {
    return this.settings.SESSION_COOKIE_AGE;
  }

  /**
   * Seconds until the session expires: the custom expiry from `setExpiry`, else
   * `SESSION_COOKIE_AGE`. A fixed date counts from `modification` (default now).
   *
   * @example
   * request.session.setExpiry(300);
   * request.session.getExpiryAge(); // 300
   */
  getExpiryAge(options: ExpiryOptions = {}): number {
    const modification = options.modification ?? new Date(this.now() * 1000);
    const expiry = 'expiry' in options ? options.expiry : this.get(EXPIRY_KEY);
    if (!expiry) return this.getSessionCookieAge();
    if (typeof expiry === 'number') return expiry;
    const date = expiry instanceof Date ? expiry : parsePythonIsoformat(String(expiry));
    if (date === null) return this.getSessionCookieAge();
    // Python's `delta.days * 86400 + delta.seconds`: whole seconds, rounded down.
    return Math.floor((date.getTime() - modification.getTime()) / 1000);
  }

  /**
   * When the session expires: the fixed date from `setExpiry`, else `modification` (default
   * now) plus the custom or default age.
   *
   * @example
   * request.session.getExpiryDate(); // a Date two weeks from now, by default
   */
  getExpiryDate(options: ExpiryOptions = {}): Date {
    const modification = options.modification ?? new Date(this.now() * 1000);
    const expiry = 'expiry' in options ? options.expiry : this.get(EXPIRY_KEY);
    if (expiry instanceof Date) return expiry;
    if (typeof expiry === 'string') {
      const date = parsePythonIsoformat(expiry);
      if (date !== null) return date;
    }
    const seconds = typeof expiry === 'number' && expiry ? expiry : this.getSessionCookieAge();
    return new Date(modification.getTime() + seconds * 1000);
  }

  /**
   * Set a custom expiry: a number of seconds of inactivity (0: when the browser closes), a
   * fixed `Date`, or `null` to go back to the settings (`SESSION_COOKIE_AGE`,
   * `SESSION_EXPIRE_AT_BROWSER_CLOSE`). A Date is stored as Python's `isoformat()`, as Django does.
   *
   * @example
   * request.session.setExpiry(0);                                      // browser session
   * request.session.setExpiry(new Date(Date.now() + 3600 * 1000));     // in one hour, whatever happens
   */
  setExpiry(value: SessionExpiry): void {
    if (value === null || value === undefined) {
      this.delete(EXPIRY_KEY);
      return;
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new TypeError('setExpiry(date): the Date is invalid.');
      this.set(EXPIRY_KEY, pythonIsoformat(value));
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TypeError(
        `setExpiry(value) takes seconds (a number), a Date or null; got ${String(value)}. E.g. setExpiry(3600).`,
      );
    }
    this.set(EXPIRY_KEY, value);
  }

  /**
   * Whether the cookie lasts only until the browser closes: `setExpiry(0)`, or no custom
   * expiry and `SESSION_EXPIRE_AT_BROWSER_CLOSE`.
   *
   * @example
   * if (request.session.getExpireAtBrowserClose()) showRememberMeHint();
   */
  getExpireAtBrowserClose(): boolean {
    const expiry = this.get(EXPIRY_KEY);
    if (expiry === undefined || expiry === null) return this.settings.SESSION_EXPIRE_AT_BROWSER_CLOSE;
    return expiry === 0;
  }

  // --- whole-session operations ----------------------------------------------------------------

  /**
   * Delete the session from its store and forget its key and data (logging out). The cookie is
   * deleted by SessionMiddleware.
   *
   * @example
   * export async function logout(request: HttpRequest) {
   *   await request.session.flush();
   *   return new HttpResponseRedirect('/');
   * }
   */
  flush(): Promise<void> {
    return this.#track(
      (async () => {
        this.clear();
        await this.destroy();
        this.sessionKey = null;
      })(),
    );
  }

  /**
   * Keep the data under a new key and delete the old one (do it on login, against session
   * fixation).
   *
   * @example
   * await request.session.cycleKey();
   * request.session.set('userId', user.id);
   */
  cycleKey(): Promise<void> {
    return this.#track(this.rotateKey());
  }

  /** What `cycleKey()` does; backends without a store override it. */
  protected async rotateKey(): Promise<void> {
    const data = await this.sessionData();
    const key = this.sessionKey;
    await this.create();
    this.#cache = data;
    if (key) await this.destroy(key);
  }

  /** Whether a `flush()` or `cycleKey()` is still running. */
  get hasPendingOperations(): boolean {
    return this.#pending.length > 0;
  }

  /**
   * Wait for `flush()` / `cycleKey()` calls the view did not await (SessionMiddleware does, before
   * saving). Resolves to their errors.
   */
  async settled(): Promise<unknown[]> {
    const pending = this.#pending;
    this.#pending = [];
    const results = await Promise.allSettled(pending);
    return results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  }

  #track(operation: Promise<void>): Promise<void> {
    this.#pending.push(operation);
    // The caller awaits it; `settled()` reports it if the caller did not.
    operation.catch(() => {});
    return operation;
  }

  // --- encoding ----------------------------------------------------------------------------

  /**
   * The stored form of `data`: Django's `signing.dumps(data, salt=keySalt, compress=True)` with
   * `SECRET_KEY`.
   *
   * @example
   * session.encode(new Map([['a', 1]])); // 'eyJhIjoxfQ:1t9Xab:…'
   */
  encode(data: Map<string, unknown> | Readonly<Record<string, unknown>>): string {
    const object = data instanceof Map ? Object.fromEntries(data) : data;
    return dumps(object, {
      key: this.settings.SECRET_KEY,
      salt: this.keySalt,
      compress: true,
      clock: () => this.now(),
    });
  }

  /**
   * The data `encode` stored, checked against `SECRET_KEY` and `SECRET_KEY_FALLBACKS`. Anything
   * invalid reads as an empty session; a bad signature is also logged on
   * `koa-django.security.SuspiciousSession`.
   *
   * @example
   * session.decode(row.session_data); // { a: 1 }
   */
  decode(sessionData: string): Record<string, unknown> {
    try {
      const data = loads(sessionData, {
        key: this.settings.SECRET_KEY,
        fallbackKeys: this.settings.SECRET_KEY_FALLBACKS,
        salt: this.keySalt,
      });
      return isPlainObject(data) ? data : {};
    } catch (error) {
      if (error instanceof BadSignature)
        securityLogger.warning('Session data corrupted', { error: error.message });
      return {};
    }
  }

  /** A new random key no stored session has (32 characters of `VALID_KEY_CHARS`). */
  protected async getNewSessionKey(): Promise<string> {
    for (;;) {
      let key = '';
      for (let i = 0; i < 32; i++) key += VALID_KEY_CHARS[randomInt(VALID_KEY_CHARS.length)];
      if (!(await this.exists(key))) return key;
    }
  }

  // --- what a backend implements ---------------------------------------------------------------

  /** Read the stored data of `sessionKey` (an empty object when there is none or it expired). */
  abstract load(): Promise<Record<string, unknown>>;
  /** Whether a session with this key is stored. */
  abstract exists(sessionKey: string): Promise<boolean>;
  /** Give the session a new unused key and store it (empty) under that key. */
  abstract create(): Promise<void>;
  /**
   * Store the data. With `mustCreate`, insert a new session (throw `CreateError` if the key is
   * taken); otherwise update the existing one (throw `UpdateError` if it is gone).
   */
  abstract save(mustCreate?: boolean): Promise<void>;
  /** Delete the stored session `sessionKey` (default: this one). Django's `delete(session_key)`. */
  abstract destroy(sessionKey?: string | null): Promise<void>;
}

function toMap(data: Readonly<Record<string, unknown>>): Map<string, unknown> {
  return new Map(Object.entries(isPlainObject(data) ? data : {}));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A Date as Python's `datetime.isoformat()` of the same UTC moment:
 * `2030-01-02T03:04:05.600000+00:00` (microseconds only when not zero).
 *
 * @example
 * pythonIsoformat(new Date(Date.UTC(2030, 0, 2, 3, 4, 5))); // '2030-01-02T03:04:05+00:00'
 */
export function pythonIsoformat(date: Date): string {
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const ms = date.getUTCMilliseconds();
  return `${day}T${time}${ms ? `.${pad(ms * 1000, 6)}` : ''}+00:00`;
}

const ISOFORMAT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * The Date a Python `isoformat()` string names, or null. A string without an offset is taken
 * as UTC (Django stores aware datetimes with `USE_TZ`, its default).
 *
 * @example
 * parsePythonIsoformat('2030-01-02T03:04:05.600000+00:00')?.toISOString(); // '2030-01-02T03:04:05.600Z'
 */
export function parsePythonIsoformat(text: string): Date | null {
  const m = ISOFORMAT.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '', , sign, oh = '0', om = '0'] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (sign) time -= (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  return Number.isNaN(time) ? null : new Date(time);
}
