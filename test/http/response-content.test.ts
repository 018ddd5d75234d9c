import test from 'ava';
import { HttpResponse, StreamingHttpResponse } from '../../src/http/response.ts';

test('new HttpResponse(string) encodes the content with the charset', (t) => {
  const response = new HttpResponse('héllo');
  t.true(Buffer.isBuffer(response.content));
  t.deepEqual(response.content, Buffer.from('héllo', 'utf8'));
  t.is(response.text, 'héllo');
});

test('new HttpResponse(bytes) keeps Buffers and Uint8Arrays as they are', (t) => {
  t.deepEqual(new HttpResponse(Buffer.from([0xff, 0x00])).content, Buffer.from([0xff, 0x00]));
  t.deepEqual(new HttpResponse(new Uint8Array([1, 2, 3])).content, Buffer.from([1, 2, 3]));
});

test('new HttpResponse(number) stringifies it; null and no content are empty', (t) => {
  t.is(new HttpResponse(12345).text, '12345');
  t.is(new HttpResponse(null).content.length, 0);
  t.is(new HttpResponse().content.length, 0);
});

test('new HttpResponse(iterable) consumes the chunks once, so the content can be read again', (t) => {
  function* chunks() {
    yield 'abc';
    yield Buffer.from('def');
    yield 1;
  }
  const response = new HttpResponse(chunks());
  t.is(response.text, 'abcdef1');
  t.is(response.text, 'abcdef1');
  t.is(new HttpResponse(['a', 'b']).text, 'ab');
});

test('new HttpResponse(iterable) closes an iterable that has close()', (t) => {
  let closed = 0;
  const source = {
    *[Symbol.iterator]() {
      yield 'x';
    },
    close() {
      closed += 1;
    },
  };
  t.is(new HttpResponse(source).text, 'x');
  t.is(closed, 1);
});

test('new HttpResponse(string, { charset }) refuses characters the charset cannot encode', (t) => {
  t.throws(() => new HttpResponse('5 €', { charset: 'latin-1' }), {
    instanceOf: TypeError,
    message: /cannot encode '€'/,
  });
});

test('HttpResponse#content = value replaces the body and the cached text', (t) => {
  const response = new HttpResponse('old');
  t.is(response.text, 'old');
  response.content = 'new';
  t.is(response.text, 'new');
});

test('HttpResponse#text decodes with the charset', (t) => {
  const response = new HttpResponse(Buffer.from([0x63, 0xe9]), {
    contentType: 'text/plain; charset=latin-1',
  });
  t.is(response.text, 'cé');
});

test('HttpResponse#write(chunk) appends; tell() and getvalue() see it', (t) => {
  const response = new HttpResponse();
  response.write('<p>one</p>');
  response.writelines(['<p>', 'two</p>']);
  response.write(Buffer.from('é'));
  t.is(response.text, '<p>one</p><p>two</p>é');
  t.is(response.tell(), 22);
  t.deepEqual(response.getvalue(), response.content);
  t.true(response.writable());
  t.false(response.streaming);
});

test('HttpResponse[Symbol.iterator] yields the stored chunks', (t) => {
  const response = new HttpResponse('a');
  response.write('b');
  t.deepEqual(
    [...response].map((chunk) => chunk.toString()),
    ['a', 'b'],
  );
});

test('HttpResponse#serialize() is headers, CRLF CRLF, then the content', (t) => {
  t.is(new HttpResponse('hi').serialize().toString(), 'Content-Type: text/html; charset=utf-8\r\n\r\nhi');
});

test('HttpResponse#streamingContent throws: use content', (t) => {
  t.throws(() => new HttpResponse().streamingContent, {
    instanceOf: TypeError,
    message: 'This HttpResponse instance has no `streamingContent` attribute. Use `content` instead.',
  });
});

test('HttpResponse#close() runs each closer once, ignores their errors and marks the response closed', (t) => {
  const response = new HttpResponse();
  const calls: string[] = [];
  response.addCloser(() => calls.push('a'));
  response.addCloser(() => {
    throw new Error('boom');
  });
  response.addCloser(() => Promise.reject(new Error('async boom')));
  response.addCloser(() => calls.push('b'));
  t.false(response.closed);
  response.close();
  response.close();
  t.deepEqual(calls, ['a', 'b']);
  t.true(response.closed);
});

test('new StreamingHttpResponse(iterable) streams Buffers, encoding strings with the charset', async (t) => {
  const response = new StreamingHttpResponse(['hé', Buffer.from('llo'), 42], { charset: 'latin-1' });
  t.true(response.streaming);
  t.false(response.isAsync);
  const chunks: Buffer[] = [];
  for await (const chunk of response.streamingContent) chunks.push(chunk);
  t.true(chunks.every((chunk) => Buffer.isBuffer(chunk)));
  t.deepEqual(Buffer.concat(chunks), Buffer.from('héllo42', 'latin1'));
});

test('new StreamingHttpResponse(asyncIterable) streams an async source lazily', async (t) => {
  const pulled: number[] = [];
  async function* source() {
    for (let i = 0; i < 3; i++) {
      pulled.push(i);
      yield `${i},`;
    }
  }
  const response = new StreamingHttpResponse(source());
  t.true(response.isAsync);
  t.deepEqual(pulled, []);
  t.is((await response.getvalue()).toString(), '0,1,2,');
});

test('StreamingHttpResponse#streamingContent can be iterated only once', async (t) => {
  const response = new StreamingHttpResponse(['a', 'b']);
  t.is((await response.getvalue()).toString(), 'ab');
  t.is((await response.getvalue()).toString(), '');
});

test('new StreamingHttpResponse(string) sends the string as one chunk', async (t) => {
  const chunks: Buffer[] = [];
  for await (const chunk of new StreamingHttpResponse('whole')) chunks.push(chunk);
  t.deepEqual(chunks, [Buffer.from('whole')]);
});

test('new StreamingHttpResponse(notIterable) is refused', (t) => {
  t.throws(() => new StreamingHttpResponse(42 as unknown as string[]), {
    instanceOf: TypeError,
    message: /StreamingHttpResponse needs an iterable or async iterable/,
  });
});

test('StreamingHttpResponse#content and #text throw, as in Django', (t) => {
  const response = new StreamingHttpResponse(['a']);
  t.throws(() => response.content, {
    instanceOf: TypeError,
    message:
      'This StreamingHttpResponse instance has no `content` attribute. Use `streamingContent` instead.',
  });
  t.throws(
    () => {
      response.content = 'x';
    },
    { instanceOf: TypeError },
  );
  t.throws(() => response.text, { message: 'This StreamingHttpResponse instance has no `text` attribute.' });
});

test('StreamingHttpResponse#write(chunk) and #tell() are refused', (t) => {
  const response = new StreamingHttpResponse([]);
  t.throws(() => response.write('x'), {
    instanceOf: TypeError,
    message: 'This StreamingHttpResponse instance is not writable',
  });
  t.throws(() => response.writelines(['x']), {
    message: 'This StreamingHttpResponse instance is not writable',
  });
  t.throws(() => response.tell(), {
    message: 'This StreamingHttpResponse instance cannot tell its position',
  });
  t.false(response.writable());
});

test('StreamingHttpResponse#streamingContent = source replaces the stream', async (t) => {
  const response = new StreamingHttpResponse(['old']);
  response.streamingContent = ['new'];
  t.is((await response.getvalue()).toString(), 'new');
});

test('StreamingHttpResponse#close() finishes an unfinished generator source', async (t) => {
  let finalized = false;
  async function* source() {
    try {
      yield 'a';
      yield 'b';
    } finally {
      finalized = true;
    }
  }
  const response = new StreamingHttpResponse(source());
  const reader = response.streamingContent;
  t.is((await reader.next()).value?.toString(), 'a');
  response.close();
  await new Promise((resolve) => setImmediate(resolve));
  t.true(finalized);
  t.true(response.closed);
});

test("StreamingHttpResponse#close() calls the source's close()", (t) => {
  let closed = 0;
  const source = {
    *[Symbol.iterator]() {
      yield 'x';
    },
    close() {
      closed += 1;
    },
  };
  const response = new StreamingHttpResponse(source);
  response.close();
  response.close();
  t.is(closed, 1);
});
