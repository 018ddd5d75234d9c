/**
 * `FileResponse`: stream a file to the client (Django's `django.http.FileResponse`), with
 * `Content-Length`, `Content-Type` and `Content-Disposition` worked out from the file the way
 * Django does.
 *
 * @module
 */
import { closeSync, createReadStream, fstatSync, openSync, ReadStream, type Stats, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import mime from 'mime-types';
import { contentDispositionHeader } from '../utils/http.ts';
import { type Chunk, type ResponseOptions, StreamingHttpResponse, type StreamingSource } from './response.ts';

/** What a `FileResponse` can send: a readable stream, bytes, or the path of a file. */
export type FileSource = Readable | Uint8Array | string;

/** Options of `FileResponse`. */
export interface FileResponseOptions extends ResponseOptions {
  /** Ask the browser to download rather than display (`Content-Disposition: attachment`). */
  asAttachment?: boolean;
  /** The name shown to the user; default the file's own name (a stream's `.path`, a path's last part). */
  filename?: string;
}

// Python's mimetypes.suffix_map: shorthand extensions for compressed files.
const SUFFIX_MAP: Readonly<Record<string, string>> = {
  '.svgz': '.svg.gz',
  '.tgz': '.tar.gz',
  '.taz': '.tar.gz',
  '.tz': '.tar.gz',
  '.tbz2': '.tar.bz2',
  '.txz': '.tar.xz',
};
// Python's mimetypes.encodings_map (case-sensitive there too), mapped to the types Django sends
// instead of Content-Encoding, so browsers do not unpack the download on the fly.
const COMPRESSED_TYPES: Readonly<Record<string, string>> = {
  '.gz': 'application/gzip',
  '.Z': 'application/x-compress',
  '.bz2': 'application/x-bzip',
  '.xz': 'application/x-xz',
  '.br': 'application/x-brotli',
};

/**
 * The Content-Type Django's FileResponse sends for `filename`: compressed files as their
 * archive type (`report.csv.gz` → `application/gzip`), others by extension (`mime-types`),
 * `application/octet-stream` when unknown.
 *
 * @example
 * guessFileType('résumé.pdf'); // 'application/pdf'
 * guessFileType('backup.tgz'); // 'application/gzip'
 */
export function guessFileType(filename: string): string {
  let name = filename;
  let ext = extname(name);
  while (Object.hasOwn(SUFFIX_MAP, ext.toLowerCase())) {
    name = name.slice(0, -ext.length) + SUFFIX_MAP[ext.toLowerCase()];
    ext = extname(name);
  }
  if (Object.hasOwn(COMPRESSED_TYPES, ext)) return COMPRESSED_TYPES[ext] as string;
  // mime-types would treat an extension-less 'txt' as '.txt'; Python finds no type for it.
  return (ext && mime.lookup(name)) || 'application/octet-stream';
}

function isReadable(value: unknown): value is Readable {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Readable).read === 'function' &&
    typeof (value as Readable).destroy === 'function' &&
    Symbol.asyncIterator in value
  );
}

/** Python's `os.path.basename` on POSIX (`'dir/'` → `''`). */
function basename(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** Bytes a file stream will still produce, when it reads a regular file; else undefined. */
function remainingBytes(stream: ReadStream): number | undefined {
  let stats: Stats;
  try {
    const fd = (stream as ReadStream & { fd?: unknown }).fd;
    if (typeof fd === 'number') stats = fstatSync(fd);
    else if (typeof stream.path === 'string') stats = statSync(stream.path);
    else return undefined;
  } catch {
    return undefined; // Django: no Content-Length when the size cannot be found.
  }
  if (!stats.isFile()) return undefined;
  const { start = 0, end = Number.POSITIVE_INFINITY } = stream as ReadStream & {
    start?: number;
    end?: number;
  };
  const consumed = stream.bytesRead - stream.readableLength;
  return Math.max(0, Math.min(stats.size, end + 1) - start - consumed);
}

/**
 * Streams a file: from a path, a `Readable` (e.g. `fs.createReadStream`), or bytes (sent in
 * 4096-byte blocks). Sets `Content-Length` when the size is known, guesses `Content-Type` from
 * the file name unless `contentType` is given, and sets `Content-Disposition` (`inline`, or
 * `attachment` with `asAttachment`). The file is closed when the response is.
 *
 * @example
 * return new FileResponse('/srv/reports/2024.pdf'); // inline; filename="2024.pdf"
 * return new FileResponse(fs.createReadStream(tmp), { asAttachment: true, filename: 'export.csv' });
 * return new FileResponse(Buffer.from('binary content'), { asAttachment: true, filename: 'my file.txt' });
 * @throws the `fs` error (ENOENT...) at once when a path cannot be opened, not mid-response.
 */
export class FileResponse extends StreamingHttpResponse {
  /** Size of the blocks bytes sources are cut into. */
  static blockSize = 4096;
  /** Whether `Content-Disposition` says `attachment`. */
  asAttachment: boolean;
  /** The file name given in the options (`''` when none). */
  filename: string;
  /** The stream or bytes being sent, `null` for other iterables. */
  fileToStream: Readable | Uint8Array | null = null;
  #explicitContentType: boolean;

  constructor(source: FileSource | StreamingSource, options: FileResponseOptions = {}) {
    const { asAttachment = false, filename = '', ...rest } = options;
    super([], rest);
    this.asAttachment = asAttachment;
    this.filename = filename;
    this.#explicitContentType = rest.contentType !== undefined && rest.contentType !== null;
    // Assigned here, not in super(), so the header logic sees the options above.
    this.streamingContent = source;
  }

  protected override setStreamingContent(value: FileSource | StreamingSource | Chunk): void {
    if (typeof value === 'string') {
      this.#sendStream(openFile(value), value);
    } else if (value instanceof Uint8Array) {
      this.#sendBytes(value);
    } else if (isReadable(value)) {
      this.#sendStream(value);
    } else {
      this.fileToStream = null;
      super.setStreamingContent(value);
    }
  }

  #sendBytes(bytes: Uint8Array): void {
    this.fileToStream = bytes;
    const blockSize = (this.constructor as typeof FileResponse).blockSize;
    function* blocks() {
      for (let offset = 0; offset < bytes.byteLength; offset += blockSize) {
        yield bytes.subarray(offset, offset + blockSize);
      }
    }
    this.#setHeaders('', bytes.byteLength);
    super.setStreamingContent(blocks());
  }

  #sendStream(stream: Readable, path = (stream as Partial<ReadStream>).path): void {
    this.fileToStream = stream;
    // A stream that fails before anyone reads it (the response was dropped) must not crash the
    // process with an unhandled 'error'; a reader still gets the error from the iterator.
    stream.on('error', () => {});
    this.addCloser(() => stream.destroy());
    const size = stream instanceof ReadStream ? remainingBytes(stream) : undefined;
    this.#setHeaders(typeof path === 'string' ? path : '', size);
    super.setStreamingContent(stream);
  }

  /** Django's `FileResponse.set_headers`. */
  #setHeaders(sourceName: string, size: number | undefined): void {
    if (size !== undefined) this.set('Content-Length', size);
    const filename = basename(this.filename || sourceName);
    if (!this.#explicitContentType) {
      this.set('Content-Type', filename ? guessFileType(filename) : 'application/octet-stream');
    }
    const disposition = contentDispositionHeader(this.asAttachment, filename);
    if (disposition) this.set('Content-Disposition', disposition);
  }
}

/** Open `path` now, so a missing file fails in the view rather than halfway through sending. */
function openFile(path: string): ReadStream {
  const fd = openSync(path, 'r');
  try {
    if (!fstatSync(fd).isFile()) {
      throw new TypeError(`FileResponse: ${path} is not a regular file. Pass the path of a file.`);
    }
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return createReadStream(path, { fd });
}
