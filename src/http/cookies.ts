/**
 * Request cookie parsing: `parseCookie()`, Django's lenient `parse_cookie`
 * (django/http/cookie.py), which browsers' real-world Cookie headers need. It never throws:
 * a malformed header yields whatever pairs can be read from it.
 *
 * @module
 */

/** Python's `str.strip()` whitespace (JS `trim()` differs: it strips U+FEFF, not U+001C–U+001F/U+0085). */
const PY_SPACE =
  '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

/** Python's `http.cookies._unquote` escapes: `\ooo` (octal, first digit 0–3) or `\` + any char but newline. */
const ESCAPE = /\\(?:([0-3][0-7][0-7])|([^\n]))/g;

/**
 * Parse a `Cookie` header into a name → value object, exactly like Django's `parse_cookie`:
 * split on every `;` (even inside quotes), a chunk without `=` has the name `""`, names and
 * values are stripped, empty chunks are skipped, double-quoted values are unquoted (`\"`,
 * `\\`, `\ooo` octal), and a later duplicate wins.
 *
 * @example
 * parseCookie('a=1; b="x\\"y"; a=2'); // { a: '2', b: 'x"y' }
 * parseCookie('abc');                 // { '': 'abc' }
 */
export function parseCookie(header: string): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const chunk of header.split(';')) {
    const eq = chunk.indexOf('=');
    // A chunk without "=" is a value with an empty name (https://bugzilla.mozilla.org/169091).
    const key = (eq === -1 ? '' : chunk.slice(0, eq)).replace(STRIP, '');
    const value = (eq === -1 ? chunk : chunk.slice(eq + 1)).replace(STRIP, '');
    if (!key && !value) continue;
    // defineProperty: a cookie named "__proto__" must stay an ordinary key.
    Object.defineProperty(cookies, key, {
      value: unquote(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return cookies;
}

/** Python's `http.cookies._unquote`. */
function unquote(value: string): string {
  if (value.length < 2 || value[0] !== '"' || value[value.length - 1] !== '"') return value;
  return value
    .slice(1, -1)
    .replace(ESCAPE, (_match, octal: string | undefined, char: string | undefined) =>
      octal === undefined ? (char as string) : String.fromCharCode(Number.parseInt(octal, 8)),
    );
}
