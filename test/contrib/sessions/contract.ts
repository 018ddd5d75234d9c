/**
 * The session backend contract: one suite every backend must pass (Hono's contract-suite
 * pattern). A backend's test file calls `runSessionBackendTests({ name, setup })`; `setup`
 * gives the backend class to test (for `db`, a subclass bound to the test database) and a
 * teardown. Tests go through the public API and through the real Koa app.
 */
import test from 'ava';
import type { SettingsInput } from '../../../src/conf/index.ts';
import {
  SessionMiddleware,
  SessionNotLoaded,
  type SessionStoreClass,
  type SignedCookieSessionStore,
} from '../../../src/contrib/sessions/index.ts';
import { HttpResponse, JsonResponse } from '../../../src/http/index.ts';
import type { HttpRequest } from '../../../src/http/request.ts';
import { path } from '../../../src/urls/index.ts';
import { Client, testSettings } from '../../helpers/client.ts';

export interface SessionBackendUnderTest {
  /** The class to put in SESSION_ENGINE. */
  engine: SessionStoreClass;
  teardown?: () => Promise<void>;
}

export interface SessionBackendTestOptions {
  /** Names the backend in every test title. */
  name: string;
  /** Runs once before the file's tests. */
  setup: () => Promise<SessionBackendUnderTest>;
  /**
   * Whether deleting a session on the server invalidates a copy of its key (true for `db`;
   * false for `signed_cookies`, whose cookie stays valid until SESSION_COOKIE_AGE).
   */
  revocable: boolean;
}

const OLD_KEY = 'the-old-secret-key-'.padEnd(50, 'o');

/** Register the contract tests for one backend. */
export function runSessionBackendTests({ name, setup, revocable }: SessionBackendTestOptions): void {
  let under: SessionBackendUnderTest | undefined;
  test.before(async () => {
    under = await setup();
  });
  test.after.always(async () => {
    await under?.teardown?.();
  });
  const engine = () => {
    if (!under) throw new Error('setup() did not run');
    return under.engine;
  };
  const settingsWith = (overrides: SettingsInput = {}) =>
    testSettings({ SESSION_ENGINE: engine(), ...overrides });
  /** A new store instance on `key`, loaded. */
  const open = async (key: string | null, overrides: SettingsInput = {}) => {
    const Store = engine();
    const session = new Store(key, settingsWith(overrides));
    await session.ensureLoaded();
    return session;
  };
  /** A store that lives `seconds` in the past (to make sessions that have expired by now). */
  const inThePast = (seconds: number, overrides: SettingsInput = {}) => {
    // The concrete class behind SessionStoreClass (whose instance type, SessionBase, is abstract).
    const Store = engine() as unknown as typeof SignedCookieSessionStore;
    class Past extends Store {
      protected override now(): number {
        return super.now() - seconds;
      }
    }
    return new Past(null, settingsWith(overrides));
  };

  test(`[${name}] a new session is empty, has no key, and is neither accessed nor modified`, async (t) => {
    const session = await open(null);
    t.true(session.isEmpty());
    t.is(session.sessionKey, null);
    t.false(session.accessed);
    t.false(session.modified);
    t.is(session.get('missing'), undefined);
    t.is(session.get('missing', 'fallback'), 'fallback');
    t.true(session.accessed);
    t.false(session.modified);
  });

  test(`[${name}] SessionBase#save() then a new store on sessionKey reads the same data back`, async (t) => {
    const session = await open(null);
    const data = { text: 'héllo 😀', list: [1, 2, 3], nested: { ok: true, none: null }, n: 42 };
    session.update(data);
    await session.save();
    t.truthy(session.sessionKey);
    const again = await open(session.sessionKey);
    t.false(again.accessed, 'loading alone does not mark the session accessed');
    t.deepEqual(Object.fromEntries(again.items()), data);
    t.true(again.accessed);
    t.false(again.modified);
  });

  test(`[${name}] the data API: set, get, has, delete, keys, values, items, pop, setDefault, update, clear`, async (t) => {
    const session = await open(null);
    session.set('a', 1);
    t.true(session.modified);
    session.modified = false;
    t.true(session.has('a'));
    t.false(session.delete('nope'));
    t.false(session.modified, 'deleting a missing key is no change');
    t.is(session.pop('nope', 'd'), 'd');
    t.false(session.modified);
    t.is(session.setDefault('a', 2), 1);
    t.false(session.modified);
    t.is(session.setDefault('b', 2), 2);
    t.true(session.modified);
    t.deepEqual(session.keys(), ['a', 'b']);
    t.deepEqual(session.values(), [1, 2]);
    t.deepEqual(session.items(), [
      ['a', 1],
      ['b', 2],
    ]);
    t.is(session.pop('a'), 1);
    t.false(session.has('a'));
    t.true(session.delete('b'));
    session.update({ c: 3 });
    t.deepEqual(session.items(), [['c', 3]]);
    session.clear();
    t.deepEqual(session.keys(), []);
    t.true(session.modified);
  });

  test(`[${name}] setTestCookie(), testCookieWorked(), deleteTestCookie()`, async (t) => {
    const session = await open(null);
    t.false(session.testCookieWorked());
    session.setTestCookie();
    await session.save();
    const next = await open(session.sessionKey);
    t.true(next.testCookieWorked());
    next.deleteTestCookie();
    t.false(next.testCookieWorked());
    t.true(next.modified);
  });

  test(`[${name}] SessionBase#flush() forgets the key and the data (and revokes the old key where the store can)`, async (t) => {
    const session = await open(null);
    session.set('user', 7);
    await session.save();
    const key = session.sessionKey;
    await session.flush();
    t.is(session.sessionKey, null);
    t.true(session.isEmpty());
    t.true(session.modified);
    // A signed cookie cannot be revoked: a kept copy stays valid until SESSION_COOKIE_AGE.
    t.deepEqual((await open(key)).keys(), revocable ? [] : ['user']);
  });

  test(`[${name}] SessionBase#cycleKey() keeps the data under a new key (and deletes the old one where the store can)`, async (t) => {
    const session = await open(null);
    session.set('cart', ['x']);
    await session.save();
    const before = session.sessionKey;
    await session.cycleKey();
    await session.save();
    t.true(session.modified);
    t.deepEqual((await open(session.sessionKey)).get('cart'), ['x']);
    // A signed cookie's key is its data and time: the same within one second.
    if (revocable) {
      t.not(session.sessionKey, before);
      t.deepEqual((await open(before)).keys(), [], 'the old key is deleted');
    }
  });

  test(`[${name}] setExpiry(seconds | Date | 0 | null) and getExpiryAge/getExpiryDate/getExpireAtBrowserClose`, async (t) => {
    const session = await open(null, { SESSION_COOKIE_AGE: 1000 });
    t.is(session.getExpiryAge(), 1000);
    t.false(session.getExpireAtBrowserClose());
    session.setExpiry(300);
    t.is(session.getExpiryAge(), 300);
    const now = new Date('2030-01-01T00:00:00Z');
    t.is(session.getExpiryDate({ modification: now }).toISOString(), '2030-01-01T00:05:00.000Z');
    session.setExpiry(new Date('2030-01-02T03:04:05.600Z'));
    t.is(
      session.get('_session_expiry'),
      '2030-01-02T03:04:05.600000+00:00',
      "stored as Django's isoformat()",
    );
    t.is(session.getExpiryDate().toISOString(), '2030-01-02T03:04:05.600Z');
    t.is(session.getExpiryAge({ modification: new Date('2030-01-02T03:04:00Z') }), 5);
    session.setExpiry(0);
    t.true(session.getExpireAtBrowserClose());
    t.is(session.getExpiryAge(), 1000);
    session.setExpiry(null);
    t.false(session.has('_session_expiry'));
    t.true((await open(null, { SESSION_EXPIRE_AT_BROWSER_CLOSE: true })).getExpireAtBrowserClose());
    t.throws(() => session.setExpiry('soon' as never), {
      instanceOf: TypeError,
      message: /setExpiry\(3600\)/,
    });
  });

  test(`[${name}] a session older than SESSION_COOKIE_AGE reads as empty`, async (t) => {
    const old = inThePast(120, { SESSION_COOKIE_AGE: 60 });
    old.set('user', 7);
    await old.save();
    const session = await open(old.sessionKey, { SESSION_COOKIE_AGE: 60 });
    t.deepEqual(session.keys(), []);
  });

  test(`[${name}] a tampered or truncated session key reads as empty, never throws`, async (t) => {
    const session = await open(null);
    session.set('user', 7);
    await session.save();
    const key = session.sessionKey ?? '';
    for (const bad of [
      `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`,
      key.slice(0, -3),
      `x${key}`,
      'short',
      '',
    ]) {
      t.deepEqual((await open(bad)).keys(), [], bad);
    }
  });

  test(`[${name}] sessions saved before SECRET_KEY was rotated stay valid through SECRET_KEY_FALLBACKS`, async (t) => {
    const old = await open(null, { SECRET_KEY: OLD_KEY });
    old.set('user', 7);
    await old.save();
    const rotated = await open(old.sessionKey, { SECRET_KEY_FALLBACKS: [OLD_KEY] });
    t.is(rotated.get('user'), 7);
    t.deepEqual((await open(old.sessionKey)).keys(), [], 'without the fallback the old session is invalid');
  });

  test(`[${name}] reading a session with a key before ensureLoaded() throws SessionNotLoaded naming the fix`, async (t) => {
    const saved = await open(null);
    saved.set('a', 1);
    await saved.save();
    const Store = engine();
    const session = new Store(saved.sessionKey, settingsWith());
    t.false(session.isLoaded);
    t.throws(() => session.get('a'), {
      instanceOf: SessionNotLoaded,
      message: /await session\.ensureLoaded\(\)/,
    });
    await session.ensureLoaded();
    t.is(session.get('a'), 1);
  });

  // --- through the real pipeline ------------------------------------------------------------

  const views = {
    counter: async (request: HttpRequest) => {
      const visits = request.session.get<number>('visits', 0) + 1;
      request.session.set('visits', visits);
      return new HttpResponse(String(visits));
    },
    read: async (request: HttpRequest) => new JsonResponse({ visits: request.session.get('visits') ?? null }),
    nothing: async () => new HttpResponse('untouched'),
    flush: async (request: HttpRequest) => {
      await request.session.flush();
      return new HttpResponse('flushed');
    },
    cycle: async (request: HttpRequest) => {
      await request.session.cycleKey();
      return new HttpResponse('cycled');
    },
    clear: async (request: HttpRequest) => {
      request.session.clear();
      return new HttpResponse('cleared');
    },
    browser: async (request: HttpRequest) => {
      request.session.setExpiry(0);
      request.session.set('visits', 1);
      return new HttpResponse('until the browser closes');
    },
    fail: async (request: HttpRequest) => {
      request.session.set('visits', 999);
      return new HttpResponse('oops', { status: 500 });
    },
  };
  const app = (overrides: SettingsInput = {}) =>
    Client.create(
      settingsWith({
        MIDDLEWARE: [SessionMiddleware],
        ROOT_URLCONF: { urlpatterns: Object.entries(views).map(([p, view]) => path(`${p}/`, view)) },
        ...overrides,
      }),
    );

  test(`[${name}] SessionMiddleware keeps state across requests through the session cookie`, async (t) => {
    const client = await app();
    const first = await client.get('/counter/');
    t.is(first.text, '1');
    t.regex(
      first.setCookies[0] ?? '',
      /^sessionid=[^;]+; expires=[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT; HttpOnly; Max-Age=1209600; Path=\/; SameSite=Lax$/,
    );
    t.is(first.headers.vary, 'Cookie');
    t.is((await client.get('/counter/')).text, '2');
    t.is((await client.get('/counter/')).text, '3');
    const read = await client.get('/read/');
    t.deepEqual(read.json(), { visits: 3 });
    t.deepEqual(read.setCookies, [], 'reading does not resend the cookie');
    t.is(read.headers.vary, 'Cookie');
  });

  test(`[${name}] SessionMiddleware sends no cookie and no Vary for a view that does not use the session`, async (t) => {
    const client = await app();
    const response = await client.get('/nothing/');
    t.deepEqual(response.setCookies, []);
    t.is(response.headers.vary, undefined);
    await client.get('/counter/');
    const again = await client.get('/nothing/');
    t.deepEqual(again.setCookies, []);
    t.is(again.headers.vary, undefined);
  });

  test(`[${name}] SessionMiddleware deletes the cookie when the view flushes the session`, async (t) => {
    const client = await app();
    await client.get('/counter/');
    const response = await client.get('/flush/');
    t.deepEqual(response.setCookies, [
      'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax',
    ]);
    t.is(response.headers.vary, 'Cookie');
    t.is(client.cookies.size, 0);
    t.is((await client.get('/counter/')).text, '1');
  });

  test(`[${name}] SessionMiddleware keeps the session (and its cookie) when the view clear()s its data`, async (t) => {
    const client = await app();
    await client.get('/counter/');
    const response = await client.get('/clear/');
    t.is(response.setCookies.length, 1);
    t.regex(response.setCookies[0] ?? '', /^sessionid=[^";]+; /);
    t.is((await client.get('/counter/')).text, '1');
  });

  test(`[${name}] SessionMiddleware sends a new cookie after cycleKey(), with the data kept`, async (t) => {
    const client = await app();
    await client.get('/counter/');
    const before = client.cookies.get('sessionid');
    const response = await client.get('/cycle/');
    t.is(response.setCookies.length, 1);
    if (revocable) t.not(client.cookies.get('sessionid'), before);
    t.is((await client.get('/counter/')).text, '2');
  });

  test(`[${name}] SessionMiddleware honours SESSION_COOKIE_NAME, _DOMAIN, _PATH, _SECURE, _HTTPONLY, _SAMESITE and _AGE`, async (t) => {
    const client = await app({
      SESSION_COOKIE_NAME: 'sid',
      SESSION_COOKIE_DOMAIN: '.testserver',
      SESSION_COOKIE_PATH: '/',
      SESSION_COOKIE_SECURE: true,
      SESSION_COOKIE_HTTPONLY: false,
      SESSION_COOKIE_SAMESITE: 'Strict',
      SESSION_COOKIE_AGE: 60,
    });
    const response = await client.get('/counter/');
    t.regex(
      response.setCookies[0] ?? '',
      /^sid=[^;]+; Domain=\.testserver; expires=[^;]+; Max-Age=60; Path=\/; SameSite=Strict; Secure$/,
    );
    t.is((await client.get('/counter/')).text, '2');
  });

  test(`[${name}] SessionMiddleware with SESSION_EXPIRE_AT_BROWSER_CLOSE (or setExpiry(0)) sends a cookie without expiry`, async (t) => {
    const client = await app({ SESSION_EXPIRE_AT_BROWSER_CLOSE: true });
    t.regex(
      (await client.get('/counter/')).setCookies[0] ?? '',
      /^sessionid=[^;]+; HttpOnly; Path=\/; SameSite=Lax$/,
    );
    const other = await app();
    t.regex(
      (await other.get('/browser/')).setCookies[0] ?? '',
      /^sessionid=[^;]+; HttpOnly; Path=\/; SameSite=Lax$/,
    );
  });

  test(`[${name}] SessionMiddleware with SESSION_SAVE_EVERY_REQUEST refreshes the cookie on every request`, async (t) => {
    const client = await app({ SESSION_SAVE_EVERY_REQUEST: true });
    await client.get('/counter/');
    const response = await client.get('/read/');
    t.is(response.setCookies.length, 1);
    t.deepEqual(response.json(), { visits: 1 });
    t.deepEqual((await client.get('/read/')).json(), { visits: 1 });
  });

  test(`[${name}] SessionMiddleware does not save the session of a 5xx response`, async (t) => {
    const client = await app();
    await client.get('/counter/');
    const response = await client.get('/fail/');
    t.is(response.status, 500);
    t.deepEqual(response.setCookies, []);
    t.is((await client.get('/counter/')).text, '2');
  });

  test(`[${name}] SessionMiddleware: a malformed or foreign session cookie is never a 500, and starts a fresh session`, async (t) => {
    const foreign = await app({ SECRET_KEY: 'someone-elses-key-'.padEnd(50, 'z') });
    await foreign.get('/counter/');
    for (const cookie of [
      'sessionid=',
      'sessionid=x',
      'sessionid="\\"unterminated',
      `sessionid=${'a'.repeat(5000)}`,
      'sessionid=%00%ff; sessionid=\u0000',
      `sessionid=${foreign.cookies.get('sessionid')}`,
      'sessionid=eyJhIjoxfQ:8M0kX:F0MmvpB-gpYglqF2TH56XAaWMjr-fwC9ldj95Fu9iLM',
    ]) {
      const client = await app();
      const response = await client.get('/counter/', { headers: { cookie } });
      t.is(response.status, 200, cookie);
      t.is(response.text, '1', cookie);
      t.regex(response.setCookies[0] ?? '', /^sessionid=[^;"]{8,}; /, cookie);
    }
  });
}
