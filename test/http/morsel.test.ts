import test from 'ava';
import { Morsel, quoteCookieValue } from '../../src/http/morsel.ts';

test('quoteCookieValue(value) leaves token characters bare', (t) => {
  t.is(quoteCookieValue('b'), 'b');
  t.is(quoteCookieValue("abc!#$%&'*+-.^_`|~:123"), "abc!#$%&'*+-.^_`|~:123");
});

test('quoteCookieValue(value) quotes spaces and octal-escapes ; and , [verified]', (t) => {
  t.is(quoteCookieValue('b c'), '"b c"');
  t.is(quoteCookieValue('x;y,z'), '"x\\073y\\054z"');
  t.is(quoteCookieValue(''), '""');
});

test('quoteCookieValue(value) escapes like Python http.cookies._quote', (t) => {
  t.is(quoteCookieValue('a"b\\c'), '"a\\"b\\\\c"');
  t.is(quoteCookieValue('tab\there'), '"tab\\011here"');
  t.is(quoteCookieValue('é€'), '"\\351€"');
  t.is(quoteCookieValue('\u007f'), '"\\177"');
  t.is(quoteCookieValue('()/<=>?@[]{}'), '"()/<=>?@[]{}"');
});

test('new Morsel(key) refuses illegal cookie names', (t) => {
  t.throws(() => new Morsel('bad key'), { instanceOf: TypeError, message: /^Illegal key 'bad key'/ });
  t.throws(() => new Morsel(''), { instanceOf: TypeError, message: /^Illegal key ''/ });
  t.throws(() => new Morsel('a;b'), { instanceOf: TypeError, message: /^Illegal key 'a;b'/ });
});

test('new Morsel(key) refuses attribute names as cookie names', (t) => {
  t.throws(() => new Morsel('path'), {
    instanceOf: TypeError,
    message: "Attempt to set a reserved key 'path'",
  });
  t.throws(() => new Morsel('Max-Age'), { message: "Attempt to set a reserved key 'Max-Age'" });
});

test('Morsel#outputString() writes key=value then the set attributes in alphabetical order', (t) => {
  const m = new Morsel('a', 'b');
  m.set('secure', true)
    .set('samesite', 'Lax')
    .set('path', '/sub/')
    .set('max-age', 10)
    .set('httponly', true)
    .set('expires', 'Tue, 14 Nov 2023 22:13:30 GMT')
    .set('domain', '.example.com');
  t.is(
    m.outputString(),
    'a=b; Domain=.example.com; expires=Tue, 14 Nov 2023 22:13:30 GMT; HttpOnly; Max-Age=10; Path=/sub/; SameSite=Lax; Secure',
  );
});

test("Morsel#outputString() keeps Max-Age=0 and leaves out unset flags and '' values", (t) => {
  const m = new Morsel('c');
  m.set('max-age', 0).set('secure', false).set('path', '/').set('domain', '');
  t.is(m.outputString(), 'c=""; Max-Age=0; Path=/');
});

test('Morsel#set(attribute, value) is case-insensitive and refuses unknown attributes', (t) => {
  const m = new Morsel('a', 'b');
  m.set('Path', '/x');
  t.is(m.get('PATH'), '/x');
  t.is(m.get('domain'), '');
  t.throws(() => m.set('colour', 'red'), { instanceOf: TypeError, message: "Invalid attribute 'colour'" });
});

test('Morsel#setValue(value) re-quotes the value and keeps the attributes', (t) => {
  const m = new Morsel('a', 'b').set('path', '/');
  m.setValue('b c');
  t.is(m.value, 'b c');
  t.is(m.codedValue, '"b c"');
  t.is(m.outputString(), 'a="b c"; Path=/');
});

test('Morsel#attributes() lists the set attributes in wire order', (t) => {
  const m = new Morsel('a').set('path', '/').set('max-age', 0);
  t.deepEqual(
    [...m.attributes()],
    [
      ['max-age', 0],
      ['path', '/'],
    ],
  );
});

test('Morsel#applyOptions({ maxAge, expires: string }) keeps the given expires string', (t) => {
  const m = new Morsel('a', 'b').applyOptions({ maxAge: 10, expires: 'Fri, 01 Jan 2038 00:00:00 GMT' });
  t.is(m.outputString(), 'a=b; expires=Fri, 01 Jan 2038 00:00:00 GMT; Max-Age=10; Path=/');
});

test('Morsel#toString() is the whole Set-Cookie line', (t) => {
  t.is(String(new Morsel('a', 'b').set('path', '/')), 'Set-Cookie: a=b; Path=/');
});
