import test from 'ava';
import nunjucks from 'nunjucks';
import {
  DEFAULT_LEVELS,
  DEFAULT_TAGS,
  ERROR,
  getLevelTags,
  INFO,
  Message,
  reviveMessages,
  SUCCESS,
} from '../../../src/contrib/messages/index.ts';

test('Message#tags is the extra tags then the level tag; unknown levels have no level tag', (t) => {
  t.is(new Message(SUCCESS, 'Saved.', 'toast').tags, 'toast success');
  t.is(new Message(INFO, 'Hi').tags, 'info');
  t.is(new Message(INFO, 'Hi', '').tags, 'info');
  t.is(new Message(35, 'custom').levelTag, '');
  t.is(new Message(35, 'custom', 'x').tags, 'x');
});

test('Message#levelTag follows the level tags it was made with (DEFAULT_TAGS + MESSAGE_TAGS)', (t) => {
  const levelTags = getLevelTags({ MESSAGE_TAGS: { [ERROR]: 'danger', 35: 'notice' } });
  t.is(new Message(ERROR, 'x', null, { levelTags }).levelTag, 'danger');
  t.is(new Message(35, 'x', null, { levelTags }).levelTag, 'notice');
  t.is(new Message(INFO, 'x', null, { levelTags }).levelTag, 'info');
  t.is(DEFAULT_TAGS[ERROR], 'error');
});

test("Message: equality is level and text (Django's __eq__); String() is the text", (t) => {
  t.true(new Message(INFO, 'a', 'x').equals(new Message(INFO, 'a', 'y')));
  t.false(new Message(INFO, 'a').equals(new Message(ERROR, 'a')));
  t.false(new Message(INFO, 'a').equals('a'));
  t.is(String(new Message(INFO, 42)), '42');
});

test('new Message(level, ...) refuses a level that is not an integer', (t) => {
  t.throws(() => new Message(2.5, 'x'), {
    instanceOf: TypeError,
    message: /must be an integer \(e\.g\. INFO = 20\)/,
  });
});

test("Message#toJSON() is Django's encoded message; a nunjucks SafeString message is marked safe", (t) => {
  t.deepEqual(new Message(INFO, 'hi', '').toJSON(), ['__json_message', 0, 20, 'hi', '']);
  t.deepEqual(new Message(INFO, 'hi').toJSON(), ['__json_message', 0, 20, 'hi']);
  const safe = new Message(INFO, new nunjucks.runtime.SafeString('<b>hi</b>'));
  t.true(safe.isSafe);
  t.deepEqual(safe.toJSON(), ['__json_message', 1, 20, '<b>hi</b>']);
});

test('reviveMessages(json) turns encoded messages back into Messages, and refuses malformed ones', (t) => {
  const [a, b] = reviveMessages([
    ['__json_message', 0, 20, 'hi', ''],
    ['__json_message', 1, 25, '<b>ok</b>'],
  ]) as Message[];
  t.true(a instanceof Message && a.equals(new Message(INFO, 'hi')));
  t.is(a?.extraTags, '');
  t.is(b?.extraTags, null);
  t.true(b?.isSafe);
  t.deepEqual(reviveMessages({ k: ['x'] }), { k: ['x'] });
  for (const bad of [
    ['__json_message', 0, '20', 'hi'],
    ['__json_message', 0, 20, 5],
    ['__json_message', 2, 20, 'hi'],
    ['__json_message', 0, 20, 'hi', 3],
    ['__json_message', 0, 20, 'hi', '', 'extra'],
    ['__json_message', 0, 2.5, 'hi'],
  ]) {
    t.throws(() => reviveMessages([bad]), { instanceOf: TypeError }, JSON.stringify(bad));
  }
});

test('DEFAULT_LEVELS names the five levels', (t) => {
  t.deepEqual({ ...DEFAULT_LEVELS }, { DEBUG: 10, INFO: 20, SUCCESS: 25, WARNING: 30, ERROR: 40 });
});
