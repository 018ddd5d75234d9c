import test from 'ava';
import fc from 'fast-check';
import { defineSettings } from '../../../src/conf/index.ts';
import { SIGNED_COOKIES_SALT, SignedCookieSessionStore } from '../../../src/contrib/sessions/index.ts';
import { dumps, loads } from '../../../src/signing.ts';
import { runSessionBackendTests } from './contract.ts';

runSessionBackendTests({
  name: 'signed_cookies',
  revocable: false,
  setup: async () => ({ engine: SignedCookieSessionStore }),
});

// Django vector (reference §8.4): SECRET_KEY django-insecure-test-key, time 123456789, {"a": 1}.
const DJANGO_COOKIE = 'eyJhIjoxfQ:8M0kX:F0MmvpB-gpYglqF2TH56XAaWMjr-fwC9ldj95Fu9iLM';
const djangoSettings = defineSettings({
  SECRET_KEY: 'django-insecure-test-key',
  SESSION_COOKIE_AGE: 10 ** 10,
});

class FrozenStore extends SignedCookieSessionStore {
  protected override now(): number {
    return 123456789;
  }
}

test('SignedCookieSessionStore#save() writes the cookie Django writes for the same data, key and time', async (t) => {
  const session = new FrozenStore(null, djangoSettings);
  session.set('a', 1);
  await session.save();
  t.is(session.sessionKey, DJANGO_COOKIE);
});

test('SignedCookieSessionStore#load() reads a session cookie Django wrote', async (t) => {
  const session = new SignedCookieSessionStore(DJANGO_COOKIE, djangoSettings);
  await session.ensureLoaded();
  t.deepEqual(session.items(), [['a', 1]]);
  t.false(session.modified);
});

test('SignedCookieSessionStore#load() checks the cookie age against SESSION_COOKIE_AGE and resets an expired one', async (t) => {
  const session = new SignedCookieSessionStore(
    DJANGO_COOKIE,
    defineSettings({ SECRET_KEY: 'django-insecure-test-key' }),
  );
  await session.ensureLoaded();
  t.deepEqual(session.keys(), []);
  t.true(session.modified, 'a fresh cookie will be sent');
});

test("SignedCookieSessionStore: the cookie is signed with SECRET_KEY and Django's salt, so other signed values are refused", async (t) => {
  const settings = defineSettings({ SECRET_KEY: 'k'.repeat(50) });
  const session = new SignedCookieSessionStore(null, settings);
  session.set('user', 1);
  await session.save();
  t.deepEqual(loads(session.sessionKey ?? '', { key: settings.SECRET_KEY, salt: SIGNED_COOKIES_SALT }), {
    user: 1,
  });
  for (const forged of [
    dumps({ user: 1 }, { key: settings.SECRET_KEY }),
    dumps({ user: 1 }, { key: settings.SECRET_KEY, salt: 'django.contrib.sessions.SessionStore' }),
    dumps({ user: 1 }, { key: `django.http.cookies${settings.SECRET_KEY}`, salt: 'django.contrib.messages' }),
    dumps([1, 2], { key: settings.SECRET_KEY, salt: SIGNED_COOKIES_SALT }),
  ]) {
    const reader = new SignedCookieSessionStore(forged, settings);
    await reader.ensureLoaded();
    t.deepEqual(reader.keys(), [], forged);
  }
});

test('SignedCookieSessionStore.clearExpired(settings) has nothing to clear', async (t) => {
  t.is(await SignedCookieSessionStore.clearExpired(djangoSettings), 0);
});

type Mutation = { kind: 'flip' | 'insert' | 'delete'; at: number; char: string };
const mutation = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('flip', 'insert', 'delete'),
  at: fc.nat(),
  char: fc.oneof(
    fc.constantFrom(':', '.', '-', '_', '=', 'A', 'a', '0'),
    fc.string({ minLength: 1, maxLength: 1 }),
  ),
});

/** A change that always alters `text`. */
function mutate(text: string, { kind, at, char }: Mutation): string {
  const i = at % (kind === 'insert' ? text.length + 1 : text.length);
  if (kind === 'insert') return text.slice(0, i) + char + text.slice(i);
  if (kind === 'delete') return text.slice(0, i) + text.slice(i + 1);
  const replacement = char === text[i] ? (char === 'x' ? 'y' : 'x') : char;
  return text.slice(0, i) + replacement + text.slice(i + 1);
}

test('SignedCookieSessionStore: any flipped, inserted or deleted character in a session cookie gives an empty session (property)', async (t) => {
  const settings = defineSettings({ SECRET_KEY: 'property-test-key'.padEnd(50, 'p') });
  const data = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 8 }),
    fc.jsonValue({ maxDepth: 2 }).filter((v) => !Object.is(v, -0)),
    { minKeys: 1, maxKeys: 5 },
  );
  await fc.assert(
    fc.asyncProperty(data, mutation, async (values, m) => {
      const session = new SignedCookieSessionStore(null, settings);
      session.update(values);
      await session.save();
      const key = session.sessionKey ?? '';
      const good = new SignedCookieSessionStore(key, settings);
      await good.ensureLoaded();
      const tampered = new SignedCookieSessionStore(mutate(key, m), settings);
      await tampered.ensureLoaded();
      return good.keys().length === Object.keys(values).length && tampered.keys().length === 0;
    }),
  );
  t.pass();
});
