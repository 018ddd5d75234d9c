import test from 'ava';
import type { Knex } from 'knex';
import { defineSettings, type Settings } from '../../../src/conf/index.ts';
import {
  CreateError,
  DbSessionStore,
  SESSION_TABLE,
  SessionMiddleware,
} from '../../../src/contrib/sessions/index.ts';
import { HttpResponse } from '../../../src/http/index.ts';
import type { HttpRequest } from '../../../src/http/request.ts';
import { path } from '../../../src/urls/index.ts';
import { addLogHandler, type LogRecord } from '../../../src/utils/log.ts';
import { Client, testSettings } from '../../helpers/client.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { runSessionBackendTests } from './contract.ts';

let db: TestDatabase | undefined;
const knex = (): Knex => {
  if (!db) throw new Error('no test database');
  return db.knex;
};

/** The db backend, on this file's test database. */
class TestDbStore extends DbSessionStore {
  static override database(_settings: Settings): Knex {
    return knex();
  }
}

runSessionBackendTests({
  name: 'db',
  revocable: true,
  setup: async () => {
    db = await createTestDatabase();
    return { engine: TestDbStore, teardown: () => db?.destroy() ?? Promise.resolve() };
  },
});

// Vectors made with Django 5.2.17 (SessionStore().encode(...) with time.time() = 123456789).
const djangoSettings = defineSettings({ SECRET_KEY: 'django-insecure-test-key' });
const DJANGO_A1 = 'eyJhIjoxfQ:8M0kX:k4uTxeOwxO5IUTntDRzcHqYKRSyFWBe8pmn_0kAPGHk';
const DJANGO_UNICODE =
  'eyJ1c2VyIjoiXHUwMGZjblx1MDBlZiIsIm4iOlsxLDIsM10sIl9zZXNzaW9uX2V4cGlyeSI6MzAwfQ:8M0kX:ibtyCGzzpGA8Xl5i343L3n32WbmlSG7d74NwvNWuHyw';

class FrozenStore extends TestDbStore {
  protected override now(): number {
    return 123456789;
  }
}

const settingsWith = (overrides = {}) => testSettings({ SESSION_ENGINE: TestDbStore, ...overrides });

test('DbSessionStore#encode(data) writes session_data exactly as Django does', (t) => {
  const store = new FrozenStore(null, djangoSettings);
  t.is(store.encode({ a: 1 }), DJANGO_A1);
  t.is(store.encode({ user: 'ünï', n: [1, 2, 3], _session_expiry: 300 }), DJANGO_UNICODE);
});

test('DbSessionStore#load() reads a django_session row Django wrote', async (t) => {
  const key = 'djangowrotethisrow0000000000000a';
  await knex()(SESSION_TABLE).insert({
    session_key: key,
    session_data: DJANGO_UNICODE,
    expire_date: new Date(Date.now() + 60_000),
  });
  const session = new TestDbStore(key, djangoSettings);
  await session.ensureLoaded();
  t.deepEqual(Object.fromEntries(session.items()), { user: 'ünï', n: [1, 2, 3], _session_expiry: 300 });
  t.is(session.getExpiryAge(), 300);
});

test('DbSessionStore#save() stores a 32-character a-z0-9 key, the encoded data and expire_date = getExpiryDate()', async (t) => {
  const session = new TestDbStore(null, settingsWith({ SESSION_COOKIE_AGE: 3600 }));
  session.set('cart', ['x']);
  const before = Date.now();
  await session.save();
  const key = session.sessionKey ?? '';
  t.regex(key, /^[a-z0-9]{32}$/);
  const row = await knex()(SESSION_TABLE).where({ session_key: key }).first();
  t.deepEqual(session.decode(row.session_data), { cart: ['x'] });
  const expires = new Date(row.expire_date).getTime();
  t.true(expires >= before + 3600_000 - 1000 && expires <= Date.now() + 3600_000 + 1000);
});

test('DbSessionStore#load() ignores an expired row and forgets its key', async (t) => {
  const key = 'expiredrow000000000000000000000a';
  await knex()(SESSION_TABLE).insert({
    session_key: key,
    session_data: new TestDbStore(null, settingsWith()).encode({ user: 1 }),
    expire_date: new Date(Date.now() - 1000),
  });
  const session = new TestDbStore(key, settingsWith());
  await session.ensureLoaded();
  t.deepEqual(session.keys(), []);
  t.is(session.sessionKey, null);
  t.true(session.isEmpty());
});

test.serial(
  'DbSessionStore#load() reads tampered session_data as empty and logs it on koa-django.security.SuspiciousSession',
  async (t) => {
    const records: LogRecord[] = [];
    const stop = addLogHandler(
      (r) => r.logger === 'koa-django.security.SuspiciousSession' && records.push(r),
    );
    t.teardown(stop);
    const good = new TestDbStore(null, settingsWith());
    good.set('admin', false);
    await good.save();
    const row = await knex()(SESSION_TABLE).where({ session_key: good.sessionKey }).first();
    const forged = row.session_data.replace(/^[^:]+/, 'eyJhZG1pbiI6dHJ1ZX0');
    await knex()(SESSION_TABLE).where({ session_key: good.sessionKey }).update({ session_data: forged });
    const session = new TestDbStore(good.sessionKey, settingsWith());
    await session.ensureLoaded();
    t.deepEqual(session.keys(), []);
    t.deepEqual(
      records.map((r) => [r.level, r.message]),
      [['warning', 'Session data corrupted']],
    );
  },
);

test('DbSessionStore refuses keys that are not a-z0-9, 8 to 40 characters, without querying the database', async (t) => {
  for (const key of [
    'ABCDEFGHIJ',
    'abc\u0000defghij',
    'a'.repeat(41),
    "abcdefgh' or 1=1 --",
    'short',
    'é'.repeat(10),
  ]) {
    const session = new TestDbStore(key, settingsWith());
    t.is(session.sessionKey, null, key);
  }
  t.is(new TestDbStore('a'.repeat(40), settingsWith()).sessionKey, 'a'.repeat(40));
});

test('DbSessionStore#create() draws another key when the one it drew is taken', async (t) => {
  const taken = 'takenkey0000000000000000000000aa';
  await knex()(SESSION_TABLE).insert({
    session_key: taken,
    session_data: 'x',
    expire_date: new Date(Date.now() + 60_000),
  });
  const drawn = [taken, 'freshkey0000000000000000000000aa'];
  class Unlucky extends TestDbStore {
    protected override async getNewSessionKey(): Promise<string> {
      return drawn.shift() ?? 'x';
    }
  }
  const session = new Unlucky(null, settingsWith());
  await session.create();
  t.is(session.sessionKey, 'freshkey0000000000000000000000aa');
  await t.throwsAsync(() => new Unlucky(taken, settingsWith()).save(true), { instanceOf: CreateError });
});

test('DbSessionStore.clearExpired(settings) deletes only the expired rows', async (t) => {
  const local = await createTestDatabase();
  t.teardown(local.destroy);
  class LocalStore extends DbSessionStore {
    static override database(): Knex {
      return local.knex;
    }
  }
  await local.knex(SESSION_TABLE).insert([
    {
      session_key: 'expired0000000000000000000000001',
      session_data: 'x',
      expire_date: new Date(Date.now() - 1000),
    },
    { session_key: 'expired0000000000000000000000002', session_data: 'x', expire_date: new Date(0) },
    {
      session_key: 'alive00000000000000000000000001a',
      session_data: 'x',
      expire_date: new Date(Date.now() + 60_000),
    },
  ]);
  t.is(await LocalStore.clearExpired(settingsWith()), 2);
  t.deepEqual(
    (await local.knex(SESSION_TABLE).select('session_key')).map((r) => r.session_key),
    ['alive00000000000000000000000001a'],
  );
});

test('SessionMiddleware answers 400 SessionInterrupted when the db session was deleted during the request', async (t) => {
  const client = await Client.create(
    settingsWith({
      MIDDLEWARE: [SessionMiddleware],
      ROOT_URLCONF: {
        urlpatterns: [
          path('login/', async (request: HttpRequest) => {
            request.session.set('user', 1);
            return new HttpResponse('in');
          }),
          path('slow/', async (request: HttpRequest) => {
            // Meanwhile, another tab logs out.
            await knex()(SESSION_TABLE).where({ session_key: request.session.sessionKey }).delete();
            request.session.set('seen', true);
            return new HttpResponse('never saved');
          }),
        ],
      },
    }),
  );
  await client.get('/login/');
  const response = await client.get('/slow/');
  t.is(response.status, 400);
  t.deepEqual(response.setCookies, []);
});

test('SessionMiddleware with the db engine: flush() in a view deletes the row, so a copied cookie is worthless', async (t) => {
  const client = await Client.create(
    settingsWith({
      MIDDLEWARE: [SessionMiddleware],
      ROOT_URLCONF: {
        urlpatterns: [
          path('login/', async (request: HttpRequest) => {
            request.session.set('user', 1);
            return new HttpResponse('in');
          }),
          path('logout/', async (request: HttpRequest) => {
            await request.session.flush();
            return new HttpResponse('out');
          }),
          path(
            'whoami/',
            async (request: HttpRequest) => new HttpResponse(String(request.session.get('user') ?? 'nobody')),
          ),
        ],
      },
    }),
  );
  await client.get('/login/');
  const copied = `sessionid=${client.cookies.get('sessionid')}`;
  t.is((await client.get('/whoami/', { headers: { cookie: copied } })).text, '1');
  await client.get('/logout/');
  const replay = await client.get('/whoami/', { headers: { cookie: copied } });
  t.is(replay.text, 'nobody');
  t.is(
    replay.setCookies[0],
    'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax',
  );
});
