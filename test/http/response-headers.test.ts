import test from 'ava';
import { BadHeaderError } from '../../src/exceptions.ts';
import { HttpResponse, ResponseHeaders } from '../../src/http/response.ts';

test('new HttpResponse() sends text/html; charset=utf-8 with status 200 OK', (t) => {
  const response = new HttpResponse();
  t.is(response.statusCode, 200);
  t.is(response.reasonPhrase, 'OK');
  t.is(response.get('Content-Type'), 'text/html; charset=utf-8');
  t.is(response.charset, 'utf-8');
});

test('new HttpResponse(content, { charset }) puts the charset into the default Content-Type', (t) => {
  const response = new HttpResponse('é', { charset: 'iso-8859-1' });
  t.is(response.get('Content-Type'), 'text/html; charset=iso-8859-1');
  t.deepEqual([...response.content], [0xe9]);
});

test('new HttpResponse(content, { contentType }) takes the charset from the Content-Type, quotes removed', (t) => {
  const response = new HttpResponse('é', { contentType: 'text/plain; charset="ISO-8859-1"' });
  t.is(response.charset, 'ISO-8859-1');
  t.deepEqual([...response.content], [0xe9]);
  t.is(new HttpResponse('', { contentType: 'text/plain; charset=' }).charset, 'utf-8');
  t.is(new HttpResponse('', { contentType: 'text/plain' }).charset, 'utf-8');
});

test('new HttpResponse(content, { headers, contentType }) refuses a Content-Type given both ways', (t) => {
  t.throws(
    () => new HttpResponse('', { contentType: 'text/csv', headers: { 'content-type': 'text/plain' } }),
    {
      instanceOf: TypeError,
      message: "'headers' must not contain 'Content-Type' when the 'contentType' parameter is provided.",
    },
  );
});

test('new HttpResponse(content, { headers }) keeps a Content-Type given in headers', (t) => {
  const response = new HttpResponse('', { headers: { 'Content-Type': 'text/csv', 'X-A': 1 } });
  t.deepEqual(
    [...response.items()],
    [
      ['Content-Type', 'text/csv'],
      ['X-A', '1'],
    ],
  );
});

test('new HttpResponse(content, { headers: [[name, value]...] }) accepts pairs', (t) => {
  const response = new HttpResponse('', { headers: [['X-One', '1']] });
  t.is(response.get('x-one'), '1');
});

test('new HttpResponse(content, { status }) accepts integer-like values and checks the range', (t) => {
  t.is(new HttpResponse('', { status: '201' }).statusCode, 201);
  t.is(new HttpResponse('', { status: 404 }).statusCode, 404);
  t.throws(() => new HttpResponse('', { status: 'abc' }), {
    instanceOf: TypeError,
    message: 'HTTP status code must be an integer.',
  });
  t.throws(() => new HttpResponse('', { status: Number.NaN }), { instanceOf: TypeError });
  for (const status of [99, 600]) {
    t.throws(() => new HttpResponse('', { status }), {
      instanceOf: RangeError,
      message: 'HTTP status code must be an integer from 100 to 599.',
    });
  }
});

test('HttpResponse#reasonPhrase follows the status with Python\'s phrases, or "Unknown Status Code"', (t) => {
  t.is(new HttpResponse('', { status: 418 }).reasonPhrase, "I'm a Teapot");
  t.is(new HttpResponse('', { status: 413 }).reasonPhrase, 'Request Entity Too Large');
  t.is(new HttpResponse('', { status: 599 }).reasonPhrase, 'Unknown Status Code');
  const response = new HttpResponse();
  response.statusCode = 404;
  t.is(response.reasonPhrase, 'Not Found');
});

test('HttpResponse#reasonPhrase can be given or set', (t) => {
  const response = new HttpResponse('', { status: 200, reason: 'Fine' });
  t.is(response.reasonPhrase, 'Fine');
  response.reasonPhrase = 'Very fine';
  t.is(response.reasonPhrase, 'Very fine');
});

test('HttpResponse#set(name, value) is case-insensitive and the last spelling wins', (t) => {
  const response = new HttpResponse();
  response.set('x-foo', 'a');
  response.set('X-FOO', 'b');
  t.is(response.get('X-Foo'), 'b');
  t.true(response.has('x-FoO'));
  t.deepEqual([...response.items()].at(-1), ['X-FOO', 'b']);
});

test('HttpResponse#set(name, value) stringifies numbers and reads bytes as latin-1', (t) => {
  const response = new HttpResponse();
  response.set('Content-Length', 14);
  response.set('X-Bytes', Buffer.from([0x63, 0xe9]));
  t.is(response.get('Content-Length'), '14');
  t.is(response.get('X-Bytes'), 'cé');
});

test('HttpResponse#set(name, value) keeps latin-1 values and MIME-encodes others', (t) => {
  const response = new HttpResponse();
  response.set('X-Latin', 'café');
  response.set('X-Dagger', '†');
  t.is(response.get('X-Latin'), 'café');
  t.is(response.get('X-Dagger'), '=?utf-8?b?4oCg?=');
});

test('HttpResponse#set(name, value) refuses newlines with BadHeaderError', (t) => {
  const response = new HttpResponse();
  t.throws(() => response.set('X-Test', 'test\nstr'), {
    instanceOf: BadHeaderError,
    message: "Header values can't contain newlines (got 'test\\nstr')",
  });
  t.throws(() => response.set('X-Test', 'test\r†'), { instanceOf: BadHeaderError });
  t.throws(() => response.set('X-Test\r\nSet-Cookie', 'a'), { instanceOf: BadHeaderError });
  t.false(response.has('X-Test'));
});

test('HttpResponse#set(name, value) refuses other control characters with BadHeaderError (Node cannot send them)', (t) => {
  const response = new HttpResponse();
  t.throws(() => response.set('X-Test', 'a\u0000b'), {
    instanceOf: BadHeaderError,
    message: /^Header values can't contain control characters \(got 'a\\x00b'\)/,
  });
  t.throws(() => response.set('X-Test', 'a\u007fb'), { instanceOf: BadHeaderError });
  t.throws(() => response.set('X-Test', 'esc\u001b[0m'), { instanceOf: BadHeaderError });
  t.throws(() => response.set('X-Test', Buffer.from([0x61, 0x01])), { instanceOf: BadHeaderError });
  t.false(response.has('X-Test'));
  // Tab is allowed; a value that is MIME-encoded carries no control character on the wire.
  response.set('X-Tab', 'a\tb');
  response.set('X-Dagger', '\u2020\u0000');
  t.is(response.get('X-Tab'), 'a\tb');
  t.is(response.get('X-Dagger'), '=?utf-8?b?4oCgAA==?=');
});

test('new HttpResponse(content, { reason }) and HttpResponse#reasonPhrase refuse CR/LF, control and non-latin-1 characters', (t) => {
  t.throws(() => new HttpResponse('', { reason: 'OK\r\nX-Evil: 1' }), {
    instanceOf: BadHeaderError,
    message: /^Reason phrases can't contain newlines/,
  });
  const response = new HttpResponse('', { reason: 'Fine\tthanks' });
  t.throws(
    () => {
      response.reasonPhrase = 'Fine\u0001';
    },
    { instanceOf: BadHeaderError },
  );
  t.throws(
    () => {
      response.reasonPhrase = 'Fine \u2713';
    },
    { instanceOf: BadHeaderError },
  );
  t.is(response.reasonPhrase, 'Fine\tthanks');
});

test('HttpResponse#set(name, value) refuses header names that are not ASCII tokens', (t) => {
  const response = new HttpResponse();
  t.throws(() => response.set('X-Naïve', 'x'), {
    instanceOf: BadHeaderError,
    message: /Invalid header name 'X-Naïve'/,
  });
  t.throws(() => response.set('X Foo', 'x'), { instanceOf: BadHeaderError });
  t.throws(() => response.set('', 'x'), { instanceOf: BadHeaderError });
});

test('HttpResponse#get(name, alternate) returns the alternate for a missing header', (t) => {
  const response = new HttpResponse();
  t.is(response.get('X-Missing'), undefined);
  t.is(response.get('X-Missing', 'dflt'), 'dflt');
});

test('HttpResponse#delete(name) removes a header; a missing one is a no-op', (t) => {
  const response = new HttpResponse();
  t.true(response.delete('content-type'));
  t.false(response.has('Content-Type'));
  t.false(response.delete('X-Missing'));
});

test('HttpResponse#setDefault(name, value) sets only a missing header', (t) => {
  const response = new HttpResponse();
  t.is(response.setDefault('Content-Type', 'text/plain'), 'text/html; charset=utf-8');
  t.is(response.setDefault('Vary', 'Cookie'), 'Cookie');
  t.is(response.get('Vary'), 'Cookie');
});

test('ResponseHeaders is iterable as [name, value] pairs and copyable', (t) => {
  const headers = new ResponseHeaders({ 'content-type': 'text/plain' });
  headers.set('Content-Type', 'text/csv');
  const copy = new ResponseHeaders(headers);
  t.deepEqual([...copy], [['Content-Type', 'text/csv']]);
  t.is(copy.size, 1);
});

test('HttpResponse#serializeHeaders() joins the headers with CRLF, without cookies', (t) => {
  const response = new HttpResponse('', { headers: { 'X-A': 'é' } });
  response.setCookie('a', 'b');
  t.deepEqual(
    response.serializeHeaders(),
    Buffer.from('X-A: é\r\nContent-Type: text/html; charset=utf-8', 'latin1'),
  );
});

test("HttpResponse#toString() reads like Django's repr", (t) => {
  t.is(
    String(new HttpResponse('', { status: 404 })),
    '<HttpResponse status_code=404, "text/html; charset=utf-8">',
  );
  const bare = new HttpResponse();
  bare.delete('Content-Type');
  t.is(String(bare), '<HttpResponse status_code=200>');
});
