import test from 'ava';
import { defineSettings } from '../../../src/conf/index.ts';
import * as messages from '../../../src/contrib/messages/index.ts';
import { CookieStorage, DEBUG, INFO, MessageFailure, WARNING } from '../../../src/contrib/messages/index.ts';
import { HttpRequest } from '../../../src/http/request.ts';

const settings = defineSettings({ SECRET_KEY: 'k'.repeat(50) });
const bare = () => new HttpRequest({ settings, method: 'GET', path: '/' });
const withStorage = (s = settings) => {
  const request = new HttpRequest({ settings: s, method: 'GET', path: '/' });
  request._messages = new CookieStorage(request);
  return request;
};
const texts = (request: HttpRequest) =>
  [...messages.getMessages(request)].map((m) => [m.level, m.message, m.tags]);

test('messages.debug/info/success/warning/error(request, message, { extraTags }) queue messages at their level', (t) => {
  const request = withStorage();
  messages.setLevel(request, DEBUG);
  messages.debug(request, 'd');
  messages.info(request, 'i', { extraTags: 'x' });
  messages.success(request, 's');
  messages.warning(request, 'w');
  messages.error(request, 'e');
  t.deepEqual(texts(request), [
    [10, 'd', 'debug'],
    [20, 'i', 'x info'],
    [25, 's', 'success'],
    [30, 'w', 'warning'],
    [40, 'e', 'error'],
  ]);
});

test('messages.addMessage(request, level, message) ignores empty messages and levels below MESSAGE_LEVEL', (t) => {
  const request = withStorage();
  messages.addMessage(request, INFO, '');
  messages.addMessage(request, DEBUG, 'too quiet');
  messages.addMessage(request, 35, 'custom');
  t.deepEqual(texts(request), [[35, 'custom', '']]);
  const verbose = withStorage(defineSettings({ SECRET_KEY: 'k'.repeat(50), MESSAGE_LEVEL: DEBUG }));
  messages.debug(verbose, 'heard');
  t.deepEqual(texts(verbose), [[10, 'heard', 'debug']]);
});

test('messages.addMessage(request, ...) without MessageMiddleware throws MessageFailure naming the fix, unless failSilently', (t) => {
  const error = t.throws(() => messages.info(bare(), 'x'), { instanceOf: MessageFailure });
  t.is(error?.code, 'KD_MESSAGE_FAILURE');
  t.regex(
    error?.message ?? '',
    /without installing MessageMiddleware: add it .* to MIDDLEWARE, after SessionMiddleware/,
  );
  t.notThrows(() => messages.info(bare(), 'x', { failSilently: true }));
});

test('messages.addMessage(notARequest, ...) throws a TypeError naming what it got', (t) => {
  t.throws(() => messages.info({ ctx: true } as never, 'x'), {
    instanceOf: TypeError,
    message: "addMessage() argument must be an HttpRequest object, not 'Object'.",
  });
});

test('messages.getMessages(request) without MessageMiddleware is an empty list', (t) => {
  t.deepEqual(messages.getMessages(bare()), []);
});

test('messages.getLevel(request) / setLevel(request, level) read and change the level for this request', (t) => {
  t.is(messages.getLevel(bare()), INFO);
  t.false(messages.setLevel(bare(), DEBUG), 'false without MessageMiddleware');
  const request = withStorage();
  t.true(messages.setLevel(request, WARNING));
  t.is(messages.getLevel(request), WARNING);
  messages.info(request, 'dropped');
  t.deepEqual(texts(request), []);
  messages.setLevel(request, null);
  t.is(messages.getLevel(request), INFO);
  t.throws(() => messages.setLevel(request, 'loud' as never), { instanceOf: TypeError });
});

test('BaseStorage: length and includes() do not mark messages used; iterating does', (t) => {
  const request = withStorage();
  const storage = request._messages as CookieStorage;
  messages.info(request, 'a');
  t.is(storage.length, 1);
  t.true(storage.includes(new messages.Message(INFO, 'a')));
  t.false(storage.used);
  t.is([...storage].length, 1);
  t.true(storage.used);
});
