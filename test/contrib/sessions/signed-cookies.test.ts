import test from 'ava';
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
