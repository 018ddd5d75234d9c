import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import test from 'ava';
import fc from 'fast-check';
import { defineSettings, type SettingsInput } from '../../src/conf/index.ts';
import {
  MultiPartParserError,
  RawPostDataException,
  RequestDataTooBig,
  TooManyFieldsSent,
  TooManyFilesSent,
  UnreadablePostError,
} from '../../src/exceptions.ts';
import { type RequestBody, readBody } from '../../src/http/body.ts';
import { InMemoryUploadedFile, TemporaryUploadedFile } from '../../src/http/uploads.ts';

type Part = { headers: string[]; body: string | Buffer };

const field = (name: string, value: string): Part => ({
  headers: [`Content-Disposition: form-data; name="${name}"`],
  body: value,
});
const file = (name: string, filename: string, content: string | Buffer, type = 'text/plain'): Part => ({
  headers: [
    `Content-Disposition: form-data; name="${name}"; filename="${filename}"`,
    `Content-Type: ${type}`,
  ],
  body: content,
});

/** A multipart body; strings are latin-1 so each char is one byte. */
function form(parts: Part[], boundary = 'B', epilogue = '\r\n'): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(
      Buffer.from(`--${boundary}\r\n${part.headers.map((h) => `${h}\r\n`).join('')}\r\n`, 'latin1'),
    );
    chunks.push(
      typeof part.body === 'string' ? Buffer.from(part.body, 'latin1') : part.body,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--${epilogue}`, 'latin1'));
  return Buffer.concat(chunks);
}

const settings = (input: SettingsInput = {}) => defineSettings({ SECRET_KEY: 'test', ...input });

function parse(
  bytes: Buffer,
  input: SettingsInput = {},
  chunks?: Buffer[],
  boundary = 'B',
): Promise<RequestBody> {
  return readBody(Readable.from(chunks ?? [bytes]), {
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(bytes.length),
    },
    settings: settings(input),
  });
}

function fields(body: RequestBody): [string, string][] {
  return (body.multipart()?.fields ?? []).map(({ name, value }) => [name, value.toString('latin1')]);
}

test('readBody(multipart) parses fields and in-memory files', async (t) => {
  const body = await parse(
    form([
      field('title', 'Hello'),
      file('doc', 'a.txt', 'content', 'text/plain; charset=utf-8'),
      field('title', 'Again'),
    ]),
  );
  t.true(body.streamed);
  t.deepEqual(fields(body), [
    ['title', 'Hello'],
    ['title', 'Again'],
  ]);
  const files = body.multipart()?.files ?? [];
  t.is(files.length, 1);
  const upload = files[0]?.file as InMemoryUploadedFile;
  t.true(upload instanceof InMemoryUploadedFile);
  t.is(upload.name, 'a.txt');
  t.is(upload.fieldName, 'doc');
  t.is(upload.size, 7);
  t.is(upload.contentType, 'text/plain');
  t.is(upload.charset, 'utf-8');
  t.deepEqual(upload.contentTypeExtra, { charset: 'utf-8' });
  t.is(upload.buffer.toString(), 'content');
});

test('readBody(multipart) makes request.body unavailable (RawPostDataException)', async (t) => {
  const body = await parse(form([field('a', '1')]));
  t.throws(() => body.bytes(), {
    instanceOf: RawPostDataException,
    message:
      "You cannot access body after reading from request's data stream: multipart/form-data bodies are streamed into request.POST and request.FILES.",
  });
});

test('readBody(multipart) keeps field names and values as raw bytes', async (t) => {
  const utf8 = Buffer.from('café', 'utf8').toString('latin1');
  const body = await parse(form([field(utf8, utf8), field('latin', '\u00e9')]));
  const [first, second] = body.multipart()?.fields ?? [];
  t.is(first?.name, utf8);
  t.deepEqual(first?.value, Buffer.from('café', 'utf8'));
  t.deepEqual(second?.value, Buffer.from([0xe9]));
});

test('readBody(multipart) keeps binary file content byte for byte', async (t) => {
  const content = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const body = await parse(
    form([file('bin', 'all.bin', Buffer.concat([content, Buffer.from('\r\n--A'), content]))]),
  );
  const upload = body.multipart()?.files[0]?.file as InMemoryUploadedFile;
  t.deepEqual(upload.buffer, Buffer.concat([content, Buffer.from('\r\n--A'), content]));
});

test('readBody(multipart) spools files over FILE_UPLOAD_MAX_MEMORY_SIZE to FILE_UPLOAD_TEMP_DIR', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kd-multipart-test-'));
  const big = Buffer.alloc(5000, 0x62);
  const body = await parse(
    form([file('small', 's.txt', 'tiny'), file('big', 'report.pdf', big, 'application/pdf')]),
    {
      FILE_UPLOAD_MAX_MEMORY_SIZE: 1000,
      FILE_UPLOAD_TEMP_DIR: dir,
    },
  );
  const [small, large] = (body.multipart()?.files ?? []).map((f) => f.file);
  t.true(small instanceof InMemoryUploadedFile);
  t.true(large instanceof TemporaryUploadedFile);
  const path = (large as TemporaryUploadedFile).temporaryFilePath();
  t.true(path.startsWith(dir));
  t.true(path.endsWith('.upload.pdf'));
  t.is(large?.size, 5000);
  t.deepEqual(await large?.read(), big);
  await body.close();
  t.false(existsSync(path));
  await rm(dir, { recursive: true });
});

test('readBody(multipart) does not count file bytes against DATA_UPLOAD_MAX_MEMORY_SIZE', async (t) => {
  const body = await parse(form([file('f', 'f.bin', Buffer.alloc(1000, 1))]), {
    DATA_UPLOAD_MAX_MEMORY_SIZE: 100,
  });
  t.is(body.multipart()?.files[0]?.file.size, 1000);
});

test('readBody(multipart) counts field value + name length + 2 against DATA_UPLOAD_MAX_MEMORY_SIZE', async (t) => {
  // name "a" (1) + value (7) + 2 = 10 bytes per field.
  const ok = await parse(form([field('a', 'x'.repeat(7)), field('a', 'x'.repeat(7))]), {
    DATA_UPLOAD_MAX_MEMORY_SIZE: 20,
  });
  t.is(fields(ok).length, 2);
  const over = await parse(form([field('a', 'x'.repeat(7)), field('a', 'x'.repeat(8))]), {
    DATA_UPLOAD_MAX_MEMORY_SIZE: 20,
  });
  const error = t.throws(() => over.multipart(), { instanceOf: RequestDataTooBig });
  t.is(error?.status, 400);
  t.regex(error?.message ?? '', /DATA_UPLOAD_MAX_MEMORY_SIZE \(20 bytes\)/);
  t.throws(() => over.bytes(), { instanceOf: RawPostDataException });
});

test('readBody(multipart) stops a single huge field at the limit', async (t) => {
  const body = await parse(form([field('a', 'x'.repeat(10_000))]), { DATA_UPLOAD_MAX_MEMORY_SIZE: 100 });
  t.throws(() => body.multipart(), { instanceOf: RequestDataTooBig });
});

test('readBody(multipart) allows DATA_UPLOAD_MAX_NUMBER_FIELDS fields (Django counts the preamble and epilogue: +2)', async (t) => {
  const twoFields = form([field('name1', 'value1'), field('name2', 'value2')], 'boundary', '');
  const ok = await parse(twoFields, { DATA_UPLOAD_MAX_NUMBER_FIELDS: 2 }, undefined, 'boundary');
  t.is(fields(ok).length, 2);
  const over = await parse(twoFields, { DATA_UPLOAD_MAX_NUMBER_FIELDS: 1 }, undefined, 'boundary');
  const error = t.throws(() => over.multipart(), { instanceOf: TooManyFieldsSent });
  t.is(error?.status, 400);
  t.regex(error?.message ?? '', /DATA_UPLOAD_MAX_NUMBER_FIELDS \(1\)/);
});

test('readBody(multipart) does not count files as fields', async (t) => {
  const body = await parse(form([file('a', 'a.txt', '1'), file('b', 'b.txt', '2'), field('c', '3')]), {
    DATA_UPLOAD_MAX_NUMBER_FIELDS: 1,
  });
  t.is(body.multipart()?.files.length, 2);
});

test('readBody(multipart) refuses more than DATA_UPLOAD_MAX_NUMBER_FILES files with TooManyFilesSent', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kd-multipart-test-'));
  const parts = [1, 2, 3].map((i) => file('f', `${i}.txt`, 'x'.repeat(50)));
  const ok = await parse(form(parts), { DATA_UPLOAD_MAX_NUMBER_FILES: 3 });
  t.is(ok.multipart()?.files.length, 3);
  const over = await parse(form(parts), {
    DATA_UPLOAD_MAX_NUMBER_FILES: 2,
    FILE_UPLOAD_MAX_MEMORY_SIZE: 10,
    FILE_UPLOAD_TEMP_DIR: dir,
  });
  const error = t.throws(() => over.multipart(), { instanceOf: TooManyFilesSent });
  t.is(error?.status, 400);
  t.regex(error?.message ?? '', /DATA_UPLOAD_MAX_NUMBER_FILES \(2\)/);
  // Files already spooled were deleted.
  const { readdir } = await import('node:fs/promises');
  t.deepEqual(await readdir(dir), []);
  await rm(dir, { recursive: true });
});

test('readBody(multipart) sanitises file names and ignores "", ".", ".."', async (t) => {
  const body = await parse(
    form([
      file('a', '../../etc/passwd', '1'),
      file('b', 'C:\\Users\\me\\photo.jpg', '2'),
      file('c', '..', '3'),
      file('d', '&#x2F;..', '4'),
      file('e', 'x&#x2F;y.txt', '5'),
    ]),
  );
  const names = (body.multipart()?.files ?? []).map((f) => [f.file.fieldName, f.file.name]);
  t.deepEqual(names, [
    ['a', 'passwd'],
    ['b', 'photo.jpg'],
    ['e', 'y.txt'],
  ]);
});

test('readBody(multipart) treats filename="" and octet-stream parts without filename as fields', async (t) => {
  const body = await parse(
    form([
      { headers: ['Content-Disposition: form-data; name="empty"; filename=""'], body: '' },
      {
        headers: ['Content-Disposition: form-data; name="raw"', 'Content-Type: application/octet-stream'],
        body: 'bytes',
      },
    ]),
  );
  t.deepEqual(fields(body), [
    ['empty', ''],
    ['raw', 'bytes'],
  ]);
  t.is(body.multipart()?.files.length, 0);
});

test('readBody(multipart) skips parts without a name or without Content-Disposition', async (t) => {
  const body = await parse(
    form([
      { headers: ['Content-Disposition: form-data'], body: 'no name' },
      { headers: ['Content-Type: text/plain'], body: 'no disposition' },
      field('kept', 'yes'),
    ]),
  );
  t.deepEqual(fields(body), [['kept', 'yes']]);
});

test('readBody(multipart) decodes Content-Transfer-Encoding: base64 fields and files', async (t) => {
  const body = await parse(
    form([
      {
        headers: ['Content-Disposition: form-data; name="f"', 'Content-Transfer-Encoding: base64'],
        body: 'aGVsbG8=',
      },
      {
        headers: ['Content-Disposition: form-data; name="bad"', 'Content-Transfer-Encoding: base64'],
        body: 'not base64!',
      },
      {
        headers: [
          'Content-Disposition: form-data; name="up"; filename="a.bin"',
          'Content-Transfer-Encoding: base64',
        ],
        body: 'AAEC\r\n/w==',
      },
    ]),
  );
  t.deepEqual(fields(body), [
    ['f', 'hello'],
    ['bad', 'not base64!'],
  ]);
  t.deepEqual(
    (body.multipart()?.files[0]?.file as InMemoryUploadedFile | undefined)?.buffer,
    Buffer.from([0, 1, 2, 0xff]),
  );
});

test('readBody(multipart) refuses a base64 file that does not decode (MultiPartParserError)', async (t) => {
  const body = await parse(
    form([
      {
        headers: [
          'Content-Disposition: form-data; name="up"; filename="a.bin"',
          'Content-Transfer-Encoding: base64',
        ],
        body: 'AAE',
      },
    ]),
  );
  t.throws(() => body.multipart(), {
    instanceOf: MultiPartParserError,
    message: /Could not decode base64 data/,
  });
});

test('readBody(multipart) refuses a truncated body with MultiPartParserError', async (t) => {
  const whole = form([field('a', '1'), file('f', 'f.txt', 'x'.repeat(100))]);
  const body = await parse(whole.subarray(0, whole.length - 40));
  const error = t.throws(() => body.multipart(), { instanceOf: MultiPartParserError });
  t.is(error?.status, 400);
  t.regex(error?.message ?? '', /ended before its closing boundary/);
});

test('readBody(multipart) refuses a body whose boundary never appears', async (t) => {
  const body = await parse(Buffer.from('just some text, no boundary at all'));
  t.throws(() => body.multipart(), { instanceOf: MultiPartParserError });
});

test('readBody(multipart) refuses a part header block over 1024 bytes', async (t) => {
  const body = await parse(
    form([{ headers: [`Content-Disposition: form-data; name="a"; x="${'y'.repeat(1100)}"`], body: '1' }]),
  );
  t.throws(() => body.multipart(), {
    instanceOf: MultiPartParserError,
    message: /^Request max total header size exceeded\./,
  });
});

test('readBody(multipart) accepts a header block just under 1024 bytes', async (t) => {
  const header = `Content-Disposition: form-data; name="a"; x="${'y'.repeat(950)}"`;
  const body = await parse(form([{ headers: [header], body: '1' }]));
  t.deepEqual(fields(body), [['a', '1']]);
});

test('readBody(multipart) refuses a part header line without ":" (MultiPartParserError, where Django skips the part)', async (t) => {
  const body = await parse(
    form([{ headers: ['Content-Disposition form-data no colon'], body: '1' }, field('a', '2')]),
  );
  t.throws(() => body.multipart(), { instanceOf: MultiPartParserError });
});

test('readBody(multipart) records UnreadablePostError when the stream fails midway', async (t) => {
  const whole = form([file('f', 'f.txt', 'x'.repeat(1000))]);
  const stream = new Readable({
    read() {
      this.push(whole.subarray(0, 300));
      this.destroy(new Error('ECONNRESET'));
    },
  });
  const body = await readBody(stream, {
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=B', 'content-length': String(whole.length) },
    settings: settings(),
  });
  t.throws(() => body.multipart(), { instanceOf: UnreadablePostError });
});

test('readBody(multipart) reads a body with a bad boundary as plain bytes', async (t) => {
  const raw = Buffer.from('--x\r\n\r\n--x--');
  const body = await readBody(Readable.from([raw]), {
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data', 'content-length': String(raw.length) },
    settings: settings(),
  });
  t.false(body.streamed);
  t.deepEqual(body.bytes(), raw);
});

test('readBody(multipart) reads PUT multipart bodies as plain bytes (Django parses POST only)', async (t) => {
  const raw = form([field('a', '1')]);
  const body = await readBody(Readable.from([raw]), {
    method: 'PUT',
    headers: { 'content-type': 'multipart/form-data; boundary=B', 'content-length': String(raw.length) },
    settings: settings(),
  });
  t.deepEqual(body.bytes(), raw);
  t.is(body.multipart(), null);
});

test('readBody(multipart) handles quoted boundaries with spaces and quotes', async (t) => {
  const boundary = 'a "b" c';
  const raw = form([field('a', '1')], boundary);
  const body = await readBody(Readable.from([raw]), {
    method: 'POST',
    headers: {
      'content-type': 'multipart/form-data; boundary="a \\"b\\" c"',
      'content-length': String(raw.length),
    },
    settings: settings(),
  });
  t.deepEqual(fields(body), [['a', '1']]);
});

test('readBody(multipart) gives the same result however the body is split into chunks', async (t) => {
  const raw = form([
    field('title', 'Hello\r\nWorld'),
    file('doc', 'a.txt', 'x'.repeat(300)),
    { headers: [`Content-Disposition: form-data; name="long"; z="${'q'.repeat(900)}"`], body: 'v' },
    field('end', 'B--B'),
  ]);
  const expected = await parse(raw);
  const want = { fields: fields(expected), files: expected.multipart()?.files.map((f) => f.file.size) };
  t.is(want.fields.length, 3);
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: raw.length - 1 }), { maxLength: 12 }),
      async (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let start = 0;
        for (const point of [...points, raw.length]) {
          chunks.push(raw.subarray(start, point));
          start = point;
        }
        const body = await parse(raw, {}, chunks);
        return (
          JSON.stringify({ fields: fields(body), files: body.multipart()?.files.map((f) => f.file.size) }) ===
          JSON.stringify(want)
        );
      },
    ),
    { numRuns: 60 },
  );
  const byteByByte = await parse(
    raw,
    {},
    [...raw].map((b) => Buffer.from([b])),
  );
  t.deepEqual(fields(byteByByte), want.fields);
});

test('readBody(multipart) never rejects on random bytes', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
      const prefix = Buffer.from('--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n');
      const body = await parse(Buffer.concat([prefix, Buffer.from(bytes)]));
      try {
        body.multipart();
      } catch (error) {
        return (error as { status?: number }).status === 400;
      }
      return true;
    }),
    { numRuns: 100 },
  );
  t.pass();
});

test("readBody(multipart) reads RFC 2231 file names (filename*=UTF-8''...)", async (t) => {
  const body = await parse(
    form([
      {
        headers: [`Content-Disposition: form-data; name="doc"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`],
        body: 'x',
      },
    ]),
  );
  const entry = body.multipart()?.files[0];
  t.is(entry?.file.name, 'résumé.pdf');
  t.is(entry?.fileName, Buffer.from('résumé.pdf', 'utf8').toString('latin1'));
});

test('readBody(multipart) keeps field order when a field arrives as an octet-stream part', async (t) => {
  const body = await parse(
    form([
      field('a', '1'),
      {
        headers: ['Content-Disposition: form-data; name="b"', 'Content-Type: application/octet-stream'],
        body: '2',
      },
      field('c', '3'),
    ]),
  );
  t.deepEqual(fields(body), [
    ['a', '1'],
    ['b', '2'],
    ['c', '3'],
  ]);
});

test('readBody(multipart) bounds an octet-stream field by DATA_UPLOAD_MAX_MEMORY_SIZE', async (t) => {
  const body = await parse(
    form([
      {
        headers: ['Content-Disposition: form-data; name="b"', 'Content-Type: application/octet-stream'],
        body: Buffer.alloc(5000, 0x61),
      },
    ]),
    { DATA_UPLOAD_MAX_MEMORY_SIZE: 100 },
  );
  t.throws(() => body.multipart(), { instanceOf: RequestDataTooBig });
});

test('readBody(multipart) spools a file with an odd or very long extension', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kd-multipart-test-'));
  const name = `report.${'x'.repeat(300)}`;
  const body = await parse(form([file('f', name, 'y'.repeat(50)), file('g', 'a.t;x t', 'z'.repeat(50))]), {
    FILE_UPLOAD_MAX_MEMORY_SIZE: 10,
    FILE_UPLOAD_TEMP_DIR: dir,
  });
  const [f, g] = (body.multipart()?.files ?? []).map((entry) => entry.file as TemporaryUploadedFile);
  t.true(f?.temporaryFilePath().endsWith('.upload'));
  t.is(f?.name.length, 255);
  t.true(g?.temporaryFilePath().endsWith('.upload'));
  t.is(g?.name, 'a.t;x t');
  await body.close();
  await rm(dir, { recursive: true });
});

test('readBody(multipart) records UnreadablePostError when the stream just closes midway', async (t) => {
  const whole = form([file('f', 'f.txt', 'x'.repeat(1000))]);
  const stream = new Readable({ read() {} });
  const pending = readBody(stream, {
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=B', 'content-length': String(whole.length) },
    settings: settings(),
  });
  stream.push(whole.subarray(0, 200));
  setImmediate(() => stream.destroy());
  const body = await pending;
  t.throws(() => body.multipart(), { instanceOf: UnreadablePostError });
});
