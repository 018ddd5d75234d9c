import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import test from 'ava';
import { defineSettings, type SettingsInput } from '../../src/conf/index.ts';
import {
  BadRequest,
  MultiPartParserError,
  RawPostDataException,
  RequestDataTooBig,
  UnreadablePostError,
} from '../../src/exceptions.ts';
import { emptyBody, multipartBoundary, RequestBody, readBody } from '../../src/http/body.ts';
import { TemporaryUploadedFile } from '../../src/http/uploads.ts';

const settings = (input: SettingsInput = {}) => defineSettings({ SECRET_KEY: 'test', ...input });

function read(
  bytes: Buffer | string,
  headers: Record<string, string>,
  input: SettingsInput = {},
  method = 'POST',
) {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  return readBody(Readable.from([data]), { method, headers, settings: settings(input) });
}

/** A stream that fails the test if anything reads it. */
function untouchable(): Readable & { touched: boolean } {
  const stream = new Readable({
    read() {
      stream.touched = true;
      this.push(null);
    },
  }) as Readable & { touched: boolean };
  stream.touched = false;
  return stream;
}

test('emptyBody() has no bytes, no error, no multipart data', (t) => {
  const body = emptyBody();
  t.is(body.bytes().length, 0);
  t.is(body.error, null);
  t.false(body.streamed);
  t.is(body.multipart(), null);
});

test('RequestBody.fromBytes(bytes) answers exactly those bytes', (t) => {
  const bytes = Buffer.from([0, 1, 2, 255]);
  t.is(RequestBody.fromBytes(bytes).bytes(), bytes);
});

test('RequestBody.failed(error) throws the error from bytes(); streamed: RawPostDataException', (t) => {
  const error = new RequestDataTooBig('too big');
  t.is(
    t.throws(() => RequestBody.failed(error).bytes()),
    error,
  );
  const streamed = RequestBody.failed(error, { streamed: true });
  t.throws(() => streamed.bytes(), { instanceOf: RawPostDataException });
  t.is(
    t.throws(() => streamed.multipart()),
    error,
  );
});

test('readBody(stream, init) reads nothing without Content-Length or Transfer-Encoding', async (t) => {
  const stream = untouchable();
  const body = await readBody(stream, { method: 'POST', headers: {}, settings: settings() });
  t.is(body.bytes().length, 0);
  t.false(stream.touched);
});

test('readBody(stream, init) with Content-Length: 0 is empty', async (t) => {
  const body = await read('', { 'content-length': '0', 'content-type': 'text/plain' });
  t.is(body.bytes().length, 0);
});

test('readBody(stream, init) keeps the exact bytes of a body', async (t) => {
  const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xe9]);
  const body = await read(bytes, { 'content-length': '5', 'content-type': 'application/octet-stream' });
  t.deepEqual(body.bytes(), bytes);
  t.false(body.streamed);
});

test('readBody(stream, init) reads a chunked body without Content-Length', async (t) => {
  const stream = Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]);
  const body = await readBody(stream, {
    method: 'PUT',
    headers: { 'transfer-encoding': 'chunked', 'content-type': 'application/json' },
    settings: settings(),
  });
  t.is(body.bytes().toString(), '{"a":1}');
});

test('readBody(stream, init) refuses a Content-Length over DATA_UPLOAD_MAX_MEMORY_SIZE without reading', async (t) => {
  const stream = untouchable();
  const body = await readBody(stream, {
    method: 'POST',
    headers: { 'content-length': '101', 'content-type': 'application/json' },
    settings: settings({ DATA_UPLOAD_MAX_MEMORY_SIZE: 100 }),
  });
  t.false(stream.touched);
  const error = t.throws(() => body.bytes(), { instanceOf: RequestDataTooBig });
  t.is(error?.status, 400);
  t.is(
    error?.message,
    'Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE (100 bytes). Raise the setting if such bodies are expected.',
  );
});

test("readBody(stream, init) names Django's default limit (2621440 bytes) in the message", async (t) => {
  const body = await read('x', { 'content-length': String(2621441) });
  t.throws(() => body.bytes(), {
    message:
      'Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE (2621440 bytes). Raise the setting if such bodies are expected.',
  });
});

test('readBody(stream, init) accepts a body exactly at the limit', async (t) => {
  const body = await read('x'.repeat(100), { 'content-length': '100' }, { DATA_UPLOAD_MAX_MEMORY_SIZE: 100 });
  t.is(body.bytes().length, 100);
});

test('readBody(stream, init) stops a streamed body that grows over the limit', async (t) => {
  const chunks = Array.from({ length: 50 }, () => Buffer.alloc(10, 0x61));
  const body = await readBody(Readable.from(chunks), {
    method: 'POST',
    headers: { 'transfer-encoding': 'chunked' },
    settings: settings({ DATA_UPLOAD_MAX_MEMORY_SIZE: 100 }),
  });
  t.throws(() => body.bytes(), { instanceOf: RequestDataTooBig });
});

test('readBody(stream, init) reads without limit when DATA_UPLOAD_MAX_MEMORY_SIZE is null', async (t) => {
  const body = await read(
    'x'.repeat(5000),
    { 'content-length': '5000' },
    { DATA_UPLOAD_MAX_MEMORY_SIZE: null },
  );
  t.is(body.bytes().length, 5000);
});

test('readBody(stream, init) records UnreadablePostError when the stream fails', async (t) => {
  const stream = new Readable({
    read() {
      this.push(Buffer.from('abc'));
      this.destroy(new Error('socket hang up'));
    },
  });
  const body = await readBody(stream, {
    method: 'POST',
    headers: { 'content-length': '10' },
    settings: settings(),
  });
  const error = t.throws(() => body.bytes(), { instanceOf: UnreadablePostError });
  t.is(error?.status, 400);
  t.regex(error?.message ?? '', /socket hang up/);
});

test('readBody(stream, init) records UnreadablePostError when the client aborts', async (t) => {
  const stream = new Readable({ read() {} });
  const pending = readBody(stream, {
    method: 'POST',
    headers: { 'content-length': '10' },
    settings: settings(),
  });
  stream.push(Buffer.from('abc'));
  setImmediate(() => stream.emit('aborted'));
  const body = await pending;
  t.throws(() => body.bytes(), { instanceOf: UnreadablePostError });
});

test('readBody(stream, init) records UnreadablePostError for fewer bytes than Content-Length', async (t) => {
  const body = await read('abc', { 'content-length': '10' });
  t.throws(() => body.bytes(), { instanceOf: UnreadablePostError });
});

test('readBody(stream, init) records BadRequest for a malformed Content-Length', async (t) => {
  for (const length of ['abc', '-1', '1.5']) {
    const body = await read('abc', { 'content-length': length });
    const error = t.throws(() => body.bytes(), { instanceOf: BadRequest });
    t.is(error?.status, 400);
  }
});

test('multipartBoundary(contentType) answers a valid boundary', (t) => {
  t.is(multipartBoundary('multipart/form-data; boundary=----x'), '----x');
  t.is(multipartBoundary('multipart/form-data; boundary="a b"'), 'a b');
});

test('multipartBoundary(contentType) refuses bad content types with MultiPartParserError', (t) => {
  const cases: [string, RegExp][] = [
    ['multipart/form-data', /^Invalid boundary in multipart: None\./],
    ['multipart/form-data; boundary=', /^Invalid boundary in multipart: \./],
    [
      'multipart/form-data; boundary="ends with space "',
      /^Invalid boundary in multipart: ends with space \./,
    ],
    [`multipart/form-data; boundary=${'x'.repeat(202)}`, /^Invalid boundary in multipart/],
    ['multipart/form-data; boundary=caf\u00e9', /^Invalid non-ASCII Content-Type in multipart/],
    ['MULTIPART/FORM-DATA; boundary=x', /^Invalid Content-Type: MULTIPART\/FORM-DATA/],
  ];
  for (const [contentType, message] of cases) {
    const error = t.throws(() => multipartBoundary(contentType), {
      instanceOf: MultiPartParserError,
      message,
    });
    t.is(error?.status, 400);
  }
});

test('RequestBody#close() deletes temporary upload files and never rejects', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kd-body-test-'));
  const raw = [
    '--B',
    'Content-Disposition: form-data; name="f"; filename="big.bin"',
    '',
    'x'.repeat(200),
    '--B--',
    '',
  ].join('\r\n');
  const body = await read(
    raw,
    { 'content-type': 'multipart/form-data; boundary=B', 'content-length': String(raw.length) },
    { FILE_UPLOAD_MAX_MEMORY_SIZE: 10, FILE_UPLOAD_TEMP_DIR: dir },
  );
  const file = body.multipart()?.files[0]?.file;
  t.true(file instanceof TemporaryUploadedFile);
  const path = (file as TemporaryUploadedFile).temporaryFilePath();
  t.true(path.startsWith(dir));
  t.true(existsSync(path));
  await body.close();
  t.false(existsSync(path));
  await t.notThrowsAsync(() => body.close());
  t.deepEqual(await readdir(dir), []);
  await rm(dir, { recursive: true });
});

test('readBody(stream, init) records UnreadablePostError when the stream just closes midway', async (t) => {
  const stream = new Readable({ read() {} });
  const pending = readBody(stream, {
    method: 'POST',
    headers: { 'content-length': '10' },
    settings: settings(),
  });
  stream.push(Buffer.from('abc'));
  setImmediate(() => stream.destroy());
  const body = await pending;
  t.throws(() => body.bytes(), {
    instanceOf: UnreadablePostError,
    message: /closed before the body was complete/,
  });
});
