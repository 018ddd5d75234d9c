import test from 'ava';
import { parseCookie } from '../../src/http/cookies.ts';

test('parseCookie(header) reads name=value pairs separated by ;', (t) => {
  t.deepEqual(parseCookie('a=1; b=2;c=3'), { a: '1', b: '2', c: '3' });
  t.deepEqual(parseCookie(''), {});
});

test('parseCookie(header) keeps everything after the first = in the value', (t) => {
  t.deepEqual(parseCookie('token=abc==; q=a=b'), { token: 'abc==', q: 'a=b' });
});

test('parseCookie(header) gives a chunk without = the name ""', (t) => {
  t.deepEqual(parseCookie('abc'), { '': 'abc' });
  t.deepEqual(parseCookie('a=1; lonely; b=2'), { a: '1', '': 'lonely', b: '2' });
});

test('parseCookie(header) strips names and values and skips empty chunks', (t) => {
  t.deepEqual(parseCookie('  a = 1 ;; ;  b=2  ;'), { a: '1', b: '2' });
  t.deepEqual(parseCookie('=; a=1'), { a: '1' });
});

test('parseCookie(header) strips Python whitespace (\\x1c-\\x1f, \\x85) but not U+FEFF', (t) => {
  t.deepEqual(parseCookie('\x1ca=1\x85'), { a: '1' });
  t.deepEqual(parseCookie('a=\ufeff1'), { a: '\ufeff1' });
});

test('parseCookie(header) lets a later duplicate win', (t) => {
  t.deepEqual(parseCookie('a=1; a=2'), { a: '2' });
});

test('parseCookie(header) splits on every ; even inside quotes', (t) => {
  t.deepEqual(parseCookie('a="x;y"; b=2'), { a: '"x', '': 'y"', b: '2' });
});

test('parseCookie(header) unquotes double-quoted values with \\" \\\\ and \\ooo octal', (t) => {
  t.deepEqual(parseCookie('a="x\\"y"; b="c:\\\\d"; c="\\101\\012"; d="\\n"'), {
    a: 'x"y',
    b: 'c:\\d',
    c: 'A\n',
    d: 'n',
  });
  t.deepEqual(parseCookie('a=""'), { a: '' });
  t.deepEqual(parseCookie('a="unterminated'), { a: '"unterminated' });
  t.deepEqual(parseCookie('a=x"y"'), { a: 'x"y"' });
});

test('parseCookie(header) never throws on malformed headers', (t) => {
  for (const header of ['=', ';;;', '"', '\\', 'a="\\', '==="', '\u0000=\u0000', '%zz=%E9', 'a=\ud800']) {
    t.notThrows(() => parseCookie(header));
  }
  t.deepEqual(parseCookie('%zz=%E9'), { '%zz': '%E9' });
});

test('parseCookie(header) keeps a cookie named __proto__ as an ordinary key', (t) => {
  const cookies = parseCookie('__proto__=x; a=1');
  t.is(Object.getPrototypeOf(cookies), Object.prototype);
  t.deepEqual(Object.keys(cookies), ['__proto__', 'a']);
  t.is(Object.getOwnPropertyDescriptor(cookies, '__proto__')?.value, 'x');
});
