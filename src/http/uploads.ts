/**
 * Uploaded files (`request.FILES` values): `UploadedFile` and its two kinds, kept in memory
 * (`InMemoryUploadedFile`) or spooled to a temporary file (`TemporaryUploadedFile`) when larger
 * than `FILE_UPLOAD_MAX_MEMORY_SIZE` (django/core/files/uploadedfile.py).
 *
 * Node cannot block on I/O, so content access is asynchronous (`read()`, `chunks()`,
 * `stream()`); an in-memory file also offers its bytes synchronously as `buffer`.
 * Also `sanitizeFileName()`, Django's clean-up of client-supplied file names.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { SuspiciousFileOperation } from '../exceptions.ts';

/** Chunk size of `chunks()` and the `multipleChunks()` threshold (Django: 64 KiB). */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/** What every uploaded file knows about itself. */
export interface UploadedFileInit {
  /** The client's file name (sanitised; see `sanitizeFileName`). */
  name: string;
  /** Size of the content in bytes. */
  size: number;
  /** The part's `Content-Type` (lower-cased, without parameters; `''` when absent). */
  contentType?: string;
  /** The `charset` parameter of the part's `Content-Type`, if any. */
  charset?: string | null;
  /** All parameters of the part's `Content-Type`. */
  contentTypeExtra?: Record<string, string>;
  /** Name of the form field the file came in. */
  fieldName?: string;
}

/**
 * A file uploaded in a `multipart/form-data` request (Django's `UploadedFile`). Read it with
 * `await file.read()`, `for await (const chunk of file.chunks())` or `file.stream()`.
 *
 * @example
 * const avatar = request.FILES.get('avatar');
 * if (avatar) {
 *   console.log(avatar.name, avatar.size, avatar.contentType);
 *   await pipeline(avatar.stream(), createWriteStream(`/srv/media/${avatar.name}`));
 * }
 */
export abstract class UploadedFile {
  /** Size of the content in bytes. */
  readonly size: number;
  /** The part's `Content-Type`, e.g. `'image/png'` (`''` when the client sent none). */
  contentType: string;
  /** The `charset` parameter of the part's `Content-Type`, or `null`. */
  charset: string | null;
  /** Every parameter of the part's `Content-Type`. */
  contentTypeExtra: Record<string, string>;
  /** Name of the form field the file came in. */
  fieldName: string;
  #name = '';

  constructor(init: UploadedFileInit) {
    this.name = init.name;
    this.size = init.size;
    this.contentType = init.contentType ?? '';
    this.charset = init.charset ?? null;
    this.contentTypeExtra = init.contentTypeExtra ?? {};
    this.fieldName = init.fieldName ?? '';
  }

  /**
   * The file name. Setting it keeps only the base name and at most 255 characters (keeping the
   * extension), as Django does; a name that reduces to `''`, `.` or `..` throws
   * SuspiciousFileOperation.
   */
  get name(): string {
    return this.#name;
  }

  set name(value: string) {
    let name = value.slice(value.lastIndexOf('/') + 1);
    if (name.length > 255) {
      const dot = name.lastIndexOf('.');
      const ext = dot > 0 ? name.slice(dot, dot + 255) : '';
      name = name.slice(0, 255 - ext.length) + ext;
    }
    if (name === '' || name === '.' || name === '..') {
      throw new SuspiciousFileOperation(
        `Could not derive file name from '${value}'. Give the upload a name with at least one character other than '.'.`,
      );
    }
    this.#name = name;
  }

  /** The whole content. */
  abstract read(): Promise<Buffer>;

  /** The content as a fresh readable stream. */
  abstract stream(): Readable;

  /** The content in chunks of about `chunkSize` bytes. */
  abstract chunks(chunkSize?: number): AsyncIterable<Buffer>;

  /** Whether `chunks(chunkSize)` would yield more than one chunk. */
  multipleChunks(chunkSize: number = DEFAULT_CHUNK_SIZE): boolean {
    return this.size > chunkSize;
  }

  /** Release what the file holds (a temporary file is deleted). Safe to call twice. */
  async close(): Promise<void> {}

  toString(): string {
    return this.name;
  }
}

/**
 * An upload kept in memory (at most `FILE_UPLOAD_MAX_MEMORY_SIZE` bytes).
 *
 * @example
 * const file = new InMemoryUploadedFile(Buffer.from('hello'), { name: 'a.txt', contentType: 'text/plain' });
 * file.buffer.toString(); // 'hello'
 */
export class InMemoryUploadedFile extends UploadedFile {
  /** The content. */
  readonly buffer: Buffer;

  constructor(buffer: Buffer, init: Omit<UploadedFileInit, 'size'>) {
    super({ ...init, size: buffer.length });
    this.buffer = buffer;
  }

  async read(): Promise<Buffer> {
    return this.buffer;
  }

  stream(): Readable {
    return Readable.from([this.buffer]);
  }

  /** One chunk holding everything: the content is already in memory (as in Django). */
  async *chunks(_chunkSize?: number): AsyncIterable<Buffer> {
    yield this.buffer;
  }

  /** Always false: an in-memory file never needs several chunks (as in Django). */
  override multipleChunks(_chunkSize?: number): boolean {
    return false;
  }
}

/**
 * An upload spooled to a temporary file, deleted by `close()` (which the request calls when
 * the response has been sent).
 *
 * @example
 * const big = request.FILES.get('video') as TemporaryUploadedFile;
 * await rename(big.temporaryFilePath(), '/srv/media/video.mp4');
 */
export class TemporaryUploadedFile extends UploadedFile {
  readonly #path: string;
  #closed = false;

  constructor(path: string, init: UploadedFileInit) {
    super(init);
    this.#path = path;
  }

  /** Absolute path of the temporary file. */
  temporaryFilePath(): string {
    return this.#path;
  }

  read(): Promise<Buffer> {
    return readFile(this.#path);
  }

  stream(): Readable {
    return createReadStream(this.#path);
  }

  async *chunks(chunkSize: number = DEFAULT_CHUNK_SIZE): AsyncIterable<Buffer> {
    for await (const chunk of createReadStream(this.#path, { highWaterMark: chunkSize })) {
      yield chunk as Buffer;
    }
  }

  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // force: the view may have moved the file away already.
    await rm(this.#path, { force: true });
  }
}

const HTML_ENTITY = /&(#[0-9]+|#[xX][0-9a-fA-F]+|amp|lt|gt|quot|apos|nbsp|sol|bsol|period);?/g;
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  sol: '/',
  bsol: '\\',
  period: '.',
};

/**
 * Clean a client-supplied upload name as Django's `MultiPartParser.sanitize_file_name` does:
 * HTML-unescape, keep what follows the last `/` or `\`, drop non-printable characters.
 * Returns `null` for `''`, `.` and `..` (the part is then ignored). Only the common HTML
 * entities (numeric, `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&nbsp;`, and the path-forming
 * `&sol;` `&bsol;` `&period;`) are decoded.
 *
 * @example
 * sanitizeFileName('C:\\Users\\me\\photo.jpg'); // 'photo.jpg'
 * sanitizeFileName('..&#x2F;..&#x2F;etc&#x2F;passwd'); // 'passwd'
 * sanitizeFileName('..'); // null
 */
export function sanitizeFileName(fileName: string): string | null {
  let name = fileName.replace(HTML_ENTITY, (whole, entity: string) => {
    if (entity[0] !== '#') return NAMED[entity] ?? whole;
    const code =
      entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
      ? String.fromCodePoint(code)
      : '\ufffd';
  });
  name = name.slice(name.lastIndexOf('/') + 1);
  name = name.slice(name.lastIndexOf('\\') + 1);
  name = [...name].filter(isPrintable).join('');
  return name === '' || name === '.' || name === '..' ? null : name;
}

/** Python's `str.isprintable()`: no control, format, separator (except space) or unassigned chars. */
function isPrintable(ch: string): boolean {
  return ch === ' ' || !/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u.test(ch);
}
