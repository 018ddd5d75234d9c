import test from 'ava';
import { decodePath, escapeUriPath, iriToUri, quote, quotePlus } from '../../src/utils/encoding.ts';

test('quote(value) percent-encodes UTF-8, keeping letters, digits, _.-~ and /', (t) => {
  t.is(quote('/a b/ç'), '/a%20b/%C3%A7');
  t.is(quote("!'()*~"), '%21%27%28%29%2A~');
  t.is(quote('AZaz09_.-~'), 'AZaz09_.-~');
  t.is(quote('€'), '%E2%82%AC');
  t.is(quote('😀'), '%F0%9F%98%80');
});

test('quote(value, safe) keeps only the given extra characters', (t) => {
  t.is(quote('a/b', ''), 'a%2Fb');
  t.is(quote('/a&b/', '/'), '/a%26b/');
  t.is(quote('a:b@c', ':@'), 'a:b@c');
});

test('quotePlus(value) turns spaces into + and encodes / by default', (t) => {
  t.is(quotePlus('x y/z'), 'x+y%2Fz');
  t.is(quotePlus('a+b&c=d'), 'a%2Bb%26c%3Dd');
  t.is(quotePlus('no-space'), 'no-space');
  t.is(quotePlus('a b', '/'), 'a+b');
  t.is(quotePlus(''), '');
});

test('iriToUri(iri) encodes non-ASCII and spaces but keeps reserved characters and escapes', (t) => {
  t.is(iriToUri('/blog/for/Jürgen Münster/'), '/blog/for/J%C3%BCrgen%20M%C3%BCnster/');
  t.is(iriToUri('red%09rosé#red'), 'red%09ros%C3%A9#red');
  t.is(
    iriToUri("locations/?q=a&b=c;d=e,f+g!h*i(j)k'l@m~n$o[p]"),
    "locations/?q=a&b=c;d=e,f+g!h*i(j)k'l@m~n$o[p]",
  );
  t.is(iriToUri('https://example.com/a b'), 'https://example.com/a%20b');
});

test("escapeUriPath(path) escapes what is unsafe in a path, keeping /:@&+$,-_.!~*'()", (t) => {
  t.is(escapeUriPath('/;some/?awful/=path/foo:bar/'), '/%3Bsome/%3Fawful/%3Dpath/foo:bar/');
  t.is(escapeUriPath('/a b/#x'), '/a%20b/%23x');
  t.is(escapeUriPath('/caf%E9/'), '/caf%25E9/');
  t.is(escapeUriPath("/@&+$,-_.!~*'()/"), "/@&+$,-_.!~*'()/");
});

test('decodePath(raw) decodes UTF-8 escapes and %2F', (t) => {
  t.is(decodePath('/caf%C3%A9/'), '/café/');
  t.is(decodePath('/a%20b%2Fc'), '/a b/c');
  t.is(decodePath('/plain/'), '/plain/');
});

test('decodePath(raw) keeps invalid UTF-8 percent-encoded (Django examples)', (t) => {
  t.is(decodePath('/caf%E9/'), '/caf%E9/');
  t.is(decodePath('/%E2%99%E2%99%A5/'), '/%E2%99♥/');
  t.is(decodePath('/%C3%A9%ED%A0%80'), '/é%ED%A0%80');
});

test('decodePath(raw) keeps malformed escapes literally', (t) => {
  t.is(decodePath('/%zz%4'), '/%zz%4');
  t.is(decodePath('/100%'), '/100%');
  t.is(decodePath('/%25zz'), '/%zz');
});

test('decodePath(raw) keeps characters outside the BMP whole next to escapes', (t) => {
  t.is(decodePath('/😀%20'), '/😀 ');
  t.is(decodePath('/%F0%9F%98%80/😀'), '/😀/😀');
});
