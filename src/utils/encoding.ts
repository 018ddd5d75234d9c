/**
 * URL quoting with Python's `urllib.parse` rules, which Django's URL helpers are defined by
 * (`quote`, `quote_plus`, `iri_to_uri`, `escape_uri_path`, `uri_to_iri`). `encodeURIComponent`
 * is close but not equal: it leaves `!'()*` alone and knows nothing of a `safe` set.
 *
 * @module
 */

const ALWAYS_SAFE = /[A-Za-z0-9_.\-~]/;

/**
 * Percent-encode `value` as UTF-8, leaving letters, digits, `_.-~` and the chars in `safe` as they
 * are (Python's `urllib.parse.quote`).
 *
 * @example
 * quote('/a b/ç'); // '/a%20b/%C3%A7'
 * quote('a/b', ''); // 'a%2Fb'
 */
export function quote(value: string, safe = '/'): string {
  let out = '';
  for (const ch of value) {
    if (ALWAYS_SAFE.test(ch) || safe.includes(ch)) {
      out += ch;
    } else {
      for (const byte of Buffer.from(ch, 'utf8'))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/**
 * Like `quote`, but a space becomes `+` and `/` is encoded by default (Python's `quote_plus`,
 * used for query strings).
 *
 * @example
 * quotePlus('x y/z'); // 'x+y%2Fz'
 */
export function quotePlus(value: string, safe = ''): string {
  if (!value.includes(' ')) return quote(value, safe);
  return quote(value, `${safe} `).replaceAll(' ', '+');
}

/**
 * Encode an IRI (a URL that may hold non-ASCII) into a URI, leaving reserved and already-escaped
 * characters alone (Django's `iri_to_uri`, RFC 3987 §3.1).
 *
 * @example
 * iriToUri('/blog/for/Jürgen Münster/'); // '/blog/for/J%C3%BCrgen%20M%C3%BCnster/'
 */
export function iriToUri(iri: string): string {
  return quote(iri, "/#%[]=:;$&()+,!?*@'~");
}

/**
 * Escape the unsafe characters of a URL path (Django's `escape_uri_path`), keeping `/:@&+$,-_.!~*'()`.
 *
 * @example
 * escapeUriPath('/a b/#x'); // '/a%20b/%23x'
 */
export function escapeUriPath(path: string): string {
  return quote(path, "/:@&+$,-_.!~*'()");
}

/**
 * Decode `%XX` escapes into bytes, then read those bytes as UTF-8; byte sequences that are not
 * valid UTF-8 stay percent-encoded (Django's `uri_to_iri`-style path decoding, so `/caf%E9/`
 * stays `/caf%E9/` and `%2F` becomes `/`). Malformed escapes (`%zz`) are kept literally.
 *
 * @example
 * decodePath('/caf%C3%A9/'); // '/café/'
 * decodePath('/caf%E9/');    // '/caf%E9/'
 */
export function decodePath(raw: string): string {
  if (!raw.includes('%')) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; ) {
    if (raw[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(raw.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      // One code point (two UTF-16 units for astral characters such as emoji).
      const ch = String.fromCodePoint(raw.codePointAt(i) as number);
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      i += ch.length;
    }
  }
  return decodeUtf8Lenient(Buffer.from(bytes));
}

/** UTF-8 decode, re-percent-encoding each byte of an invalid sequence. */
function decodeUtf8Lenient(buf: Buffer): string {
  const strict = new TextDecoder('utf-8', { fatal: true });
  try {
    return strict.decode(buf);
  } catch {
    // Walk the bytes: keep each valid sequence, escape each invalid byte.
    let out = '';
    let i = 0;
    while (i < buf.length) {
      const len = sequenceLength(buf, i);
      if (len > 0) {
        out += buf.subarray(i, i + len).toString('utf8');
        i += len;
      } else {
        out += `%${(buf[i] as number).toString(16).toUpperCase().padStart(2, '0')}`;
        i += 1;
      }
    }
    return out;
  }
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 if it is not valid. */
function sequenceLength(buf: Buffer, i: number): number {
  const b0 = buf[i] as number;
  if (b0 < 0x80) return 1;
  const len = b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
  if (len === 0 || i + len > buf.length) return 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(i, i + len));
    return len;
  } catch {
    return 0;
  }
}
