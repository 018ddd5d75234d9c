/**
 * The multipart/form-data reader behind `readBody()` (Django's `MultiPartParser`, on busboy).
 *
 * busboy does the streaming parse. A small scanner in front of it reads what busboy does not
 * report but Django's behaviour depends on: each part's header block as Django parses it
 * (Content-Type parameters, the field/file/raw typing), the 1024-byte header-block limit and
 * Django's field count. Limits: non-file bytes (value + name length + 2) against
 * `DATA_UPLOAD_MAX_MEMORY_SIZE`, fields against `DATA_UPLOAD_MAX_NUMBER_FIELDS`, files against
 * `DATA_UPLOAD_MAX_NUMBER_FILES`. Files stay in memory up to `FILE_UPLOAD_MAX_MEMORY_SIZE`
 * (decided per file, as it streams), larger ones are spooled to `FILE_UPLOAD_TEMP_DIR`.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { finished } from 'node:stream/promises';
import { TextDecoder } from 'node:util';
import busboy from 'busboy';
import type { Settings } from '../conf/index.ts';
import {
  KoaDjangoError,
  MultiPartParserError,
  RequestDataTooBig,
  TooManyFilesSent,
  UnreadablePostError,
} from '../exceptions.ts';
import { parseHeaderParameters } from './headers.ts';
import { decodeBytes, tooManyFieldsSent } from './query-dict.ts';
import {
  InMemoryUploadedFile,
  sanitizeFileName,
  TemporaryUploadedFile,
  type UploadedFile,
} from './uploads.ts';

/** A non-file multipart field: name and value as received (the name as a byte string). */
export interface MultipartField {
  /** The field name's bytes, one character per byte (decode with `Buffer.from(name, 'latin1')`). */
  readonly name: string;
  readonly value: Buffer;
}

/** An uploaded file with its raw (undecoded) field and file names. */
export interface MultipartFile {
  /** The field name's bytes, one character per byte. */
  readonly fieldName: string;
  /** The client's file name's bytes, one character per byte (before sanitising). */
  readonly fileName: string;
  readonly file: UploadedFile;
}

/** What a multipart/form-data body was parsed into. */
export interface MultipartData {
  readonly fields: readonly MultipartField[];
  readonly files: readonly MultipartFile[];
}

const EMPTY = Buffer.alloc(0);

/** RequestDataTooBig naming the limit. */
export function requestDataTooBig(limit: number): RequestDataTooBig {
  return new RequestDataTooBig(
    `Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE (${limit} bytes). Raise the setting if such bodies are expected.`,
  );
}

/** UnreadablePostError for a failed or aborted body stream. */
export function unreadablePostError(error: unknown): UnreadablePostError {
  const reason = (error as Error)?.message ?? String(error);
  return new UnreadablePostError(
    `The request body could not be read (${reason}): the client probably closed the connection or sent fewer bytes than its Content-Length.`,
    { cause: error },
  );
}

/** A busboy (or other parsing) failure, as the 400 error Django raises for malformed bodies. */
export function multipartError(error: unknown): MultiPartParserError {
  const reason = (error as Error)?.message ?? String(error);
  const message = /Unexpected end of (form|file)/.test(reason)
    ? 'The multipart/form-data body ended before its closing boundary: it was truncated, or its boundary does not match the one in Content-Type.'
    : /Malformed part header/.test(reason)
      ? 'A part of the multipart/form-data body has a malformed header block. Each part needs header lines ("Name: value") ended by a blank line.'
      : `Malformed multipart/form-data body (${reason}). Check that the client sends a body matching the boundary in Content-Type.`;
  return new MultiPartParserError(message, { cause: error });
}

/** The outcome of parsing a multipart body: its data, or the first error met. */
export type MultipartResult = { data: MultipartData; error: null } | { data: null; error: Error };

/**
 * Parse one multipart/form-data body from `source` within the limits in `settings`; never
 * rejects. On error, temporary files already written are deleted.
 *
 * @example
 * const { data, error } = await readMultipart(req, multipartBoundary(contentType), settings);
 */
export function readMultipart(
  source: Readable,
  boundary: string,
  settings: Settings,
): Promise<MultipartResult> {
  return new MultipartReader(boundary, settings).read(source);
}

/** Parses one multipart body from a stream; `read()` never rejects. */
class MultipartReader {
  readonly #boundary: string;
  readonly #settings: Settings;
  readonly #fields: { name: string; value: Buffer }[] = [];
  readonly #files: { fieldName: string; fileName: string; file: UploadedFile | null }[] = [];
  readonly #tasks: Promise<void>[] = [];
  #fieldBytes = 0;
  #fileCount = 0;
  #error: Error | null = null;
  #abort: () => void = () => {};

  constructor(boundary: string, settings: Settings) {
    this.#boundary = boundary;
    this.#settings = settings;
  }

  async read(source: Readable): Promise<MultipartResult> {
    const limit = this.#settings.DATA_UPLOAD_MAX_MEMORY_SIZE;
    const scanner = new PartScanner(this.#boundary, this.#settings.DATA_UPLOAD_MAX_NUMBER_FIELDS);
    const parser = busboy({
      // Re-quoted so busboy sees exactly the boundary Django's rules accepted.
      headers: {
        'content-type': `multipart/form-data; boundary="${this.#boundary.replace(/[\\"]/g, '\\$&')}"`,
      },
      // latin1 keeps every byte of names and values, to be decoded with request.encoding later.
      defCharset: 'latin1',
      defParamCharset: 'latin1',
      preservePath: true,
      // One byte over the limit is enough to know the limit was exceeded.
      limits: { fieldSize: limit === null ? Number.POSITIVE_INFINITY : limit + 1 },
    });
    const done = new Promise<void>((resolve) => {
      this.#abort = () => {
        source.unpipe(scanner);
        scanner.destroy();
        parser.destroy();
        resolve();
      };
      parser.once('close', resolve);
    });
    parser.on('error', (error) => this.#fail(multipartError(error)));
    scanner.on('error', (error) =>
      this.#fail(error instanceof KoaDjangoError ? error : multipartError(error)),
    );
    // Kept for the stream's lifetime: a late error must not become an uncaught 'error' event.
    source.on('error', (error) => this.#fail(unreadablePostError(error)));
    source.once('aborted', () => this.#fail(unreadablePostError(new Error('request aborted'))));
    source.once('close', () => {
      if (!source.readableEnded) {
        this.#fail(unreadablePostError(new Error('the connection closed before the body was complete')));
      }
    });
    parser.on('field', (name, value, info) => {
      const part = scanner.claim(name) ?? fallbackPart(name, 'field', info.mimeType, info.encoding);
      if (info.valueTruncated && limit !== null) this.#fail(requestDataTooBig(limit));
      else this.#addField(part, fieldBytes(value, part.charset));
    });
    parser.on('file', (name, stream, info) => {
      // busboy destroys an unfinished file stream with an error when parsing stops; the failure
      // is already recorded, and an 'error' event without a listener would crash the process.
      stream.on('error', () => {});
      const kind = info.filename ? 'file' : 'field';
      const part =
        scanner.claim(name) ?? fallbackPart(name, kind, info.mimeType, info.encoding, info.filename);
      this.#tasks.push(this.#onFile(part, stream));
    });
    source.pipe(scanner).pipe(parser);

    await done;
    await Promise.allSettled(this.#tasks);
    const files = this.#files.filter((entry): entry is MultipartFile => entry.file !== null);
    if (this.#error) {
      await Promise.allSettled(files.map(({ file }) => file.close()));
      return { data: null, error: this.#error };
    }
    return { data: { fields: this.#fields, files }, error: null };
  }

  #fail(error: Error): void {
    if (this.#error) return;
    this.#error = error;
    this.#abort();
  }

  /** Account for a field (Django's limits) and store it in `slot` (else append it). */
  #addField(part: PartInfo, raw: Buffer, slot?: { name: string; value: Buffer }): void {
    if (this.#error || part.kind === 'raw' || part.name === undefined) return;
    let value = raw;
    if (part.transferEncoding === 'base64') {
      // Django keeps the raw data of a field that is not valid base64.
      value = decodeBase64(raw.toString('latin1')) ?? raw;
    }
    // Django counts the name's length + 2 too ("&" and "="), as for urlencoded bodies.
    const name = decodeBytes(Buffer.from(part.name, 'latin1'), this.#settings.DEFAULT_CHARSET);
    this.#fieldBytes += raw.length + [...name].length + 2;
    const limit = this.#settings.DATA_UPLOAD_MAX_MEMORY_SIZE;
    if (limit !== null && this.#fieldBytes > limit) this.#fail(requestDataTooBig(limit));
    else if (slot) slot.value = value;
    else this.#fields.push({ name: part.name, value });
  }

  async #onFile(part: PartInfo, stream: Readable): Promise<void> {
    if (this.#error || part.kind === 'raw' || part.name === undefined) {
      stream.resume();
      return;
    }
    if (part.kind === 'field') {
      // A part busboy sees as a file but Django as a field (octet-stream, or filename=""); the
      // slot keeps its place among the fields while it streams in.
      const slot = { name: part.name, value: EMPTY };
      this.#fields.push(slot);
      const limit = this.#settings.DATA_UPLOAD_MAX_MEMORY_SIZE;
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of stream) {
          size += (chunk as Buffer).length;
          if (limit !== null && this.#fieldBytes + size > limit) {
            this.#fail(requestDataTooBig(limit));
            return;
          }
          chunks.push(chunk as Buffer);
        }
      } catch (error) {
        this.#fail(multipartError(error));
        return;
      }
      this.#addField(part, Buffer.concat(chunks, size), slot);
      return;
    }
    const maxFiles = this.#settings.DATA_UPLOAD_MAX_NUMBER_FILES;
    if (maxFiles !== null && ++this.#fileCount > maxFiles) {
      stream.resume();
      this.#fail(
        new TooManyFilesSent(
          `The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES (${maxFiles}). Send fewer files, or raise the setting if such requests are expected.`,
        ),
      );
      return;
    }
    const fileName = sanitizeFileName(
      decodeBytes(Buffer.from(part.fileName ?? '', 'latin1'), this.#settings.DEFAULT_CHARSET),
    );
    if (fileName === null) {
      stream.resume();
      return;
    }
    const entry = { fieldName: part.name, fileName: part.fileName ?? '', file: null as UploadedFile | null };
    this.#files.push(entry);
    entry.file = await this.#receiveFile(part, fileName, stream);
  }

  /** Keep a file in memory until it outgrows FILE_UPLOAD_MAX_MEMORY_SIZE, then spool to disk. */
  async #receiveFile(part: PartInfo, name: string, stream: Readable): Promise<UploadedFile | null> {
    const memoryLimit = this.#settings.FILE_UPLOAD_MAX_MEMORY_SIZE;
    const decoder = part.transferEncoding === 'base64' ? new Base64Decoder() : null;
    const chunks: Buffer[] = [];
    let size = 0;
    let out: WriteStream | null = null;
    let path: string | null = null;
    const write = async (chunk: Buffer): Promise<void> => {
      size += chunk.length;
      if (out === null && size > memoryLimit) {
        path = join(
          this.#settings.FILE_UPLOAD_TEMP_DIR ?? tmpdir(),
          `koa-django-${randomUUID()}.upload${safeExtension(name)}`,
        );
        out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
        out.on('error', () => {}); // reported by `once`/`finished` below
        for (const previous of chunks.splice(0)) out.write(previous);
      }
      if (out === null) chunks.push(chunk);
      else if (!out.write(chunk)) await once(out, 'drain');
    };
    try {
      for await (const raw of stream) await write(decoder ? decoder.push(raw as Buffer) : (raw as Buffer));
      if (decoder) decoder.end();
      const init = {
        name,
        size,
        contentType: part.contentType,
        charset: part.charset ?? null,
        contentTypeExtra: part.contentTypeExtra,
        fieldName: decodeBytes(Buffer.from(part.name ?? '', 'latin1'), this.#settings.DEFAULT_CHARSET),
      };
      if (out === null) return new InMemoryUploadedFile(Buffer.concat(chunks, size), init);
      const writer: WriteStream = out;
      writer.end();
      await finished(writer);
      return new TemporaryUploadedFile(path as unknown as string, init);
    } catch (error) {
      (out as WriteStream | null)?.destroy();
      if (path !== null) await rm(path, { force: true }).catch(() => {});
      // A file-system failure is the server's problem (500); anything else is the body's (400).
      const isServerError = (error as { syscall?: string }).syscall !== undefined;
      this.#fail(error instanceof KoaDjangoError || isServerError ? (error as Error) : multipartError(error));
      return null;
    }
  }
}

/** The file name's extension for the temporary file, if short and plain (never a path risk). */
function safeExtension(name: string): string {
  const ext = extname(name);
  return /^\.[A-Za-z0-9_-]{1,16}$/.test(ext) ? ext : '';
}

/** Metadata from busboy alone, for a part the scanner could not pair with an event. */
function fallbackPart(
  name: string | undefined,
  kind: 'field' | 'file',
  mimeType: string,
  encoding: string,
  fileName?: string,
): PartInfo {
  return {
    kind,
    name: name?.trim(),
    fileName,
    contentType: mimeType,
    contentTypeExtra: {},
    transferEncoding: encoding.toLowerCase(),
    matchKeys: [],
  };
}

/** Undo busboy's text decoding of a field value: latin1 gives the bytes back as they came. */
function fieldBytes(value: string | undefined, charset: string | undefined): Buffer {
  if (value === undefined) return EMPTY; // busboy could not decode the part's charset
  const label = charset?.toLowerCase();
  if (label === 'utf-8' || label === 'utf8') return Buffer.from(value, 'utf8');
  if (label !== undefined && ['utf16le', 'utf-16le', 'ucs2', 'ucs-2'].includes(label)) {
    return Buffer.from(value, 'utf16le');
  }
  if (
    label === undefined ||
    /^(latin1|ascii|us-ascii|iso-?8859-1|iso_8859-1|windows-1252|cp1252)/.test(label)
  ) {
    return Buffer.from(value, 'latin1');
  }
  return Buffer.from(value, 'utf8');
}

/** Python's `base64.b64decode` (non-strict): junk characters dropped, bad padding → null. */
function decodeBase64(text: string): Buffer | null {
  const clean = text.replace(/[^A-Za-z0-9+/=]/g, '');
  if (clean.length % 4 !== 0 || /=[^=]/.test(clean) || /={3,}$/.test(clean)) return null;
  return Buffer.from(clean, 'base64');
}

/** Streaming base64 decoding of a file part (Django: "Could not decode base64 data."). */
class Base64Decoder {
  #rest = '';

  push(chunk: Buffer): Buffer {
    const text = this.#rest + chunk.toString('latin1').replace(/\s+/g, '');
    const usable = text.length - (text.length % 4);
    this.#rest = text.slice(usable);
    return this.#decode(text.slice(0, usable));
  }

  end(): void {
    if (this.#rest) this.#decode(this.#rest);
  }

  #decode(text: string): Buffer {
    const bytes = decodeBase64(text);
    if (bytes === null) {
      throw new MultiPartParserError(
        'Could not decode base64 data. A part sent with Content-Transfer-Encoding: base64 must hold valid base64.',
      );
    }
    return bytes;
  }
}

/** What the scanner learnt from one part's header block (names as byte strings). */
interface PartInfo {
  /** Django's part type: `file` has a non-empty filename, `raw` has no Content-Disposition. */
  kind: 'field' | 'file' | 'raw';
  name?: string;
  fileName?: string;
  contentType: string;
  contentTypeExtra: Record<string, string>;
  charset?: string;
  transferEncoding?: string;
  /** The names busboy may report for this part (its latin1 or RFC 2231-decoded form). */
  matchKeys: string[];
}

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');
/** Django's MAX_TOTAL_HEADER_SIZE: a part's header block must end within its first 1024 bytes. */
const MAX_PART_HEADER = 1024;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Sits in front of busboy and reads what busboy does not report: each part's header block, as
 * Django parses it (Content-Type parameters, Django's field/file/raw typing), the 1024-byte
 * header limit, and Django's field count (parts that are not files, plus the preamble and the
 * epilogue: hence "DATA_UPLOAD_MAX_NUMBER_FIELDS + 2"). The bytes pass through unchanged.
 */
class PartScanner extends Transform {
  readonly #parts: PartInfo[] = [];
  readonly #delimiter: Buffer;
  readonly #maxFields: number | null;
  // busboy also pretends the body starts with CRLF, so a leading boundary is found.
  #carry: Buffer = CRLF;
  #state: 'preamble' | 'data' | 'header' | 'done' = 'preamble';
  #count = 0;

  constructor(boundary: string, maxFields: number | null) {
    super();
    this.#delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
    this.#maxFields = maxFields;
  }

  /** The header info of the next part busboy reports under `name`, or null if none matches. */
  claim(name: string | undefined): PartInfo | null {
    const index = this.#parts.findIndex((part) => name !== undefined && part.matchKeys.includes(name));
    return index === -1 ? null : (this.#parts.splice(0, index + 1).pop() as PartInfo);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#scan(chunk);
      callback(null, chunk);
    } catch (error) {
      callback(error as Error);
    }
  }

  #countField(): void {
    this.#count++;
    if (this.#maxFields !== null && this.#count > this.#maxFields + 2)
      throw tooManyFieldsSent(this.#maxFields);
  }

  #scan(chunk: Buffer): void {
    const data = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
    this.#carry = EMPTY;
    let pos = 0;
    while (this.#state !== 'done') {
      if (this.#state === 'header') {
        const next = this.#header(data, pos);
        if (next === -1) {
          this.#carry = Buffer.from(data.subarray(pos));
          return;
        }
        pos = next;
        continue;
      }
      const i = data.indexOf(this.#delimiter, pos);
      if (i === -1) {
        this.#carry = Buffer.from(data.subarray(Math.max(pos, data.length - this.#delimiter.length + 1)));
        return;
      }
      const after = i + this.#delimiter.length;
      if (data.length < after + 2) {
        this.#carry = Buffer.from(data.subarray(i));
        return;
      }
      const closing = data[after] === 0x2d && data[after + 1] === 0x2d;
      if (!closing && !(data[after] === 0x0d && data[after + 1] === 0x0a)) {
        pos = i + 1; // not a delimiter line (busboy's rule)
        continue;
      }
      if (this.#state === 'preamble') this.#countField();
      if (closing) {
        this.#state = 'done';
        this.#countField(); // the epilogue
        return;
      }
      this.#state = 'header';
      pos = after;
    }
  }

  /** Parse the header block starting at `start` (the CRLF after the boundary); -1: need more data. */
  #header(data: Buffer, start: number): number {
    const next = data.indexOf(this.#delimiter, start);
    const end = data.indexOf(CRLFCRLF, start);
    // Django reads at most 1024 bytes of the part (which stops at the next delimiter).
    const short = next !== -1 && next - start < MAX_PART_HEADER;
    const windowEnd = short ? next : start + MAX_PART_HEADER;
    if (end !== -1 && end + CRLFCRLF.length <= windowEnd) {
      const part = parsePartHeaders(data.subarray(start, end));
      this.#parts.push(part);
      if (part.kind !== 'file') this.#countField();
      this.#state = 'data';
      return end + CRLFCRLF.length;
    }
    if (short) {
      this.#countField(); // a short part without a header block: Django's RAW item
      this.#state = 'data';
      return next;
    }
    if (data.length - start < MAX_PART_HEADER + this.#delimiter.length) return -1;
    throw new MultiPartParserError(
      'Request max total header size exceeded. The header block of each multipart part must end within 1024 bytes.',
    );
  }
}

/** Django's reading of one part's header block (each line UTF-8, else ignored). */
function parsePartHeaders(block: Buffer): PartInfo {
  const part: PartInfo = { kind: 'raw', contentType: '', contentTypeExtra: {}, matchKeys: [] };
  let start = 0;
  while (start <= block.length) {
    let end = block.indexOf(CRLF, start);
    if (end === -1) end = block.length;
    const bytes = block.subarray(start, end);
    start = end + CRLF.length;
    let line: string;
    try {
      line = UTF8.decode(bytes);
    } catch {
      continue;
    }
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).toLowerCase().replace(/ +$/, '');
    const [value, params] = parseHeaderParameters(line.slice(colon + 1).replace(/^ +/, ''));
    if (name === 'content-disposition') {
      part.kind = params.filename ? 'file' : 'field';
      const fieldName = params.name;
      part.name = fieldName === undefined ? undefined : byteString(fieldName).trim();
      part.fileName = params.filename === undefined ? undefined : byteString(params.filename);
      part.matchKeys = fieldName === undefined ? [] : [byteString(fieldName), fieldName];
    } else if (name === 'content-type') {
      part.contentType = value.trim();
      part.contentTypeExtra = params;
      part.charset = params.charset;
    } else if (name === 'content-transfer-encoding') {
      part.transferEncoding = value.trim();
    }
  }
  return part;
}

/** Text → its UTF-8 bytes as one character per byte (what busboy's latin1 decoding yields). */
function byteString(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}
