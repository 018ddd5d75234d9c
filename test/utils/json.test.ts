import test from 'ava';
import { pythonJsonDumps } from '../../src/utils/json.ts';

test("pythonJsonDumps(value) uses Python's default ', ' and ': ' separators", (t) => {
  t.is(pythonJsonDumps({ a: 1, b: [true, null, 'x'] }), '{"a": 1, "b": [true, null, "x"]}');
});

test("pythonJsonDumps(value, { separators: [',', ':'] }) is compact, as Django's signing uses it", (t) => {
  t.is(pythonJsonDumps(['a', 'list'], { separators: [',', ':'] }), '["a","list"]');
  t.is(pythonJsonDumps({ a: 'dictionary' }, { separators: [',', ':'] }), '{"a":"dictionary"}');
});

test('pythonJsonDumps(value) escapes non-ASCII as lowercase \\uXXXX and astral characters as surrogate pairs', (t) => {
  t.is(pythonJsonDumps('é€😀'), '"\\u00e9\\u20ac\\ud83d\\ude00"');
  t.is(pythonJsonDumps({ clé: 'ß' }), '{"cl\\u00e9": "\\u00df"}');
});

test('pythonJsonDumps(value) escapes control characters, DEL, quotes and backslashes like Python', (t) => {
  t.is(pythonJsonDumps('"\\\n\r\t\b\f\u0000\u001f\u007f'), '"\\"\\\\\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f"');
});

test('pythonJsonDumps(value, { ensureAscii: false }) keeps non-ASCII characters but escapes control characters', (t) => {
  t.is(pythonJsonDumps('é\u007f\n', { ensureAscii: false }), '"é\u007f\\n"');
});

test('pythonJsonDumps(value) writes safe integers as Python ints and other numbers as Python floats', (t) => {
  t.is(pythonJsonDumps([1, -2, 1.0, -0, 2 ** 53 - 1]), '[1, -2, 1, 0, 9007199254740991]');
  t.is(pythonJsonDumps([0.5, 123.456, 1e-4, 1e-5, 1.5e-7]), '[0.5, 123.456, 0.0001, 1e-05, 1.5e-07]');
  t.is(
    pythonJsonDumps([2 ** 53, 1e16, 1e21, -1.7976931348623157e308]),
    '[9007199254740992.0, 1e+16, 1e+21, -1.7976931348623157e+308]',
  );
  t.is(pythonJsonDumps(12345678901234567890n), '12345678901234567890');
});

test('pythonJsonDumps(NaN) throws a RangeError instead of writing non-standard JSON', (t) => {
  t.throws(() => pythonJsonDumps({ x: Number.NaN }), {
    instanceOf: RangeError,
    message: /not JSON compliant/,
  });
  t.throws(() => pythonJsonDumps([Number.POSITIVE_INFINITY]), { instanceOf: RangeError });
});

test('pythonJsonDumps(value) follows JSON.stringify for toJSON, undefined, functions and boxed values', (t) => {
  const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
  t.is(
    pythonJsonDumps({
      date,
      skip: undefined,
      fn: () => 1,
      list: [undefined, () => 1],
      boxed: new String('s'),
    }),
    '{"date": "2024-01-02T03:04:05.000Z", "list": [null, null], "boxed": "s"}',
  );
});

test('pythonJsonDumps(undefined) throws a TypeError', (t) => {
  t.throws(() => pythonJsonDumps(undefined), { instanceOf: TypeError, message: /not JSON serializable/ });
});

test('pythonJsonDumps(value) refuses a circular structure with a TypeError', (t) => {
  const loop: { self?: unknown } = {};
  loop.self = loop;
  t.throws(() => pythonJsonDumps(loop), { instanceOf: TypeError, message: /Circular reference/ });
});

test('pythonJsonDumps(value) allows the same object twice when it is not circular', (t) => {
  const shared = { a: 1 };
  t.is(pythonJsonDumps([shared, shared], { separators: [',', ':'] }), '[{"a":1},{"a":1}]');
});

test('pythonJsonDumps(value) output parses back with JSON.parse to an equal value', (t) => {
  const value = { text: 'naïve 😀 "q"', nums: [0, -1, 0.25, 1e-7], nested: { empty: [], obj: {} } };
  t.deepEqual(JSON.parse(pythonJsonDumps(value)), value);
});
