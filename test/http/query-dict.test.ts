import test from 'ava';
import { TooManyFieldsSent } from '../../src/exceptions.ts';
import {
  decodeBytes,
  MultiValueDict,
  normalizeEncoding,
  QueryDict,
  tooManyFieldsSent,
} from '../../src/http/query-dict.ts';

const IMMUTABLE = {
  instanceOf: TypeError,
  message: 'This QueryDict instance is immutable. Use request.GET.copy() to get a mutable copy.',
};

// --- MultiValueDict ------------------------------------------------------------------

const people = () => new MultiValueDict({ name: ['Adrian', 'Simon'], position: ['Developer'], empty: [] });

test('MultiValueDict#get(key) answers the last value of the list', (t) => {
  t.is(people().get('name'), 'Simon');
  t.is(people().get('position'), 'Developer');
});

test('MultiValueDict#get(key, default) answers the default for a missing key or an empty list', (t) => {
  const d = people();
  t.is(d.get('lastname', 'nonexistent'), 'nonexistent');
  t.is(d.get('empty', 'fallback'), 'fallback');
  t.is(d.get('lastname'), undefined);
});

test('MultiValueDict#getlist(key) answers a copy of the list, [] or the default when missing', (t) => {
  const d = people();
  const list = d.getlist('name');
  t.deepEqual(list, ['Adrian', 'Simon']);
  list.push('Mutated');
  t.deepEqual(d.getlist('name'), ['Adrian', 'Simon']);
  t.deepEqual(d.getlist('missing'), []);
  t.is(d.getlist('missing', null), null);
});

test('MultiValueDict#set(key, value) replaces the whole list', (t) => {
  const d = people();
  d.set('name', 'Jacob');
  t.deepEqual(d.getlist('name'), ['Jacob']);
});

test('MultiValueDict#setlist/appendlist/setlistdefault manage lists', (t) => {
  const d = new MultiValueDict<string>();
  d.setlist('a', ['1', '2']);
  d.appendlist('a', '3');
  d.appendlist('b', 'x');
  t.deepEqual(d.getlist('a'), ['1', '2', '3']);
  t.deepEqual(d.getlist('b'), ['x']);
  const live = d.setlistdefault('c', ['d']);
  live.push('e');
  t.deepEqual(d.getlist('c'), ['d', 'e']);
  t.deepEqual(d.setlistdefault('a', ['ignored']), ['1', '2', '3']);
});

test('MultiValueDict#setdefault(key, value) sets only a missing key and answers the last value', (t) => {
  const d = people();
  t.is(d.setdefault('name', 'X'), 'Simon');
  t.is(d.setdefault('new', 'Y'), 'Y');
  t.deepEqual(d.getlist('new'), ['Y']);
});

test('MultiValueDict#delete/has/pop/popitem/clear', (t) => {
  const d = people();
  t.true(d.has('empty'));
  t.true(d.delete('empty'));
  t.false(d.delete('empty'));
  t.deepEqual(d.pop('name'), ['Adrian', 'Simon']);
  t.is(d.pop('name'), undefined);
  t.is(d.pop('name', 'gone'), 'gone');
  d.appendlist('z', '1');
  t.deepEqual(d.popitem(), ['z', ['1']]);
  d.clear();
  t.is(d.size, 0);
  t.is(d.popitem(), undefined);
});

test('MultiValueDict#update(other) extends lists from a MultiValueDict, an object or pairs', (t) => {
  const d = new MultiValueDict({ a: ['1'] });
  d.update(new MultiValueDict({ a: ['2', '3'], b: ['4'] }));
  d.update({ a: '5' });
  d.update([
    ['b', '6'],
    ['c', '7'],
  ]);
  t.deepEqual(d.toJSON(), { a: ['1', '2', '3', '5'], b: ['4', '6'], c: ['7'] });
});

test('MultiValueDict#keys/values/items/lists/dict/size and iteration over keys', (t) => {
  const d = new MultiValueDict({ a: ['1', '2'], b: ['3'] });
  t.deepEqual(d.keys(), ['a', 'b']);
  t.deepEqual(d.values(), ['2', '3']);
  t.deepEqual(d.items(), [
    ['a', '2'],
    ['b', '3'],
  ]);
  t.deepEqual(d.lists(), [
    ['a', ['1', '2']],
    ['b', ['3']],
  ]);
  t.deepEqual(d.dict(), { a: '2', b: '3' });
  t.is(d.size, 2);
  t.deepEqual([...d], ['a', 'b']);
  t.is(JSON.stringify(d), '{"a":["1","2"],"b":["3"]}');
});

test('MultiValueDict#dict() keeps a "__proto__" key as an ordinary key', (t) => {
  const d = new MultiValueDict([['__proto__', ['x']]]);
  const plain = d.dict();
  t.is(Object.getPrototypeOf(plain), Object.prototype);
  t.deepEqual(Object.keys(plain), ['__proto__']);
});

test('MultiValueDict#copy() copies the lists', (t) => {
  const d = new MultiValueDict({ a: ['1'] });
  const c = d.copy();
  c.appendlist('a', '2');
  t.deepEqual(d.getlist('a'), ['1']);
  t.deepEqual(c.getlist('a'), ['1', '2']);
});

// --- QueryDict parsing -------------------------------------------------------------------

test('new QueryDict(qs) keeps blank values, like parse_qsl(keep_blank_values=True)', (t) => {
  const q = new QueryDict('a=1&a=2&c');
  t.deepEqual(q.toJSON(), { a: ['1', '2'], c: [''] });
  t.deepEqual(new QueryDict('=x').toJSON(), { '': ['x'] });
  t.deepEqual(new QueryDict('y=').toJSON(), { y: [''] });
});

test('new QueryDict(qs) separates on & only and skips empty chunks', (t) => {
  t.deepEqual(new QueryDict('a=1;b=2').toJSON(), { a: ['1;b=2'] });
  t.deepEqual(new QueryDict('a=1&&b=2&').toJSON(), { a: ['1'], b: ['2'] });
});

test('new QueryDict(qs) decodes + as space and %XX as UTF-8', (t) => {
  const q = new QueryDict('q=a+b%20c&name=Jos%C3%A9&plus=%2B');
  t.is(q.get('q'), 'a b c');
  t.is(q.get('name'), 'José');
  t.is(q.get('plus'), '+');
});

test('new QueryDict(qs) keeps malformed percent escapes literally', (t) => {
  const q = new QueryDict('bad=%zz&half=%4&end=%&pct=100%25');
  t.deepEqual(q.toJSON(), { bad: ['%zz'], half: ['%4'], end: ['%'], pct: ['100%'] });
});

test('new QueryDict(qs) replaces invalid UTF-8 escapes with U+FFFD', (t) => {
  const q = new QueryDict('u=%E9&v=%E2%99%E2%99%A5');
  t.is(q.get('u'), '\ufffd');
  t.is(q.get('v'), '\ufffd♥');
});

test('new QueryDict(qs, { encoding }) decodes escapes in that charset', (t) => {
  const q = new QueryDict('a=%E9', { encoding: 'latin-1' });
  t.is(q.get('a'), 'é');
  t.is(q.encoding, 'latin-1');
});

test('new QueryDict(buffer) decodes bytes as UTF-8, or latin-1 when they are not valid UTF-8', (t) => {
  t.is(new QueryDict(Buffer.from('a=caf\u00e9', 'utf8')).get('a'), 'café');
  t.is(new QueryDict(Buffer.from([0x61, 0x3d, 0xe9])).get('a'), 'é');
});

test('new QueryDict() and new QueryDict("") are empty', (t) => {
  t.is(new QueryDict().size, 0);
  t.is(new QueryDict('').size, 0);
  t.is(new QueryDict(null).size, 0);
});

test('new QueryDict(qs, { maxNumFields }) throws TooManyFieldsSent when 1 + count("&") exceeds it', (t) => {
  t.deepEqual(new QueryDict('a=1&b=2', { maxNumFields: 2 }).keys(), ['a', 'b']);
  const error = t.throws(() => new QueryDict('a=1&b=2&c=3', { maxNumFields: 2 }), {
    instanceOf: TooManyFieldsSent,
  });
  t.is(error?.status, 400);
  t.regex(error?.message ?? '', /DATA_UPLOAD_MAX_NUMBER_FIELDS \(2\)/);
  // Empty fields count too, as in Django.
  t.throws(() => new QueryDict('&&&', { maxNumFields: 3 }), { instanceOf: TooManyFieldsSent });
  t.is(new QueryDict('', { maxNumFields: 0 }).size, 0);
});

test('tooManyFieldsSent(max) names the setting and its value', (t) => {
  const error = tooManyFieldsSent(1000);
  t.true(error instanceof TooManyFieldsSent);
  t.is(
    error.message,
    'The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS (1000). Send fewer fields, or raise the setting if such requests are expected.',
  );
});

// --- QueryDict mutability -----------------------------------------------------------------

test('QueryDict is immutable by default: every mutator throws a TypeError naming copy()', (t) => {
  const q = new QueryDict('a=1');
  t.false(q.mutable);
  t.throws(() => q.set('a', '2'), IMMUTABLE);
  t.throws(() => q.setlist('a', ['2']), IMMUTABLE);
  t.throws(() => q.appendlist('a', '2'), IMMUTABLE);
  t.throws(() => q.setlistdefault('b'), IMMUTABLE);
  t.throws(() => q.setdefault('b', 'x'), IMMUTABLE);
  t.throws(() => q.delete('a'), IMMUTABLE);
  t.throws(() => q.pop('a'), IMMUTABLE);
  t.throws(() => q.popitem(), IMMUTABLE);
  t.throws(() => q.clear(), IMMUTABLE);
  t.throws(() => q.update({ b: '1' }), IMMUTABLE);
  t.deepEqual(q.toJSON(), { a: ['1'] });
});

test('new QueryDict(qs, { mutable: true }) allows changes', (t) => {
  const q = new QueryDict('a=1', { mutable: true });
  q.appendlist('a', '2');
  q.set('b', '3');
  t.deepEqual(q.toJSON(), { a: ['1', '2'], b: ['3'] });
  t.deepEqual(q.pop('a'), ['1', '2']);
});

test('QueryDict#copy() is a mutable deep copy keeping the encoding', (t) => {
  const q = new QueryDict('a=1', { encoding: 'latin-1' });
  const c = q.copy();
  t.true(c instanceof QueryDict);
  t.true(c.mutable);
  t.is(c.encoding, 'latin-1');
  c.appendlist('a', '2');
  t.deepEqual(q.getlist('a'), ['1']);
  t.deepEqual(c.getlist('a'), ['1', '2']);
});

test('QueryDict.fromkeys(keys, value, options) repeats keys, immutable unless asked', (t) => {
  const q = QueryDict.fromkeys(['a', 'a', 'b'], 'val');
  t.is(q.urlencode(), 'a=val&a=val&b=val');
  t.throws(() => q.set('a', 'x'), IMMUTABLE);
  const m = QueryDict.fromkeys(['x'], undefined, { mutable: true, encoding: 'latin-1' });
  t.deepEqual(m.getlist('x'), ['']);
  t.is(m.encoding, 'latin-1');
  m.set('x', 'y');
  t.is(m.get('x'), 'y');
});

test('QueryDict.fromPairs(pairs) keeps order and is immutable', (t) => {
  const q = QueryDict.fromPairs([
    ['a', '1'],
    ['b', '2'],
    ['a', '3'],
  ]);
  t.deepEqual(q.toJSON(), { a: ['1', '3'], b: ['2'] });
  t.throws(() => q.set('a', 'x'), IMMUTABLE);
});

// --- urlencode -------------------------------------------------------------------------------

test('QueryDict#urlencode() uses quote_plus: space → +, / → %2F', (t) => {
  const q = new QueryDict('', { mutable: true });
  q.set('next', '/a&b/');
  t.is(q.urlencode(), 'next=%2Fa%26b%2F');
  q.set('q', 'a b+c');
  t.is(q.urlencode(), 'next=%2Fa%26b%2F&q=a+b%2Bc');
});

test('QueryDict#urlencode(safe) uses quote(…, safe): space → %20', (t) => {
  const q = new QueryDict('', { mutable: true });
  q.set('next', '/a&b/');
  t.is(q.urlencode('/'), 'next=/a%26b/');
  q.set('next', 'a b');
  t.is(q.urlencode('/'), 'next=a%20b');
});

test('QueryDict#urlencode() encodes every value in list order and round-trips', (t) => {
  const q = new QueryDict('a=1&b=caf%C3%A9&a=2');
  t.is(q.urlencode(), 'a=1&a=2&b=caf%C3%A9');
  t.deepEqual(new QueryDict(q.urlencode()).toJSON(), q.toJSON());
});

test('QueryDict#urlencode() quotes the bytes of a latin-1 QueryDict', (t) => {
  const q = new QueryDict('a=%E9', { encoding: 'latin-1' });
  t.is(q.urlencode(), 'a=%E9');
});

test('QueryDict#encoding can be changed', (t) => {
  const q = new QueryDict('a=1');
  t.is(q.encoding, 'utf-8');
  q.encoding = 'latin-1';
  t.is(q.encoding, 'latin-1');
});

// --- charset helpers -------------------------------------------------------------------------

test('normalizeEncoding(label) follows Python codec names and rejects unknown ones', (t) => {
  t.is(normalizeEncoding('UTF8'), 'utf-8');
  t.is(normalizeEncoding('latin_1'), 'latin-1');
  t.is(normalizeEncoding('ISO-8859-1'), 'latin-1');
  t.is(normalizeEncoding('us-ascii'), 'ascii');
  t.is(normalizeEncoding('shift_jis'), 'shift_jis');
  t.is(normalizeEncoding('no-such-charset'), null);
});

test('decodeBytes(bytes, encoding, { fatal }) replaces or throws on invalid input', (t) => {
  t.is(decodeBytes(Buffer.from([0x63, 0xe9]), 'latin-1'), 'cé');
  t.is(decodeBytes(Buffer.from([0xe9]), 'utf-8'), '\ufffd');
  t.throws(() => decodeBytes(Buffer.from([0xe9]), 'utf-8', { fatal: true }));
  t.is(decodeBytes(Buffer.from([0x61, 0xe9]), 'ascii'), 'a\ufffd');
  t.throws(() => decodeBytes(Buffer.from([0xe9]), 'ascii', { fatal: true }));
  t.is(decodeBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), 'utf-8'), '\ufeffa');
});
