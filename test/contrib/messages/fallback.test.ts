import test from 'ava';
import * as messages from '../../../src/contrib/messages/index.ts';
import { MessageMiddleware } from '../../../src/contrib/messages/index.ts';
import { SessionMiddleware } from '../../../src/contrib/sessions/index.ts';
import { HttpResponse } from '../../../src/http/index.ts';
import type { HttpRequest } from '../../../src/http/request.ts';
import { path } from '../../../src/urls/index.ts';
import { Client, testSettings } from '../../helpers/client.ts';
import { LONG_MESSAGES, runMessageStorageTests } from './contract.ts';

runMessageStorageTests({
  name: 'fallback + signed_cookies sessions',
  storage: 'fallback',
  sessionEngine: () => 'signed_cookies',
  unbounded: true,
});

const urlpatterns = [
  path('few/', async (request: HttpRequest) => {
    messages.info(request, 'just one');
    return new HttpResponse('added');
  }),
  path('many/', async (request: HttpRequest) => {
    for (const text of LONG_MESSAGES) messages.info(request, text);
    return new HttpResponse('added');
  }),
  path(
    'show/',
    async (request: HttpRequest) => new HttpResponse([...messages.getMessages(request)].join('|')),
  ),
];

const app = (middleware: unknown[] = [SessionMiddleware, MessageMiddleware], debug = false) =>
  Client.create(
    testSettings({
      DEBUG: debug,
      MIDDLEWARE: middleware as never,
      SESSION_ENGINE: 'signed_cookies',
      ROOT_URLCONF: { urlpatterns },
    }),
  );

test('FallbackStorage (the default MESSAGE_STORAGE) keeps a few messages in the cookie and leaves the session alone', async (t) => {
  const client = await app();
  const added = await client.get('/few/');
  t.deepEqual(
    added.setCookies.map((c) => c.split('=')[0]),
    ['messages'],
  );
  t.is((await client.get('/show/')).text, 'just one');
});

test('FallbackStorage overflows into the session what the cookie cannot hold, and empties both once shown', async (t) => {
  const client = await app();
  const added = await client.get('/many/');
  t.deepEqual(added.setCookies.map((c) => c.split('=')[0]).sort(), ['messages', 'sessionid']);
  t.regex(
    decodeURIComponent(added.setCookies.find((c) => c.startsWith('messages=')) ?? ''),
    /^messages=\.[\w-]+:/,
  );
  const shown = await client.get('/show/');
  t.deepEqual(shown.text.split('|'), LONG_MESSAGES);
  t.true(shown.setCookies.some((c) => c.startsWith('messages=""; expires=Thu, 01 Jan 1970')));
  t.true(
    shown.setCookies.some((c) => c.startsWith('sessionid=')),
    'the session is saved without _messages',
  );
  t.is((await client.get('/show/')).text, '');
});

test('FallbackStorage without SessionMiddleware fails with ImproperlyConfigured naming the fix, as in Django', async (t) => {
  const client = await app([MessageMiddleware], true);
  const response = await client.get('/few/');
  t.is(response.status, 500);
  t.regex(
    response.text,
    /The session-based temporary message storage requires session middleware to be installed, and come before the message middleware/,
  );
});
