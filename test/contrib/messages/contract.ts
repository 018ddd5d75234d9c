/**
 * The message storage contract: what every MESSAGE_STORAGE must do through the real pipeline
 * (SessionMiddleware + MessageMiddleware, cookies kept between requests). A storage's test
 * file calls `runMessageStorageTests({ name, storage, sessionEngine })`.
 */
import { createHash } from 'node:crypto';
import test from 'ava';
import type { SettingsInput } from '../../../src/conf/index.ts';
import * as messages from '../../../src/contrib/messages/index.ts';
import { DEBUG, MessageMiddleware } from '../../../src/contrib/messages/index.ts';
import { SessionMiddleware, type SessionStoreClass } from '../../../src/contrib/sessions/index.ts';
import { HttpResponse, JsonResponse } from '../../../src/http/index.ts';
import type { HttpRequest } from '../../../src/http/request.ts';
import { path } from '../../../src/urls/index.ts';
import { Client, testSettings } from '../../helpers/client.ts';

export interface MessageStorageTestOptions {
  name: string;
  /** MESSAGE_STORAGE. */
  storage: string;
  /** SESSION_ENGINE (called when a test starts, after the file's setup). */
  sessionEngine: () => SessionStoreClass | string;
  /** Whether the storage keeps any number of long messages (false for the 2048-byte cookie). */
  unbounded: boolean;
}

/** 40 messages of 68 characters that do not compress well (together they overflow a cookie). */
export const LONG_MESSAGES = Array.from(
  { length: 40 },
  (_, i) => `m${i}-${createHash('sha256').update(String(i)).digest('hex')}`,
);

const show = (request: HttpRequest) =>
  new JsonResponse(
    [...messages.getMessages(request)].map((m) => [m.level, m.message, m.tags]),
    { safe: false },
  );

const views = {
  add: async (request: HttpRequest) => {
    messages.info(request, 'hello info');
    messages.debug(request, 'dropped debug');
    messages.success(request, 'yay', { extraTags: 'extra' });
    messages.addMessage(request, 35, 'custom level');
    return new HttpResponse('added');
  },
  many: async (request: HttpRequest) => {
    for (const text of LONG_MESSAGES) messages.info(request, text);
    return new HttpResponse('added many');
  },
  verbose: async (request: HttpRequest) => {
    messages.setLevel(request, DEBUG);
    messages.debug(request, 'now heard');
    return new HttpResponse('added debug');
  },
  error: async (request: HttpRequest) => {
    messages.error(request, 'broken');
    return new HttpResponse('added error');
  },
  show: async (request: HttpRequest) => show(request),
  peek: async (request: HttpRequest) =>
    new JsonResponse({ count: (messages.getMessages(request) as { length: number }).length }),
  'add-and-show': async (request: HttpRequest) => {
    messages.info(request, 'right away');
    return show(request);
  },
  'show-then-add': async (request: HttpRequest) => {
    const response = show(request);
    messages.info(request, 'for next time');
    return response;
  },
};

/** Register the contract tests for one storage. */
export function runMessageStorageTests({
  name,
  storage,
  sessionEngine,
  unbounded,
}: MessageStorageTestOptions): void {
  const app = (overrides: SettingsInput = {}) =>
    Client.create(
      testSettings({
        MIDDLEWARE: [SessionMiddleware, MessageMiddleware],
        SESSION_ENGINE: sessionEngine(),
        MESSAGE_STORAGE: storage,
        ROOT_URLCONF: { urlpatterns: Object.entries(views).map(([p, view]) => path(`${p}/`, view)) },
        ...overrides,
      }),
    );

  test(`[${name}] messages added in one request are shown by the next, once`, async (t) => {
    const client = await app();
    await client.get('/add/');
    t.deepEqual((await client.get('/show/')).json(), [
      [20, 'hello info', 'info'],
      [25, 'yay', 'extra success'],
      [35, 'custom level', ''],
    ]);
    t.deepEqual((await client.get('/show/')).json(), []);
  });

  test(`[${name}] messages that are counted but not iterated stay for later`, async (t) => {
    const client = await app();
    await client.get('/add/');
    t.deepEqual((await client.get('/peek/')).json(), { count: 3 });
    t.deepEqual((await client.get('/peek/')).json(), { count: 3 });
    t.is((await client.get('/show/')).json<unknown[]>().length, 3);
    t.deepEqual((await client.get('/peek/')).json(), { count: 0 });
  });

  test(`[${name}] messages added and shown in the same request are not stored`, async (t) => {
    const client = await app();
    t.deepEqual((await client.get('/add-and-show/')).json(), [[20, 'right away', 'info']]);
    t.deepEqual((await client.get('/show/')).json(), []);
  });

  test(`[${name}] a message added after the messages were shown is kept for the next request`, async (t) => {
    const client = await app();
    await client.get('/add/');
    t.is((await client.get('/show-then-add/')).json<unknown[]>().length, 3);
    t.deepEqual((await client.get('/show/')).json(), [[20, 'for next time', 'info']]);
  });

  test(`[${name}] messages accumulate over requests until shown`, async (t) => {
    const client = await app();
    await client.get('/add/');
    await client.get('/error/');
    t.deepEqual(
      (await client.get('/show/')).json<unknown[][]>().map((m) => m[1]),
      ['hello info', 'yay', 'custom level', 'broken'],
    );
  });

  test(`[${name}] setLevel(request, DEBUG) and MESSAGE_TAGS are honoured`, async (t) => {
    const client = await app({ MESSAGE_TAGS: { 10: 'muted', 40: 'danger' } });
    await client.get('/verbose/');
    await client.get('/error/');
    t.deepEqual((await client.get('/show/')).json(), [
      [10, 'now heard', 'muted'],
      [40, 'broken', 'danger'],
    ]);
  });

  if (unbounded) {
    test(`[${name}] 40 long messages all reach the next request, in order`, async (t) => {
      const client = await app();
      await client.get('/many/');
      t.deepEqual(
        (await client.get('/show/')).json<unknown[][]>().map((m) => m[1]),
        LONG_MESSAGES,
      );
      t.deepEqual((await client.get('/show/')).json(), []);
    });
  }

  test(`[${name}] a malformed or tampered messages cookie is never a 500 and shows no messages`, async (t) => {
    const client = await app();
    for (const cookie of [
      'messages=',
      'messages=garbage',
      'messages=".eJy\\"broken',
      'messages=W1siX19qc29uX21lc3NhZ2UiLDAsMjAsImhpIl1d:8M0kX:forged',
      `messages=${'x'.repeat(6000)}`,
    ]) {
      const response = await client.get('/show/', { headers: { cookie } });
      t.is(response.status, 200, cookie);
      t.deepEqual(response.json(), [], cookie);
    }
  });
}
