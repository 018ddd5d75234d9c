/**
 * QueryDict parsing has fast paths (src/http/query-dict.ts): decodeURIComponent for well-formed
 * UTF-8 escapes, ASCII bodies read without a decoder, values appended straight into the map.
 * These tests compare the result with a plain transcription of Python's parse_qsl + unquote
 * (every escape to bytes, then a lenient decode) for generated query strings and charsets.
 */
import { TextDecoder } from 'node:util';
import test from 'ava';
import fc from 'fast-check';
import { QueryDict } from '../../src/http/query-dict.ts';

/** Python's `unquote(s.replace('+', ' '), encoding, errors='replace')`, the slow way. */
function referenceUnquotePlus(s: string, encoding: 'utf-8' | 'latin1'): string {
  const spaced = s.replaceAll('+', ' ');
  // Python decodes each run of ASCII characters as bytes; other characters pass through.
  return spaced.replace(/[\x20-\x7e]+/g, (run) => {
    const bytes: number[] = [];
    for (let i = 0; i < run.length; i++) {
      const hex = run.slice(i + 1, i + 3);
      if (run[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(run.charCodeAt(i));
      }
    }
    // True ISO-8859-1 (Python's latin-1), not WHATWG's windows-1252 'latin1' label.
    if (encoding === 'latin1') return Buffer.from(bytes).toString('latin1');
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(Uint8Array.from(bytes));
  });
}

function referenceParse(qs: string, encoding: 'utf-8' | 'latin1'): [string, string[]][] {
  const lists = new Map<string, string[]>();
  for (const chunk of qs.split('&')) {
    if (!chunk) continue;
    const eq = chunk.indexOf('=');
    const key = referenceUnquotePlus(eq === -1 ? chunk : chunk.slice(0, eq), encoding);
    const value = referenceUnquotePlus(eq === -1 ? '' : chunk.slice(eq + 1), encoding);
    lists.set(key, [...(lists.get(key) ?? []), value]);
  }
  return [...lists];
}

// Pieces that make escapes well formed, malformed, split across characters, or invalid UTF-8.
const piece = fc.constantFrom(
  'a',
  'Z',
  '0',
  '+',
  '=',
  '&',
  '%',
  '%2B',
  '%2b',
  '%20',
  '%C3',
  '%A9',
  '%C3%A9',
  '%E2%82%AC',
  '%F0%9F%98%80',
  '%ED%A0%80',
  '%EF%BB%BF',
  '%zz',
  '%4',
  '%25',
  'é',
  '☃',
  '-',
  '.',
);
const queryStrings = fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join(''));

test('new QueryDict(qs, { encoding }) parses like Python for generated query strings', (t) => {
  const property = fc.property(
    queryStrings,
    fc.constantFrom('utf-8', 'UTF8', 'latin-1') as fc.Arbitrary<string>,
    (qs, encoding) => {
      const expected = referenceParse(qs, encoding === 'latin-1' ? 'latin1' : 'utf-8');
      return JSON.stringify(new QueryDict(qs, { encoding }).lists()) === JSON.stringify(expected);
    },
  );
  t.notThrows(() => fc.assert(property, { numRuns: 2000 }));
});

test('new QueryDict(buffer) of plain ASCII bytes gives the same as the text, in ASCII-compatible charsets', (t) => {
  const qs = 'From=%2B14155550199&Body=Hello+from+the+benchmark&Body=again&Empty=';
  for (const encoding of ['utf-8', 'latin-1', 'ascii', 'cp1252']) {
    t.deepEqual(
      new QueryDict(Buffer.from(qs), { encoding }).lists(),
      new QueryDict(qs, { encoding }).lists(),
    );
  }
  t.deepEqual(new QueryDict(Buffer.from(qs)).lists(), [
    ['From', ['+14155550199']],
    ['Body', ['Hello from the benchmark', 'again']],
    ['Empty', ['']],
  ]);
});

test('new QueryDict(buffer, { encoding: "utf-16le" }) still decodes the bytes as UTF-16', (t) => {
  const bytes = Buffer.from('a=1', 'utf16le');
  t.deepEqual(new QueryDict(bytes, { encoding: 'utf-16le' }).lists(), [['a', ['1']]]);
});

test('new QueryDict(qs) of a subclass grows its lists through its own setlistdefault', (t) => {
  const seen: string[] = [];
  class Logged extends QueryDict {
    override setlistdefault(key: string, defaultList: Iterable<string> = []): string[] {
      seen.push(key);
      return super.setlistdefault(key, defaultList);
    }
  }
  const q = new Logged('a=1&b=2&a=3');
  t.deepEqual(seen, ['a', 'b', 'a']);
  t.deepEqual(q.getlist('a'), ['1', '3']);
});
