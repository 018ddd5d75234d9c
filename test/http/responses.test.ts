import test from 'ava';
import { DisallowedRedirect } from '../../src/exceptions.ts';
import {
  djangoJsonEncoder,
  HttpResponseBadRequest,
  HttpResponseForbidden,
  HttpResponseGone,
  HttpResponseNotAllowed,
  HttpResponseNotFound,
  HttpResponseNotModified,
  HttpResponsePermanentRedirect,
  HttpResponseRedirect,
  HttpResponseServerError,
  JsonResponse,
} from '../../src/http/responses.ts';

test('new HttpResponseRedirect(url) is a 302 with Location and url', (t) => {
  const response = new HttpResponseRedirect('/login/?next=/cart/');
  t.is(response.statusCode, 302);
  t.is(response.reasonPhrase, 'Found');
  t.is(response.get('Location'), '/login/?next=/cart/');
  t.is(response.url, '/login/?next=/cart/');
  t.is(response.content.length, 0);
});

test('new HttpResponseRedirect(url) IRI-encodes the Location', (t) => {
  const response = new HttpResponseRedirect('/blog/for/Jürgen Münster/');
  t.is(response.url, '/blog/for/J%C3%BCrgen%20M%C3%BCnster/');
  t.is(new HttpResponseRedirect(new URL('https://example.com/a b')).url, 'https://example.com/a%20b');
});

test('new HttpResponseRedirect(url, { preserveRequest: true }) is a 307', (t) => {
  t.is(new HttpResponseRedirect('/x/', { preserveRequest: true }).statusCode, 307);
});

test('new HttpResponsePermanentRedirect(url) is a 301, or a 308 with preserveRequest', (t) => {
  const response = new HttpResponsePermanentRedirect('https://example.com/new/');
  t.is(response.statusCode, 301);
  t.is(response.reasonPhrase, 'Moved Permanently');
  t.is(response.url, 'https://example.com/new/');
  t.is(new HttpResponsePermanentRedirect('/x/', { preserveRequest: true }).statusCode, 308);
});

test('new HttpResponseRedirect(url) refuses schemes other than http, https and ftp with DisallowedRedirect', (t) => {
  t.throws(() => new HttpResponseRedirect('javascript:alert(1)'), {
    instanceOf: DisallowedRedirect,
    message: "Unsafe redirect to URL with protocol 'javascript'",
  });
  t.throws(() => new HttpResponseRedirect('JavaScript:alert(1)'), {
    message: "Unsafe redirect to URL with protocol 'javascript'",
  });
  t.throws(() => new HttpResponseRedirect(' \tjava\nscript:alert(1)'), {
    message: "Unsafe redirect to URL with protocol 'javascript'",
  });
  t.throws(() => new HttpResponsePermanentRedirect('data:text/html,<script>x</script>'), {
    message: "Unsafe redirect to URL with protocol 'data'",
  });
  t.throws(() => new HttpResponseRedirect('mailto:a@example.com'), { instanceOf: DisallowedRedirect });
});

test('new HttpResponseRedirect(url) allows http, https, ftp, relative and scheme-relative URLs, as Django', (t) => {
  for (const url of [
    'http://a.example/',
    'HTTPS://a.example/',
    'ftp://a.example/f',
    '/local/',
    'page?x=1',
    '//evil.com',
  ]) {
    t.is(new HttpResponseRedirect(url).url, url);
  }
});

test('new HttpResponseRedirect(url) refuses URLs longer than 16384 characters', (t) => {
  t.notThrows(() => new HttpResponseRedirect(`/${'a'.repeat(16383)}`));
  t.throws(() => new HttpResponseRedirect(`/${'a'.repeat(16384)}`), {
    instanceOf: DisallowedRedirect,
    message: 'Unsafe redirect exceeding 16384 characters',
  });
});

test('new HttpResponseNotModified() is a 304 without Content-Type or content', (t) => {
  const response = new HttpResponseNotModified();
  t.is(response.statusCode, 304);
  t.false(response.has('Content-Type'));
  t.is(response.content.length, 0);
  response.content = '';
  t.is(response.content.length, 0);
});

test('HttpResponseNotModified#content = nonEmpty is refused', (t) => {
  const response = new HttpResponseNotModified();
  t.throws(
    () => {
      response.content = 'x';
    },
    { instanceOf: TypeError, message: 'You cannot set content to a 304 (Not Modified) response' },
  );
});

test('new HttpResponseBadRequest / NotFound / Forbidden / Gone / ServerError(content) have their status', (t) => {
  const cases = [
    [new HttpResponseBadRequest('bad'), 400, 'Bad Request'],
    [new HttpResponseNotFound('<h1>No such caller</h1>'), 404, 'Not Found'],
    [new HttpResponseForbidden('no'), 403, 'Forbidden'],
    [new HttpResponseGone(), 410, 'Gone'],
    [new HttpResponseServerError('oops'), 500, 'Internal Server Error'],
  ] as const;
  for (const [response, status, reason] of cases) {
    t.is(response.statusCode, status);
    t.is(response.reasonPhrase, reason);
  }
  t.is(cases[1][0].text, '<h1>No such caller</h1>');
  t.is(String(cases[0][0]), '<HttpResponseBadRequest status_code=400, "text/html; charset=utf-8">');
});

test('new HttpResponseNotFound(content, { status }) lets the status be overridden', (t) => {
  t.is(new HttpResponseNotFound('', { status: 410 }).statusCode, 410);
});

test('new HttpResponseNotAllowed(methods) is a 405 with Allow joined by ", "', (t) => {
  const response = new HttpResponseNotAllowed(['GET', 'POST']);
  t.is(response.statusCode, 405);
  t.is(response.get('Allow'), 'GET, POST');
  t.is(new HttpResponseNotAllowed(['get', 'head'], 'Only reads').get('Allow'), 'GET, HEAD');
  t.is(new HttpResponseNotAllowed(['get'], 'Only reads').text, 'Only reads');
});

test('new JsonResponse(data) serialises like Django byte for byte [verified]', (t) => {
  const response = new JsonResponse({ a: 1, b: [1, 2], c: 'é' });
  t.deepEqual(response.content, Buffer.from('{"a": 1, "b": [1, 2], "c": "\\u00e9"}'));
  t.is(response.get('Content-Type'), 'application/json');
  t.is(response.statusCode, 200);
});

test('new JsonResponse(nonObject) is refused unless safe is false', (t) => {
  for (const data of [[1, 2], 'x', 1, null, new Map()]) {
    t.throws(() => new JsonResponse(data), {
      instanceOf: TypeError,
      message: 'In order to allow non-dict objects to be serialized set the safe parameter to False.',
    });
  }
  t.is(new JsonResponse([1, 'a'], { safe: false }).text, '[1, "a"]');
  t.is(new JsonResponse(null, { safe: false }).text, 'null');
});

test('new JsonResponse(data) writes Dates like DjangoJSONEncoder, bigints as numbers, and drops undefined', (t) => {
  const response = new JsonResponse({
    at: new Date(Date.UTC(2023, 10, 14, 22, 13, 20)),
    ms: new Date(Date.UTC(2023, 10, 14, 22, 13, 20, 123)),
    big: 12345678901234567890n,
    gone: undefined,
    list: [undefined],
  });
  t.is(
    response.text,
    '{"at": "2023-11-14T22:13:20Z", "ms": "2023-11-14T22:13:20.123Z", "big": 12345678901234567890, "list": [null]}',
  );
});

test('new JsonResponse(data) names the value JSON cannot hold and the fixes', (t) => {
  t.throws(() => new JsonResponse({ tags: new Set(['a']) }), {
    instanceOf: TypeError,
    message: /^Object of type Set is not JSON serializable\. .*encoder/,
  });
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  t.throws(() => new JsonResponse(loop), { instanceOf: TypeError, message: /Circular reference/ });
});

test('new JsonResponse(data, { encoder }) converts values JSON cannot hold', (t) => {
  class Money {
    constructor(readonly cents: number) {}
  }
  const encoder = (value: object) =>
    value instanceof Money ? `${value.cents / 100} EUR` : djangoJsonEncoder(value);
  t.is(
    new JsonResponse({ price: new Money(250), at: new Date(0) }, { encoder }).text,
    '{"price": "2.5 EUR", "at": "1970-01-01T00:00:00Z"}',
  );
});

test('new JsonResponse(data, { jsonDumpsParams: { indent } }) pretty-prints like Python', (t) => {
  t.is(
    new JsonResponse({ a: [1, { b: 2 }], c: {} }, { jsonDumpsParams: { indent: 2 } }).text,
    '{\n  "a": [\n    1,\n    {\n      "b": 2\n    }\n  ],\n  "c": {}\n}',
  );
});

test('new JsonResponse(data, { jsonDumpsParams: { sortKeys, separators, ensureAscii } }) passes them on', (t) => {
  t.is(
    new JsonResponse(
      { b: 1, a: 'é' },
      { jsonDumpsParams: { sortKeys: true, separators: [',', ':'], ensureAscii: false } },
    ).text,
    '{"a":"é","b":1}',
  );
});

test('new JsonResponse(data, { contentType, status }) overrides the defaults', (t) => {
  const response = new JsonResponse({}, { contentType: 'application/vnd.api+json', status: 201 });
  t.is(response.get('Content-Type'), 'application/vnd.api+json');
  t.is(response.statusCode, 201);
});

test("new JsonResponse(data, { headers: { 'Content-Type' } }) conflicts with the default contentType, as in Django", (t) => {
  t.throws(() => new JsonResponse({}, { headers: { 'Content-Type': 'text/plain' } }), {
    instanceOf: TypeError,
  });
});
