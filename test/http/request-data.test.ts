import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import test from 'ava';
import { defineSettings, type SettingsInput } from '../../src/conf/index.ts';
import {
  BadRequest,
  MultiPartParserError,
  RawPostDataException,
  RequestDataTooBig,
  TooManyFieldsSent,
  TooManyFilesSent,
  UnreadablePostError,
} from '../../src/exceptions.ts';
import { RequestBody, readBody } from '../../src/http/body.ts';
import { QueryDict } from '../../src/http/query-dict.ts';
import { HttpRequest } from '../../src/http/request.ts';
import { InMemoryUploadedFile, TemporaryUploadedFile } from '../../src/http/uploads.ts';
import { encodeMultipart, MULTIPART_CONTENT, RequestFactory } from '../helpers/request-factory.ts';

const factory = (input: SettingsInput = {}) =>
  new RequestFactory({
    settings: defineSettings({ SECRET_KEY: 'test', ALLOWED_HOSTS: ['testserver'], ...input }),
  });
const rf = factory();

/** A request whose body is read by readBody() from raw bytes, with any headers. */
async function raw(
  method: string,
  bytes: Buffer | string,
  headers: Record<string, string>,
  input: SettingsInput = {},
) {
  const settings = defineSettings({ SECRET_KEY: 'test', ...input });
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const all = { 'content-length': String(data.length), ...headers };
  const body = await readBody(Readable.from([data]), { method, headers: all, settings });
  return new HttpRequest({ settings, method, path: '/', headers: all, body });
}

// --- GET --------------------------------------------------------------------------------------

test('HttpRequest#GET parses the query string into an immutable QueryDict', async (t) => {
  const request = await rf.get('/?a=1&a=2&c&name=Jos%C3%A9&q=a+b');
  t.true(request.GET instanceof QueryDict);
  t.deepEqual(request.GET.toJSON(), { a: ['1', '2'], c: [''], name: ['José'], q: ['a b'] });
  t.throws(() => request.GET.set('a', 'x'), { instanceOf: TypeError, message: /immutable/ });
  t.is(request.GET, request.GET, 'cached');
});

test('HttpRequest#GET keeps malformed escapes and replaces invalid UTF-8', async (t) => {
  const request = await rf.get('/?bad=%zz&u=%E9&semi=a;b');
  t.deepEqual(request.GET.toJSON(), { bad: ['%zz'], u: ['\ufffd'], semi: ['a;b'] });
});

test('HttpRequest#GET reads raw non-UTF-8 query bytes as latin-1', (t) => {
  const settings = defineSettings({ SECRET_KEY: 'test' });
  const request = new HttpRequest({ settings, method: 'GET', path: '/', queryString: 'q=caf\u00e9' });
  t.is(request.GET.get('q'), 'café');
});

test('HttpRequest#GET throws TooManyFieldsSent over DATA_UPLOAD_MAX_NUMBER_FIELDS', async (t) => {
  const request = await factory({ DATA_UPLOAD_MAX_NUMBER_FIELDS: 2 }).get('/?a=1&b=2&c=3');
  const error = t.throws(() => request.GET, { instanceOf: TooManyFieldsSent });
  t.is(error?.status, 400);
  t.is((await factory({ DATA_UPLOAD_MAX_NUMBER_FIELDS: 3 }).get('/?a=1&b=2&c=3')).GET.size, 3);
  t.is((await factory({ DATA_UPLOAD_MAX_NUMBER_FIELDS: null }).get(`/?${'a=1&'.repeat(2000)}`)).GET.size, 1);
});

test('HttpRequest#GET can be replaced', async (t) => {
  const request = await rf.get('/?a=1');
  request.GET = new QueryDict('b=2');
  t.is(request.GET.get('b'), '2');
});

// --- POST: urlencoded ------------------------------------------------------------------------

test('HttpRequest#POST parses an urlencoded body; FILES is empty', async (t) => {
  const request = await rf.post('/form/', { a: 'é', b: ['1', '2'] });
  t.deepEqual(request.POST.toJSON(), { a: ['é'], b: ['1', '2'] });
  t.is(request.POST.encoding, 'utf-8');
  t.is(request.FILES.size, 0);
  t.is(request.body.toString(), 'a=%C3%A9&b=1&b=2');
  t.throws(() => request.POST.set('a', 'x'), { instanceOf: TypeError });
});

test('HttpRequest#POST is empty for other methods, even with a form body', async (t) => {
  for (const method of ['put', 'patch', 'delete'] as const) {
    const request = await rf[method]('/form/', { a: '1' });
    t.is(request.POST.size, 0, method);
    t.is(request.body.toString(), 'a=1');
  }
});

test('HttpRequest#POST is empty for JSON and other content types; body has the bytes', async (t) => {
  const request = await rf.post('/api/', { a: 1 }, { contentType: 'application/json' });
  t.is(request.POST.size, 0);
  t.is(request.FILES.size, 0);
  t.deepEqual(JSON.parse(request.body.toString()), { a: 1 });
});

test('HttpRequest#POST refuses an urlencoded body declared in another charset (BadRequest)', async (t) => {
  const request = await raw('POST', 'a=%E9', {
    'content-type': 'application/x-www-form-urlencoded; charset=latin-1',
  });
  const error = t.throws(() => request.POST, {
    instanceOf: BadRequest,
    message: "HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded.",
  });
  t.is(error?.status, 400);
  const utf8 = await raw('POST', 'a=%C3%A9', {
    'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
  });
  t.is(utf8.POST.get('a'), 'é');
});

test('HttpRequest#POST replaces invalid UTF-8 in an urlencoded body; raw invalid bytes fall back to latin-1', async (t) => {
  const escaped = await raw('POST', 'a=%E9', { 'content-type': 'application/x-www-form-urlencoded' });
  t.is(escaped.POST.get('a'), '\ufffd');
  const rawBytes = await raw('POST', Buffer.from([0x61, 0x3d, 0xe9]), {
    'content-type': 'application/x-www-form-urlencoded',
  });
  t.is(rawBytes.POST.get('a'), 'é');
});

test('HttpRequest#POST throws TooManyFieldsSent for too many urlencoded fields, then answers empty', async (t) => {
  const request = await factory({ DATA_UPLOAD_MAX_NUMBER_FIELDS: 2 }).post('/', 'a=1&b=2&c=3', {
    contentType: 'application/x-www-form-urlencoded',
  });
  t.throws(() => request.POST, { instanceOf: TooManyFieldsSent });
  t.is(request.POST.size, 0);
  t.is(request.FILES.size, 0);
});

// --- body and its limits -----------------------------------------------------------------------

test('HttpRequest#body throws RequestDataTooBig for a Content-Length over the limit; POST then answers empty', async (t) => {
  const request = await raw(
    'POST',
    'a=1&b=2',
    { 'content-type': 'application/x-www-form-urlencoded' },
    {
      DATA_UPLOAD_MAX_MEMORY_SIZE: 5,
    },
  );
  t.throws(() => request.body, { instanceOf: RequestDataTooBig, message: /\(5 bytes\)/ });
  t.throws(() => request.POST, { instanceOf: RequestDataTooBig });
  t.is(request.POST.size, 0);
  t.is(request.FILES.size, 0);
  t.throws(() => request.body, { instanceOf: RequestDataTooBig });
});

test('HttpRequest#body throws RequestDataTooBig for a streamed body over the limit', async (t) => {
  const settings = defineSettings({ SECRET_KEY: 'test', DATA_UPLOAD_MAX_MEMORY_SIZE: 10 });
  const headers = { 'transfer-encoding': 'chunked', 'content-type': 'application/json' };
  const body = await readBody(Readable.from([Buffer.alloc(8), Buffer.alloc(8)]), {
    method: 'POST',
    headers,
    settings,
  });
  const request = new HttpRequest({ settings, method: 'POST', path: '/', headers, body });
  t.throws(() => request.body, { instanceOf: RequestDataTooBig });
  t.is(request.POST.size, 0, 'JSON bodies never reach POST');
});

test('HttpRequest#body throws UnreadablePostError when the client went away; POST then answers empty', async (t) => {
  const settings = defineSettings({ SECRET_KEY: 'test' });
  const headers = { 'content-length': '100', 'content-type': 'application/x-www-form-urlencoded' };
  const stream = new Readable({
    read() {
      this.destroy(new Error('aborted'));
    },
  });
  const request = new HttpRequest({
    settings,
    method: 'POST',
    path: '/',
    headers,
    body: await readBody(stream, { method: 'POST', headers, settings }),
  });
  const error = t.throws(() => request.body, { instanceOf: UnreadablePostError });
  t.is(error?.status, 400);
  t.throws(() => request.POST, { instanceOf: UnreadablePostError });
  t.is(request.POST.size, 0);
});

test('HttpRequest#body is empty without a body', async (t) => {
  t.is((await rf.get('/')).body.length, 0);
  t.is(new HttpRequest({ settings: rf.settings, method: 'GET', path: '/' }).body.length, 0);
});

// --- multipart -------------------------------------------------------------------------------------

test('HttpRequest#POST and #FILES read a multipart body', async (t) => {
  const request = await rf.post(
    '/upload/',
    {
      title: 'Report',
      tags: ['a', 'b'],
      doc: { name: 'r.txt', content: 'hello', contentType: 'text/plain' },
    },
    { contentType: 'multipart/form-data' },
  );
  t.deepEqual(request.POST.toJSON(), { title: ['Report'], tags: ['a', 'b'] });
  t.throws(() => request.POST.set('x', 'y'), { instanceOf: TypeError });
  const doc = request.FILES.get('doc') as InMemoryUploadedFile;
  t.true(doc instanceof InMemoryUploadedFile);
  t.is(doc.name, 'r.txt');
  t.is(doc.fieldName, 'doc');
  t.is(doc.contentType, 'text/plain');
  t.is(doc.buffer.toString(), 'hello');
  t.deepEqual(request.FILES.keys(), ['doc']);
});

test('HttpRequest#body throws RawPostDataException after a multipart body was streamed', async (t) => {
  const request = await rf.post('/', { a: '1' }, { contentType: MULTIPART_CONTENT });
  t.throws(() => request.body, {
    instanceOf: RawPostDataException,
    message: /multipart\/form-data bodies are streamed into request.POST and request.FILES/,
  });
  t.is(request.POST.get('a'), '1');
});

test('HttpRequest#POST throws MultiPartParserError for a bad boundary, then answers empty', async (t) => {
  const request = await raw('POST', '--x\r\n\r\n--x--', { 'content-type': 'multipart/form-data' });
  const error = t.throws(() => request.POST, {
    instanceOf: MultiPartParserError,
    message: /Invalid boundary in multipart: None/,
  });
  t.is(error?.status, 400);
  t.is(request.POST.size, 0);
  t.is(request.FILES.size, 0);
  t.is(request.body.toString(), '--x\r\n\r\n--x--', 'the bytes were kept, as Django does');
});

test('HttpRequest#POST validates the boundary even for an empty multipart body', async (t) => {
  const settings = defineSettings({ SECRET_KEY: 'test' });
  const bad = new HttpRequest({
    settings,
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'multipart/form-data' },
  });
  t.throws(() => bad.POST, { instanceOf: MultiPartParserError });
  const good = new HttpRequest({
    settings,
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': '0' },
  });
  t.is(good.POST.size, 0);
});

test('HttpRequest#POST refuses a multipart body that readBody() did not parse', (t) => {
  const settings = defineSettings({ SECRET_KEY: 'test' });
  const request = new HttpRequest({
    settings,
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'multipart/form-data; boundary=x' },
    body: RequestBody.fromBytes(Buffer.from('--x--')),
  });
  t.throws(() => request.POST, {
    instanceOf: MultiPartParserError,
    message: /was not parsed when it was read/,
  });
});

test('HttpRequest#POST throws the multipart error once (truncated body), then answers empty', async (t) => {
  const whole = encodeMultipart('BoUnDaRyStRiNg', { a: '1', f: { name: 'f.txt', content: 'x'.repeat(100) } });
  const request = await raw('POST', whole.subarray(0, whole.length - 30), {
    'content-type': MULTIPART_CONTENT,
  });
  t.throws(() => request.FILES, { instanceOf: MultiPartParserError });
  t.is(request.POST.size, 0);
  t.is(request.FILES.size, 0);
});

test('HttpRequest#FILES throws TooManyFilesSent over DATA_UPLOAD_MAX_NUMBER_FILES, then answers empty', async (t) => {
  const files = [1, 2, 3].map((i) => ({ name: `${i}.txt`, content: 'x' }));
  const request = await factory({ DATA_UPLOAD_MAX_NUMBER_FILES: 2 }).post(
    '/',
    { f: files },
    { contentType: MULTIPART_CONTENT },
  );
  const error = t.throws(() => request.FILES, { instanceOf: TooManyFilesSent });
  t.is(error?.status, 400);
  t.is(request.FILES.size, 0);
  t.is(request.POST.size, 0);
});

test('HttpRequest#POST throws TooManyFieldsSent for too many multipart fields', async (t) => {
  const request = await factory({ DATA_UPLOAD_MAX_NUMBER_FIELDS: 2 }).post(
    '/',
    { a: '1', b: '2', c: '3' },
    { contentType: MULTIPART_CONTENT },
  );
  t.throws(() => request.POST, { instanceOf: TooManyFieldsSent });
  t.is(request.POST.size, 0);
});

test('HttpRequest#POST throws RequestDataTooBig for multipart fields over DATA_UPLOAD_MAX_MEMORY_SIZE', async (t) => {
  const request = await factory({ DATA_UPLOAD_MAX_MEMORY_SIZE: 50 }).post(
    '/',
    { a: 'x'.repeat(60) },
    { contentType: MULTIPART_CONTENT },
  );
  t.throws(() => request.POST, { instanceOf: RequestDataTooBig });
  t.is(request.POST.size, 0);
});

test('HttpRequest#close() deletes the temporary files of large uploads', async (t) => {
  const request = await factory({ FILE_UPLOAD_MAX_MEMORY_SIZE: 10 }).post(
    '/',
    { big: { name: 'big.bin', content: Buffer.alloc(100, 1) } },
    { contentType: MULTIPART_CONTENT },
  );
  const big = request.FILES.get('big') as TemporaryUploadedFile;
  t.true(big instanceof TemporaryUploadedFile);
  t.is(big.size, 100);
  t.true(existsSync(big.temporaryFilePath()));
  await request.close();
  t.false(existsSync(big.temporaryFilePath()));
});

// --- encoding -----------------------------------------------------------------------------------------

test('HttpRequest#encoding = charset re-decodes GET on next access', async (t) => {
  const request = await rf.get('/?a=%E9');
  t.is(request.GET.get('a'), '\ufffd');
  request.encoding = 'latin-1';
  t.is(request.encoding, 'latin-1');
  t.is(request.GET.get('a'), 'é');
  t.is(request.GET.encoding, 'latin-1');
});

test('HttpRequest#encoding = charset re-decodes multipart fields and names on next access', async (t) => {
  const body = Buffer.concat([
    Buffer.from('--B\r\nContent-Disposition: form-data; name="n\u00e9"\r\n\r\n', 'latin1'),
    Buffer.from([0x63, 0x61, 0x66, 0xe9]),
    Buffer.from('\r\n--B--\r\n'),
  ]);
  const request = await raw('POST', body, { 'content-type': 'multipart/form-data; boundary=B' });
  t.deepEqual(request.POST.toJSON(), { 'n\ufffd': ['caf\ufffd'] });
  request.encoding = 'latin-1';
  t.deepEqual(request.POST.toJSON(), { né: ['café'] });
});

test('HttpRequest#encoding from the Content-Type charset decodes multipart fields', async (t) => {
  const body = Buffer.from(
    '--B\r\nContent-Disposition: form-data; name="a"\r\n\r\ncaf\u00e9\r\n--B--\r\n',
    'latin1',
  );
  const request = await raw('POST', body, {
    'content-type': 'multipart/form-data; boundary=B; charset=latin-1',
  });
  t.is(request.encoding, 'latin-1');
  t.is(request.POST.get('a'), 'café');
  t.is(request.POST.encoding, 'latin-1');
});

test('HttpRequest#POST decodes UTF-8 multipart file names and field names', async (t) => {
  const request = await rf.post(
    '/',
    { 'caf\u00e9': 'cr\u00e8me', doc: { name: 'r\u00e9sum\u00e9.pdf', content: 'x' } },
    { contentType: MULTIPART_CONTENT },
  );
  t.is(request.POST.get('café'), 'crème');
  t.is(request.FILES.get('doc')?.name, 'résumé.pdf');
});
