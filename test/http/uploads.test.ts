import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { SuspiciousFileOperation } from '../../src/exceptions.ts';
import {
  DEFAULT_CHUNK_SIZE,
  InMemoryUploadedFile,
  sanitizeFileName,
  TemporaryUploadedFile,
} from '../../src/http/uploads.ts';

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

async function tempFile(content: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kd-uploads-test-'));
  const path = join(dir, 'upload.bin');
  await writeFile(path, content);
  return path;
}

test('new InMemoryUploadedFile(buffer, init) exposes name, size, content type and buffer', (t) => {
  const file = new InMemoryUploadedFile(Buffer.from('hello'), {
    name: 'a.txt',
    contentType: 'text/plain',
    charset: 'utf-8',
    contentTypeExtra: { charset: 'utf-8' },
    fieldName: 'doc',
  });
  t.is(file.name, 'a.txt');
  t.is(file.size, 5);
  t.is(file.contentType, 'text/plain');
  t.is(file.charset, 'utf-8');
  t.deepEqual(file.contentTypeExtra, { charset: 'utf-8' });
  t.is(file.fieldName, 'doc');
  t.is(file.buffer.toString(), 'hello');
  t.is(String(file), 'a.txt');
});

test('InMemoryUploadedFile defaults: empty content type, null charset, no extra', (t) => {
  const file = new InMemoryUploadedFile(Buffer.alloc(0), { name: 'x' });
  t.is(file.contentType, '');
  t.is(file.charset, null);
  t.deepEqual(file.contentTypeExtra, {});
  t.is(file.fieldName, '');
  t.is(file.size, 0);
});

test('InMemoryUploadedFile#read()/stream()/chunks() give the content; chunks() yields it whole', async (t) => {
  const content = Buffer.alloc(DEFAULT_CHUNK_SIZE * 2 + 1, 7);
  const file = new InMemoryUploadedFile(content, { name: 'big.bin' });
  t.deepEqual(await file.read(), content);
  t.deepEqual(Buffer.concat(await collect(file.stream())), content);
  const chunks = await collect(file.chunks(10));
  t.is(chunks.length, 1);
  t.false(file.multipleChunks());
  t.false(file.multipleChunks(1));
});

test('UploadedFile#name keeps the base name, at most 255 characters with the extension', (t) => {
  const file = new InMemoryUploadedFile(Buffer.from('x'), { name: '/etc/passwd' });
  t.is(file.name, 'passwd');
  file.name = `${'a'.repeat(300)}.txt`;
  t.is(file.name.length, 255);
  t.true(file.name.endsWith('.txt'));
});

test('UploadedFile#name refuses "", "." and ".." with SuspiciousFileOperation', (t) => {
  const file = new InMemoryUploadedFile(Buffer.from('x'), { name: 'ok' });
  for (const bad of ['', '.', '..', 'dir/..', 'dir/']) {
    const error = t.throws(
      () => {
        file.name = bad;
      },
      { instanceOf: SuspiciousFileOperation },
    );
    t.is(error?.status, 400);
  }
  t.is(file.name, 'ok');
});

test('new TemporaryUploadedFile(path, init) reads from its file and close() deletes it', async (t) => {
  const content = Buffer.alloc(DEFAULT_CHUNK_SIZE + 10, 1);
  const path = await tempFile(content);
  const file = new TemporaryUploadedFile(path, {
    name: 'f.bin',
    size: content.length,
    contentType: 'application/pdf',
  });
  t.is(file.temporaryFilePath(), path);
  t.deepEqual(await file.read(), content);
  t.deepEqual(Buffer.concat(await collect(file.stream())), content);
  const chunks = await collect(file.chunks());
  t.is(chunks.length, 2);
  t.is(chunks[0]?.length, DEFAULT_CHUNK_SIZE);
  t.true(file.multipleChunks());
  t.false(file.multipleChunks(content.length));
  await file.close();
  t.false(existsSync(path));
  await t.notThrowsAsync(() => file.close());
  await rm(join(path, '..'), { recursive: true, force: true });
});

test('TemporaryUploadedFile#close() tolerates a file the view already moved', async (t) => {
  const path = await tempFile(Buffer.from('x'));
  await rm(path);
  const file = new TemporaryUploadedFile(path, { name: 'x', size: 1 });
  await t.notThrowsAsync(() => file.close());
  await rm(join(path, '..'), { recursive: true, force: true });
});

test('sanitizeFileName(name) keeps what follows the last / or \\', (t) => {
  t.is(sanitizeFileName('C:\\Users\\me\\photo.jpg'), 'photo.jpg');
  t.is(sanitizeFileName('/tmp/x/../y.txt'), 'y.txt');
  t.is(sanitizeFileName('a/b\\c'), 'c');
  t.is(sanitizeFileName('plain.txt'), 'plain.txt');
});

test('sanitizeFileName(name) HTML-unescapes before taking the base name', (t) => {
  t.is(sanitizeFileName('..&#x2F;..&#x2F;etc&#x2F;passwd'), 'passwd');
  t.is(sanitizeFileName('a&#47;b&sol;c'), 'c');
  t.is(sanitizeFileName('x&#92;y.txt'), 'y.txt');
  t.is(sanitizeFileName('Tom&amp;Jerry.txt'), 'Tom&Jerry.txt');
  t.is(sanitizeFileName('&unknown;.txt'), '&unknown;.txt');
});

test('sanitizeFileName(name) removes non-printable characters', (t) => {
  t.is(sanitizeFileName('a\u0000b\tc\u200bd\u00a0e.txt'), 'abcde.txt');
  t.is(sanitizeFileName('caf\u00e9 menu.pdf'), 'café menu.pdf');
});

test('sanitizeFileName(name) returns null for "", ".", ".." (the part is ignored)', (t) => {
  for (const name of ['', '.', '..', 'a/..', 'C:\\', '\u0000', '&#46;&#46;', 'dir/'])
    t.is(sanitizeFileName(name), null, name);
});
