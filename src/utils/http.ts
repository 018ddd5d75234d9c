/**
 * Small HTTP helpers the response classes share, each matching the Django (or Python stdlib)
 * function it ports: `httpDate` (`django.utils.http.http_date`), `contentDispositionHeader`
 * (`django.utils.http.content_disposition_header`), `mimeEncodeHeader` (`email.header.Header`,
 * used by Django for non-latin-1 header values), charset codecs with Python's strictness
 * (`str.encode` / `bytes.decode`), and `pythonRepr` for error messages that quote a value.
 *
 * @module
 */
import { TextDecoder } from 'node:util';
import { quote } from './encoding.ts';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Format seconds since the epoch as an RFC 7231 IMF-fixdate (the `Expires` / `Last-Modified`
 * format). Fractions of a second are dropped (floored), as Python's `formatdate` does.
 *
 * @example
 * httpDate(1700000010); // 'Tue, 14 Nov 2023 22:13:30 GMT'
 * httpDate();           // now
 */
export function httpDate(epochSeconds: number = Date.now() / 1000): string {
  const d = new Date(Math.floor(epochSeconds) * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT`
  );
}

// RFC 6266 / RFC 7230 §3.2.6: a quoted-string holds HTAB, SP and 0x21-0x7E (with `"` and `\`
// escaped). Django tests this with `re.match(...$)`; we anchor strictly, so a trailing newline
// is percent-encoded instead of reaching the header (where it would be refused).
const QUOTABLE_FILENAME = /^[\t\x20-\x7e]*$/;

/**
 * Build a `Content-Disposition` value for `filename` (RFC 6266), or `null` when there is nothing
 * to say (no file name and not an attachment). ASCII names are quoted, others are sent as
 * `filename*=utf-8''<percent-encoded>`.
 *
 * @example
 * contentDispositionHeader(true, 'my file.txt'); // 'attachment; filename="my file.txt"'
 * contentDispositionHeader(false, 'résumé.pdf'); // "inline; filename*=utf-8''r%C3%A9sum%C3%A9.pdf"
 * contentDispositionHeader(true, '');            // 'attachment'
 * contentDispositionHeader(false, '');           // null
 */
export function contentDispositionHeader(asAttachment: boolean, filename: string): string | null {
  if (filename) {
    const disposition = asAttachment ? 'attachment' : 'inline';
    const fileExpr = QUOTABLE_FILENAME.test(filename)
      ? `filename="${filename.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
      : `filename*=utf-8''${quote(filename)}`;
    return `${disposition}; ${fileExpr}`;
  }
  return asAttachment ? 'attachment' : null;
}

// Python's email.quoprimime header map: these bytes stay as they are, space becomes `_`.
const QP_SAFE = /^[-!*+/A-Za-z0-9]$/;

/**
 * Encode a header value as one RFC 2047 encoded word in UTF-8, choosing base64 (`b`) or
 * quoted-printable (`q`), whichever is shorter, as Python's
 * `email.header.Header(value, 'utf-8').encode()` does (ties go to `q`). Django uses this for
 * header values that latin-1 cannot represent.
 *
 * @example
 * mimeEncodeHeader('†');            // '=?utf-8?b?4oCg?='
 * mimeEncodeHeader('abcdefghij †'); // '=?utf-8?q?abcdefghij_=E2=80=A0?='
 */
export function mimeEncodeHeader(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length === 0) return '';
  const base64Length = Math.ceil(bytes.length / 3) * 4;
  let qp = '';
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    if (byte === 0x20) qp += '_';
    else if (QP_SAFE.test(ch)) qp += ch;
    else qp += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return base64Length < qp.length ? `=?utf-8?b?${bytes.toString('base64')}?=` : `=?utf-8?q?${qp}?=`;
}

// In `u` mode a surrogate range only matches surrogates that are not part of a pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

type Codec = 'utf8' | 'latin1' | 'ascii' | 'utf16le';

// Python codec aliases for the charsets Node can encode natively (lower-cased, without -_ and spaces).
const CODECS: Record<string, Codec> = {
  utf8: 'utf8',
  u8: 'utf8',
  utf: 'utf8',
  latin1: 'latin1',
  latin: 'latin1',
  l1: 'latin1',
  iso88591: 'latin1',
  iso8859: 'latin1',
  isoir100: 'latin1',
  cp819: 'latin1',
  '8859': 'latin1',
  ascii: 'ascii',
  usascii: 'ascii',
  '646': 'ascii',
  utf16le: 'utf16le',
};

function codecOf(charset: string): Codec | undefined {
  return CODECS[charset.toLowerCase().replace(/[-_\s]/g, '')];
}

/**
 * Encode `text` with `charset` strictly, like Python's `str.encode(charset)`: a character the
 * charset cannot represent throws instead of being replaced. Encodes utf-8, latin-1
 * (iso-8859-1), ascii and utf-16le, under their usual names.
 *
 * @example
 * encodeText('café', 'utf-8');      // <Buffer 63 61 66 c3 a9>
 * encodeText('café', 'iso-8859-1'); // <Buffer 63 61 66 e9>
 * encodeText('€', 'latin-1');       // throws TypeError
 */
export function encodeText(text: string, charset: string): Buffer {
  const codec = codecOf(charset);
  if (codec === undefined) {
    throw new TypeError(
      `Cannot encode text as '${charset}': koa-django encodes strings as utf-8, latin-1 (iso-8859-1), ` +
        'ascii or utf-16le. Pass bytes (a Buffer) instead, or use one of those charsets.',
    );
  }
  const limit = codec === 'latin1' ? 0xff : codec === 'ascii' ? 0x7f : -1;
  if (limit !== -1) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) > limit) {
        const ch = String.fromCodePoint(text.codePointAt(i) as number);
        throw new TypeError(
          `'${charset}' cannot encode ${pythonRepr(ch)} (position ${i}). Use charset 'utf-8', or pass bytes.`,
        );
      }
    }
  } else if (LONE_SURROGATE.test(text)) {
    throw new TypeError(`Cannot encode text with a lone surrogate as '${charset}'.`);
  }
  return Buffer.from(text, codec);
}

/**
 * Decode `bytes` with `charset` strictly, like Python's `bytes.decode(charset)`: invalid bytes
 * throw, and a UTF-8 byte-order mark is kept as U+FEFF. Charsets Node cannot encode are still
 * decoded when the WHATWG Encoding Standard knows them (e.g. `shift_jis`).
 *
 * @example
 * decodeText(Buffer.from([0x63, 0xe9]), 'latin-1'); // 'cé'
 */
export function decodeText(bytes: Uint8Array, charset: string): string {
  const codec = codecOf(charset);
  if (codec === 'latin1')
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (codec === 'ascii') {
    const bad = bytes.findIndex((b) => b > 0x7f);
    if (bad !== -1)
      throw new TypeError(`'${charset}' cannot decode byte 0x${bytes[bad]?.toString(16)} (position ${bad}).`);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
  let decoder: TextDecoder;
  try {
    // WHATWG maps 'latin1'/'iso-8859-1' to windows-1252; those never reach here (handled above).
    decoder = new TextDecoder(codec === 'utf16le' ? 'utf-16le' : codec === 'utf8' ? 'utf-8' : charset, {
      fatal: true,
      ignoreBOM: true,
    });
  } catch {
    throw new TypeError(`Unknown charset '${charset}': cannot decode the content. Read the bytes instead.`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new TypeError(`The content is not valid '${charset}'. Read the bytes instead, or fix the charset.`);
  }
}

/**
 * Quote a string the way Python's `repr()` does, for error messages that must read like
 * Django's (`Header values can't contain newlines (got 'a\nb')`).
 *
 * @example
 * pythonRepr('a\nb'); // "'a\\nb'"
 * pythonRepr("it's"); // `"it's"`
 */
export function pythonRepr(value: string): string {
  const quoteChar = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quoteChar;
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === quoteChar || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quoteChar;
}
