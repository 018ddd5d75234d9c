/**
 * Reading a request body, once, before the `HttpRequest` is built: `readBody()` and the
 * `RequestBody` it returns.
 *
 * Django reads the body lazily and synchronously when a view first touches `request.body` or
 * `request.POST`. Node cannot block on I/O, so the Koa host reads it eagerly here, and the
 * request decodes it lazily. Errors are captured, never thrown: `readBody()` always resolves,
 * and `request.body` / `request.POST` / `request.FILES` throw the recorded error when asked,
 * so a view that never looks at the body never fails because of it (as in Django).
 *
 * - No body (no Content-Length and no Transfer-Encoding, or a length of 0): empty.
 * - `multipart/form-data` on POST: streamed through busboy. Fields are kept as raw bytes
 *   (so `request.encoding` can re-decode them); files stay in memory up to
 *   `FILE_UPLOAD_MAX_MEMORY_SIZE`, larger ones go to a temporary file. Limits and file-name
 *   sanitising follow Django's `MultiPartParser`.
 * - Anything else: the exact bytes, at most `DATA_UPLOAD_MAX_MEMORY_SIZE`.
 *
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import getRawBody from 'raw-body';
import type { Settings } from '../conf/index.ts';
import { BadRequest, KoaDjangoError, MultiPartParserError, RawPostDataException } from '../exceptions.ts';
import { parseHeaderParameters } from './headers.ts';
import {
  type MultipartData,
  multipartError,
  readMultipart,
  requestDataTooBig,
  unreadablePostError,
} from './multipart.ts';

export type { MultipartData, MultipartField, MultipartFile } from './multipart.ts';

const EMPTY = Buffer.alloc(0);

/**
 * A request body as read by `readBody()`: its exact bytes, or the fields and files of a
 * multipart body, or the error met while reading it (thrown when the data is asked for).
 *
 * @example
 * const body = await readBody(ctx.req, { method: ctx.method, headers: ctx.req.headers, settings });
 * const request = new HttpRequest({ settings, method: ctx.method, path: ctx.path, body });
 * ctx.res.once('close', () => void body.close());
 */
export class RequestBody {
  readonly #bytes: Buffer;
  readonly #multipart: MultipartData | null;
  readonly #error: Error | null;
  readonly #streamed: boolean;

  private constructor(
    bytes: Buffer,
    multipart: MultipartData | null,
    error: Error | null,
    streamed: boolean,
  ) {
    this.#bytes = bytes;
    this.#multipart = multipart;
    this.#error = error;
    this.#streamed = streamed;
  }

  /**
   * A body holding exactly `bytes` (no size limit is applied: use `readBody()` for that).
   *
   * @example
   * const body = RequestBody.fromBytes(Buffer.from('{"a":1}'));
   */
  static fromBytes(bytes: Buffer): RequestBody {
    return new RequestBody(bytes, null, null, false);
  }

  /** A multipart body parsed into fields and files. */
  static fromMultipart(data: MultipartData): RequestBody {
    return new RequestBody(EMPTY, data, null, true);
  }

  /**
   * A body whose reading failed with `error`. `streamed`: the failure happened while a
   * multipart body was being parsed (then `bytes()` throws RawPostDataException and
   * `multipart()` throws `error`).
   */
  static failed(error: Error, options: { streamed?: boolean } = {}): RequestBody {
    return new RequestBody(EMPTY, null, error, options.streamed ?? false);
  }

  /** Whether the body was a multipart stream parsed into fields and files (no bytes kept). */
  get streamed(): boolean {
    return this.#streamed;
  }

  /** The error met while reading, if any. */
  get error(): Error | null {
    return this.#error;
  }

  /**
   * The exact bytes (what `request.body` answers). Throws the error met while reading, or
   * RawPostDataException for a multipart body, which was streamed into fields and files.
   */
  bytes(): Buffer {
    if (this.#streamed) {
      throw new RawPostDataException(
        "You cannot access body after reading from request's data stream: multipart/form-data bodies are streamed into request.POST and request.FILES.",
      );
    }
    if (this.#error) throw this.#error;
    return this.#bytes;
  }

  /** The parsed multipart data (`null` if the body was not multipart); throws the parse error. */
  multipart(): MultipartData | null {
    if (this.#streamed && this.#error) throw this.#error;
    return this.#multipart;
  }

  /** Delete temporary upload files. Never rejects; safe to call twice. */
  close(): Promise<void> {
    const files = this.#multipart?.files;
    // Called once per request: without uploads there is nothing to wait for.
    if (!files || files.length === 0) return CLOSED;
    return Promise.allSettled(files.map(({ file }) => file.close())).then(() => undefined);
  }
}

const EMPTY_BODY = RequestBody.fromBytes(EMPTY);
const CLOSED: Promise<void> = Promise.resolve();

/**
 * The body of a request that has none.
 *
 * @example
 * new HttpRequest({ settings, method: 'GET', path: '/', body: emptyBody() });
 */
export function emptyBody(): RequestBody {
  return EMPTY_BODY;
}

/** What `readBody()` needs to know about the request. */
export interface ReadBodyInit {
  /** The request method (multipart bodies are parsed for POST only, as in Django). */
  method: string;
  /** Node's request headers (lower-case names). */
  headers: IncomingHttpHeaders;
  settings: Settings;
}

/**
 * Read a request body once, within the limits in `settings`. Never rejects: a failure is
 * recorded in the returned `RequestBody` and thrown later by `request.body` / `request.POST`.
 *
 * @example
 * const body = await readBody(ctx.req, { method: ctx.method, headers: ctx.req.headers, settings });
 */
export async function readBody(stream: Readable, init: ReadBodyInit): Promise<RequestBody> {
  try {
    return await readBodyOrThrow(stream, init);
  } catch (error) {
    return RequestBody.failed(error instanceof KoaDjangoError ? error : multipartError(error));
  }
}

async function readBodyOrThrow(
  stream: Readable,
  { method, headers, settings }: ReadBodyInit,
): Promise<RequestBody> {
  const lengthHeader = headerValue(headers['content-length']);
  let length: number | null = null;
  if (lengthHeader !== undefined) {
    if (!/^\s*\d+\s*$/.test(lengthHeader)) {
      return RequestBody.failed(
        new BadRequest(
          `Invalid Content-Length header: '${lengthHeader}'. It must be the body size in bytes, a whole number.`,
        ),
      );
    }
    length = Number(lengthHeader);
  }
  if ((length === null && headers['transfer-encoding'] === undefined) || length === 0) return emptyBody();

  const contentType = headerValue(headers['content-type']) ?? '';
  if (
    method.toUpperCase() === 'POST' &&
    // The cheap test first: a urlencoded webhook need not have its Content-Type parsed here.
    contentType.toLowerCase().includes('multipart/form-data') &&
    parseHeaderParameters(contentType)[0] === 'multipart/form-data'
  ) {
    let boundary: string | null = null;
    try {
      boundary = multipartBoundary(contentType);
    } catch {
      // Read it as plain bytes: request.body works and request.POST reports the bad boundary.
    }
    if (boundary !== null) {
      const { data, error } = await readMultipart(stream, boundary, settings);
      return data ? RequestBody.fromMultipart(data) : RequestBody.failed(error, { streamed: true });
    }
  }
  return readRaw(stream, length, settings.DATA_UPLOAD_MAX_MEMORY_SIZE);
}

async function readRaw(stream: Readable, length: number | null, limit: number | null): Promise<RequestBody> {
  if (limit !== null && length !== null && length > limit)
    return RequestBody.failed(requestDataTooBig(limit));
  try {
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      // raw-body never settles when a stream closes without 'end' or 'aborted'; fail instead.
      const onClose = () => {
        if (!stream.readableEnded && !stream.errored) {
          reject(new Error('the connection closed before the body was complete'));
        }
      };
      stream.once('close', onClose);
      getRawBody(stream, { length, limit })
        .then(resolve, reject)
        .finally(() => stream.off('close', onClose));
    });
    return RequestBody.fromBytes(bytes);
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large' && limit !== null) {
      return RequestBody.failed(requestDataTooBig(limit));
    }
    return RequestBody.failed(unreadablePostError(error));
  }
}

/**
 * The boundary of a multipart `Content-Type`, validated as Django's `MultiPartParser` does
 * (starts with `multipart/`, ASCII only, boundary matching `[ -~]{0,200}[!-~]`); throws
 * MultiPartParserError otherwise.
 *
 * @example
 * multipartBoundary('multipart/form-data; boundary=----x'); // '----x'
 * multipartBoundary('multipart/form-data');                 // throws: Invalid boundary in multipart: None...
 */
export function multipartBoundary(contentType: string): string {
  if (!contentType.startsWith('multipart/')) {
    throw new MultiPartParserError(
      `Invalid Content-Type: ${contentType}. A multipart body needs 'Content-Type: multipart/form-data; boundary=...' (lower-case 'multipart/').`,
    );
  }
  if (/[^\p{ASCII}]/u.test(contentType)) {
    throw new MultiPartParserError(
      `Invalid non-ASCII Content-Type in multipart: ${contentType}. Use only ASCII characters in the boundary.`,
    );
  }
  const boundary = parseHeaderParameters(contentType)[1].boundary;
  if (!boundary || !/^[ -~]{0,200}[!-~]$/.test(boundary)) {
    throw new MultiPartParserError(
      `Invalid boundary in multipart: ${boundary ?? 'None'}. The Content-Type must carry a boundary parameter of 1 to 201 printable ASCII characters, not ending in a space.`,
    );
  }
  return boundary;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
