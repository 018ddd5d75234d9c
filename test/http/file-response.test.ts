import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import test from 'ava';
import { FileResponse, guessFileType } from '../../src/http/file-response.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'koa-django-file-response-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

function tempFile(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function chunksOf(response: FileResponse): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.streamingContent) chunks.push(chunk);
  return chunks;
}

test('new FileResponse(bytes, { asAttachment, filename }) sets type, length and disposition [verified]', async (t) => {
  const response = new FileResponse(Buffer.from('binary content'), {
    asAttachment: true,
    filename: 'my file.txt',
  });
  t.deepEqual(
    [...response.items()],
    [
      ['Content-Type', 'text/plain'],
      ['Content-Length', '14'],
      ['Content-Disposition', 'attachment; filename="my file.txt"'],
    ],
  );
  t.true(response.streaming);
  t.is((await response.getvalue()).toString(), 'binary content');
});

test('new FileResponse(bytes, { filename: non-ASCII }) sends filename* inline [verified]', (t) => {
  const response = new FileResponse(Buffer.from('%PDF'), { filename: 'résumé.pdf' });
  t.is(response.get('Content-Type'), 'application/pdf');
  t.is(response.get('Content-Disposition'), "inline; filename*=utf-8''r%C3%A9sum%C3%A9.pdf");
});

test('new FileResponse(bytes, { asAttachment }) without a name is an application/octet-stream attachment', (t) => {
  const response = new FileResponse(Buffer.from('x'), { asAttachment: true });
  t.is(response.get('Content-Type'), 'application/octet-stream');
  t.is(response.get('Content-Disposition'), 'attachment');
  t.false(new FileResponse(Buffer.from('x')).has('Content-Disposition'));
});

test('new FileResponse(bytes) streams 4096-byte blocks', async (t) => {
  const data = Buffer.alloc(4096 * 2 + 100, 7);
  const chunks = await chunksOf(new FileResponse(data));
  t.deepEqual(
    chunks.map((c) => c.length),
    [4096, 4096, 100],
  );
  t.deepEqual(Buffer.concat(chunks), data);
});

test('new FileResponse(path) opens the file and names it after its last path segment', async (t) => {
  const file = tempFile('notes.txt', 'hello file');
  const response = new FileResponse(file, { asAttachment: true });
  t.is(response.get('Content-Type'), 'text/plain');
  t.is(response.get('Content-Length'), '10');
  t.is(response.get('Content-Disposition'), 'attachment; filename="notes.txt"');
  t.is((await response.getvalue()).toString(), 'hello file');
  response.close();
});

test('new FileResponse(path) throws at once for a missing file or a directory', (t) => {
  t.throws(() => new FileResponse(path.join(dir, 'missing.txt')), { code: 'ENOENT' });
  t.throws(() => new FileResponse(dir), { instanceOf: TypeError, message: /is not a regular file/ });
});

test('FileResponse#close() closes the file it opened', (t) => {
  const response = new FileResponse(tempFile('closed.txt', 'x'));
  const stream = response.fileToStream as Readable;
  response.close();
  t.true(stream.destroyed);
  t.true(response.closed);
});

test('new FileResponse(fs.createReadStream(path)) reads the name from .path and the size from the file', async (t) => {
  const file = tempFile('data.csv', 'a,b\n1,2\n');
  const response = new FileResponse(createReadStream(file));
  t.is(response.get('Content-Type'), 'text/csv');
  t.is(response.get('Content-Length'), '8');
  t.is(response.get('Content-Disposition'), 'inline; filename="data.csv"');
  t.is((await response.getvalue()).toString(), 'a,b\n1,2\n');
});

test('new FileResponse(fs.createReadStream(path, { start, end })) counts only the bytes it will send', async (t) => {
  const file = tempFile('range.bin', '0123456789');
  const response = new FileResponse(createReadStream(file, { start: 2, end: 5 }));
  t.is(response.get('Content-Length'), '4');
  t.is((await response.getvalue()).toString(), '2345');
});

test('new FileResponse(stream, { filename, contentType }) prefers the given name and type', (t) => {
  const file = tempFile('tmp-123', 'x');
  const response = new FileResponse(createReadStream(file), {
    filename: 'reports/export.csv',
    contentType: 'text/plain; charset=utf-8',
  });
  t.is(response.get('Content-Type'), 'text/plain; charset=utf-8');
  t.is(response.get('Content-Disposition'), 'inline; filename="export.csv"');
  response.close();
});

test('new FileResponse(Readable) streams a stream of unknown size without Content-Length', async (t) => {
  const response = new FileResponse(Readable.from([Buffer.from('a'), Buffer.from('b')]));
  t.false(response.has('Content-Length'));
  t.is(response.get('Content-Type'), 'application/octet-stream');
  t.is((await response.getvalue()).toString(), 'ab');
});

test('new FileResponse(Readable) does not crash the process when the unread stream fails', async (t) => {
  const stream = new Readable({ read() {} });
  const response = new FileResponse(stream);
  stream.destroy(new Error('disk gone'));
  await new Promise((resolve) => setImmediate(resolve));
  await t.throwsAsync(response.getvalue(), { message: 'disk gone' });
});

test('new FileResponse(iterable) streams it without guessing headers, as Django does', async (t) => {
  const response = new FileResponse(['a', 'b']);
  t.is(response.fileToStream, null);
  t.is(response.get('Content-Type'), 'text/html; charset=utf-8');
  t.is((await response.getvalue()).toString(), 'ab');
});

test('guessFileType(filename) maps compressed files to their archive type, as Django', (t) => {
  t.is(guessFileType('x.gz'), 'application/gzip');
  t.is(guessFileType('x.tar.gz'), 'application/gzip');
  t.is(guessFileType('report.csv.gz'), 'application/gzip');
  t.is(guessFileType('backup.tgz'), 'application/gzip');
  t.is(guessFileType('x.tbz2'), 'application/x-bzip');
  t.is(guessFileType('x.bz2'), 'application/x-bzip');
  t.is(guessFileType('x.xz'), 'application/x-xz');
  t.is(guessFileType('x.br'), 'application/x-brotli');
  t.is(guessFileType('x.Z'), 'application/x-compress');
});

test('guessFileType(filename) guesses by extension and falls back to application/octet-stream', (t) => {
  t.is(guessFileType('a.json'), 'application/json');
  t.is(guessFileType('résumé.pdf'), 'application/pdf');
  t.is(guessFileType('A.TXT'), 'text/plain');
  t.is(guessFileType('txt'), 'application/octet-stream');
  t.is(guessFileType('x.unknownext'), 'application/octet-stream');
});
