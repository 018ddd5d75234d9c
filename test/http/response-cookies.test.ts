import test from 'ava';
import { defineSettings } from '../../src/conf/index.ts';
import { BadHeaderError } from '../../src/exceptions.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { unsignCookieValue } from '../../src/signing.ts';

/** Run `fn` with the clock frozen at `seconds` since the epoch (synchronously, then restore). */
function at<T>(seconds: number, fn: () => T): T {
  const realNow = Date.now;
  Date.now = () => seconds * 1000;
  try {
    return fn();
  } finally {
    Date.now = realNow;
  }
}

const NOW = 1700000000;

function setCookieHeader(response: HttpResponse, key: string): string | undefined {
  return response.cookies.get(key)?.outputString();
}

test('HttpResponse#setCookie(key, value) sends key=value; Path=/ [verified]', (t) => {
  const response = new HttpResponse();
  response.setCookie('a', 'b');
  t.is(setCookieHeader(response, 'a'), 'a=b; Path=/');
});

test('HttpResponse#setCookie(key) sends an empty quoted value [verified]', (t) => {
  const response = new HttpResponse();
  response.setCookie('a');
  t.is(setCookieHeader(response, 'a'), 'a=""; Path=/');
});

test('HttpResponse#setCookie(key, value) quotes values with spaces and octal-escapes ; and , [verified]', (t) => {
  const response = new HttpResponse();
  response.setCookie('a', 'b c');
  t.is(setCookieHeader(response, 'a'), 'a="b c"; Path=/');
  response.setCookie('x', 'x;y,z');
  t.is(setCookieHeader(response, 'x'), 'x="x\\073y\\054z"; Path=/');
});

test('HttpResponse#setCookie(key, value, { maxAge }) writes Max-Age and expires [verified]', (t) => {
  const response = new HttpResponse();
  at(NOW, () => response.setCookie('a', 'b', { maxAge: 10 }));
  t.is(setCookieHeader(response, 'a'), 'a=b; expires=Tue, 14 Nov 2023 22:13:30 GMT; Max-Age=10; Path=/');
});

test('HttpResponse#setCookie(key, value, { maxAge: 10.6 }) truncates Max-Age', (t) => {
  const response = new HttpResponse();
  at(NOW, () => response.setCookie('a', 'b', { maxAge: 10.6 }));
  t.is(setCookieHeader(response, 'a'), 'a=b; expires=Tue, 14 Nov 2023 22:13:30 GMT; Max-Age=10; Path=/');
});

test('HttpResponse#setCookie(key, value, { path, domain, secure, httpOnly, sameSite }) writes every attribute [verified]', (t) => {
  const response = new HttpResponse();
  response.setCookie('a', 'b', {
    path: '/sub/',
    domain: '.example.com',
    secure: true,
    httpOnly: true,
    sameSite: 'Lax',
  });
  t.is(
    setCookieHeader(response, 'a'),
    'a=b; Domain=.example.com; HttpOnly; Path=/sub/; SameSite=Lax; Secure',
  );
});

test('HttpResponse#setCookie(key, value, { path: null }) leaves Path out [verified]', (t) => {
  const response = new HttpResponse();
  response.setCookie('a', 'b', { path: null });
  t.is(setCookieHeader(response, 'a'), 'a=b');
});

test('HttpResponse#setCookie(key, value, { expires: Date }) converts the date to Max-Age and expires', (t) => {
  const response = new HttpResponse();
  // One millisecond passes between computing the date and setting the cookie, as in Django's test.
  at(NOW + 0.001, () => response.setCookie('a', 'b', { expires: new Date((NOW + 10) * 1000) }));
  t.is(setCookieHeader(response, 'a'), 'a=b; expires=Tue, 14 Nov 2023 22:13:30 GMT; Max-Age=10; Path=/');
});

test('HttpResponse#setCookie(key, value, { expires: pastDate }) sets Max-Age=0', (t) => {
  const response = new HttpResponse();
  at(NOW, () => response.setCookie('a', 'b', { expires: new Date((NOW - 3600) * 1000) }));
  t.is(response.cookies.get('a')?.get('max-age'), 0);
  t.is(response.cookies.get('a')?.get('expires'), 'Tue, 14 Nov 2023 22:13:20 GMT');
});

test('HttpResponse#setCookie(key, value, { expires: string }) sends the string verbatim', (t) => {
  const response = new HttpResponse();
  response.setCookie('a', 'b', { expires: 'Fri, 01 Jan 2038 00:00:00 GMT' });
  t.is(setCookieHeader(response, 'a'), 'a=b; expires=Fri, 01 Jan 2038 00:00:00 GMT; Path=/');
});

test('HttpResponse#setCookie(key, value, { expires: Date, maxAge }) is refused', (t) => {
  const response = new HttpResponse();
  t.throws(() => response.setCookie('a', 'b', { expires: new Date(), maxAge: 10 }), {
    instanceOf: TypeError,
    message: "'expires' and 'maxAge' can't be used together.",
  });
});

test('HttpResponse#setCookie(key, value, { sameSite }) checks the value case-insensitively and sends it as given', (t) => {
  const response = new HttpResponse();
  response.setCookie('a', 'b', { sameSite: 'strict' });
  t.is(setCookieHeader(response, 'a'), 'a=b; Path=/; SameSite=strict');
  t.throws(() => response.setCookie('c', 'd', { sameSite: 'invalid' }), {
    instanceOf: RangeError,
    message: 'samesite must be "lax", "none", or "strict".',
  });
});

test('HttpResponse#setCookie(key, value, { path, domain, expires }) refuses CR/LF and control characters with BadHeaderError', (t) => {
  const response = new HttpResponse();
  t.throws(() => response.setCookie('a', 'b', { path: '/\r\nX-Evil: 1' }), {
    instanceOf: BadHeaderError,
    message: /^Cookie attributes can't contain newlines \(got '\/\\r\\nX-Evil: 1'\)/,
  });
  t.throws(() => response.setCookie('a', 'b', { domain: 'example.com\u0001' }), {
    instanceOf: BadHeaderError,
  });
  t.throws(() => response.setCookie('a', 'b', { expires: 'Thu, 01 Jan 1970\n00:00:00 GMT' }), {
    instanceOf: BadHeaderError,
  });
  t.throws(() => response.cookies.get('a')?.set('comment', 'x\u0000'), { instanceOf: BadHeaderError });
});

test('HttpResponse#setCookie(key, value) octal-escapes CR/LF in a value and refuses characters above U+00FF', (t) => {
  const response = new HttpResponse();
  response.setCookie('a', 'v\r\nX: 1');
  t.is(setCookieHeader(response, 'a'), 'a="v\\015\\012X: 1"; Path=/');
  t.throws(() => response.setCookie('b', 'caf\u00e9 \u2020'), {
    instanceOf: BadHeaderError,
    message: /^Cookie values can't contain characters above U\+00FF/,
  });
  response.setCookie('c', 'caf\u00e9');
  t.is(setCookieHeader(response, 'c'), 'c="caf\\351"; Path=/');
});

test('HttpResponse#setCookie(key) refuses illegal cookie names', (t) => {
  const response = new HttpResponse();
  t.throws(() => response.setCookie('bad key', 'x'), {
    instanceOf: TypeError,
    message: /^Illegal key 'bad key'/,
  });
  t.is(response.cookies.size, 0);
});

test('HttpResponse#deleteCookie(key) expires the cookie in 1970 with Max-Age=0 [verified]', (t) => {
  const response = new HttpResponse();
  response.deleteCookie('c');
  t.is(setCookieHeader(response, 'c'), 'c=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/');
});

test('HttpResponse#deleteCookie(key, { path, domain }) targets the cookie that was set there', (t) => {
  const response = new HttpResponse();
  response.deleteCookie('c', { path: '/sub/', domain: '.example.com' });
  t.is(
    setCookieHeader(response, 'c'),
    'c=""; Domain=.example.com; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/sub/',
  );
});

test('HttpResponse#deleteCookie(key) adds Secure for __Secure- and __Host- names', (t) => {
  const response = new HttpResponse();
  response.deleteCookie('__Secure-c');
  response.deleteCookie('__Host-c');
  response.deleteCookie('plain');
  t.is(response.cookies.get('__Secure-c')?.get('secure'), true);
  t.is(response.cookies.get('__Host-c')?.get('secure'), true);
  t.is(response.cookies.get('plain')?.get('secure'), '');
});

test('HttpResponse#deleteCookie(key, { sameSite: "None" }) adds Secure and keeps SameSite', (t) => {
  const response = new HttpResponse();
  response.deleteCookie('c', { sameSite: 'None' });
  t.is(
    setCookieHeader(response, 'c'),
    'c=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=None; Secure',
  );
});

test('HttpResponse#setCookie(key) after deleteCookie(key) keeps Max-Age=0, as Django does [verified]', (t) => {
  const response = new HttpResponse();
  response.setCookie('c', 'old');
  response.deleteCookie('c');
  response.setCookie('c', 'new');
  t.is(setCookieHeader(response, 'c'), 'c=new; Max-Age=0; Path=/');
});

test('HttpResponse#deleteCookie(key) after setCookie(key, value, attributes) keeps the earlier attributes', (t) => {
  const response = new HttpResponse();
  response.setCookie('c', 'v', { domain: '.example.com', httpOnly: true, secure: true, sameSite: 'Lax' });
  response.deleteCookie('c');
  t.is(
    setCookieHeader(response, 'c'),
    'c=""; Domain=.example.com; expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Max-Age=0; Path=/; SameSite=Lax; Secure',
  );
});

test('HttpResponse#cookies holds one Morsel per name, in the order first set', (t) => {
  const response = new HttpResponse();
  response.setCookie('b', '1');
  response.setCookie('a', '2');
  response.setCookie('b', '3');
  t.deepEqual(
    [...response.cookies.values()].map((m) => m.outputString()),
    ['b=3; Path=/', 'a=2; Path=/'],
  );
});

const settings = defineSettings({ SECRET_KEY: 'django-insecure-test-key' });

test('HttpResponse#setSignedCookie(key, value, { settings }) signs with the cookie name as salt [verified v2]', (t) => {
  const response = new HttpResponse();
  at(123456789, () => response.setSignedCookie('c', 'hello', { settings }));
  t.is(response.cookies.get('c')?.value, 'hello:8M0kX:wnxcXOCS68Y2Nq7ONVSjIPAkhG0PLqYXJJItfpkR4Ts');
});

test('HttpResponse#setSignedCookie(key, value, { settings, salt, maxAge }) adds the salt and cookie attributes [verified v2]', (t) => {
  const response = new HttpResponse();
  at(123456789, () =>
    response.setSignedCookie('a', 'hello', { settings, salt: 'one', maxAge: 10, httpOnly: true }),
  );
  const morsel = response.cookies.get('a');
  t.is(morsel?.value, 'hello:8M0kX:APAwR08y66Eebx13WwExC0N78ev0BHbJ5QWLQHlayRg');
  t.is(morsel?.get('max-age'), 10);
  t.is(morsel?.get('httponly'), true);
});

test('HttpResponse#setSignedCookie(key, value, { settings }) round-trips through unsignCookieValue and not under another name', (t) => {
  const response = new HttpResponse();
  response.setSignedCookie('cart', '42', { settings, salt: 'shop' });
  const signed = response.cookies.get('cart')?.value ?? '';
  t.is(unsignCookieValue(settings, 'cart', signed, { salt: 'shop' }), '42');
  t.throws(() => unsignCookieValue(settings, 'carts', signed, { salt: 'hop' }));
});
