import test from 'ava';
import { defineSettings } from '../../../src/conf/index.ts';
import { Message, SessionStorage } from '../../../src/contrib/messages/index.ts';
import { SignedCookieSessionStore } from '../../../src/contrib/sessions/index.ts';
import { HttpResponse } from '../../../src/http/index.ts';
import { HttpRequest } from '../../../src/http/request.ts';
import { runMessageStorageTests } from './contract.ts';

runMessageStorageTests({
  name: 'session + signed_cookies sessions',
  storage: 'session',
  sessionEngine: () => 'signed_cookies',
  unbounded: true,
});

const settings = defineSettings({ SECRET_KEY: 'k'.repeat(50) });
function withSession(): HttpRequest {
  const request = new HttpRequest({ settings, method: 'GET', path: '/' });
  request.session = new SignedCookieSessionStore(null, settings);
  return request;
}

// Made with Django 5.2.17: SessionStorage._store(...) of these three messages.
const DJANGO_SESSION_VALUE =
  '[["__json_message", 0, 20, "hello info", ""], ["__json_message", 0, 25, "yay", "extra"], ["__json_message", 0, 35, "custom level", ""]]';

test("SessionStorage#storeMessages(messages) stores Django's JSON text under the session key _messages", (t) => {
  const request = withSession();
  new SessionStorage(request).storeMessages(
    [new Message(20, 'hello info', ''), new Message(25, 'yay', 'extra'), new Message(35, 'custom level', '')],
    new HttpResponse(''),
  );
  t.is(request.session.get('_messages'), DJANGO_SESSION_VALUE);
});

test('SessionStorage reads the messages Django stored in the session, and removes the key once shown', (t) => {
  const request = withSession();
  request.session.set('_messages', DJANGO_SESSION_VALUE);
  const storage = new SessionStorage(request);
  t.deepEqual(
    [...storage].map((m) => m.tags),
    ['info', 'extra success', ''],
  );
  storage.update(new HttpResponse(''));
  t.false(request.session.has('_messages'));
});

test('SessionStorage ignores a _messages value it did not write', (t) => {
  for (const value of ['not json', '{"a":1}', '[["__json_message", 0, "20", "x"]]', 42]) {
    const request = withSession();
    request.session.set('_messages', value);
    t.deepEqual([...new SessionStorage(request)], [], String(value));
  }
});

test('new SessionStorage(request) without request.session throws ImproperlyConfigured naming the middleware order', (t) => {
  t.throws(() => new SessionStorage(new HttpRequest({ settings, method: 'GET', path: '/' })), {
    message: /MIDDLEWARE: \[SessionMiddleware, MessageMiddleware\]/,
  });
});
