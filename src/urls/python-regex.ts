/**
 * Python-flavoured regular expressions for `rePath()`, compiled to JavaScript `RegExp`s.
 *
 * Patterns are kept in Python's syntax, as Django shows them (`^people/(?P<name>\w+)/\Z`), so
 * `reverse()`'s template builder and error messages read the same as Django's. A `RegExp` given to
 * `rePath()` is first rewritten into that form. Translation to JavaScript:
 *
 * - `(?P<name>…)` → `(?<name>…)`, `(?P=name)` → `\k<name>`, `(?#comment)` dropped;
 * - `\Z` → `$` and `\A` → `^` (JavaScript's `$` without the `m` flag is the true end of input,
 *   so `"/articles/2003/\n"` never matches `…/\Z` or `…/$`);
 * - leading global flags `(?i)`, `(?s)`, `(?m)` become RegExp flags (`(?a)`, `(?u)`, `(?L)` are
 *   accepted and ignored, `(?x)` is refused);
 * - `{,n}` → `{0,n}`; a `]` right after `[` or `[^` is a literal, as in Python.
 *
 * Not available in JavaScript on Node 20, so refused with ImproperlyConfigured: scoped flags
 * `(?i:…)`, conditionals `(?(1)…)`, atomic groups and possessive quantifiers. `\d`, `\w` and `\s`
 * are ASCII-only in JavaScript (Python's are Unicode-aware): a deliberate, safer difference.
 *
 * @module
 */
import { ImproperlyConfigured } from '../exceptions.ts';

/** One regex in Python syntax plus the RegExp flags it carries (from a `RegExp` or `(?i)`). */
export interface RegexPiece {
  /** Python-syntax source. */
  readonly source: string;
  /** RegExp flags (a subset of `ims` and `u`). */
  readonly flags: string;
}

const IGNORED_PYTHON_FLAGS = new Set(['a', 'u', 'L']);

/**
 * Rewrite a JavaScript `RegExp` into Python syntax: `(?<n>…)` → `(?P<n>…)`, `\k<n>` → `(?P=n)`,
 * `[^]` → `[\s\S]`. Flags `g`, `y` and `d` are dropped (they change `exec()` state, not meaning).
 *
 * @example
 * fromRegExp(/^sms\/(?<sid>\w+)\/$/i); // { source: '^sms\\/(?P<sid>\\w+)\\/$', flags: 'i' }
 */
export function fromRegExp(regex: RegExp): RegexPiece {
  if (regex.flags.includes('v')) {
    throw new ImproperlyConfigured(
      `rePath(${regex}) uses the 'v' flag, which URL patterns do not support. Use the 'u' flag instead.`,
    );
  }
  const src = regex.source;
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (ch === '\\') {
      const named = inClass ? null : /^\\k<([^>]+)>/.exec(src.slice(i));
      if (named) {
        out += `(?P=${named[1]})`;
        i += named[0].length - 1;
      } else {
        out += src.slice(i, i + 2);
        i++;
      }
    } else if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
    } else if (ch === '[') {
      if (src.startsWith('[^]', i)) {
        out += '[\\s\\S]';
        i += 2;
      } else {
        inClass = true;
        out += ch;
      }
    } else if (ch === '(' && /^\(\?<[^=!]/.test(src.slice(i, i + 4))) {
      out += '(?P<';
      i += 2;
    } else {
      out += ch;
    }
  }
  return { source: out, flags: [...regex.flags].filter((f) => 'imsu'.includes(f)).join('') };
}

/**
 * Translate Python-syntax `source` into a JavaScript pattern body and its flags (see the module
 * header for the rules).
 *
 * @throws ImproperlyConfigured for Python constructs JavaScript cannot express.
 * @example
 * toJavaScript('(?i)^articles/(?P<year>[0-9]{4})/\\Z'); // { body: '^articles/(?<year>[0-9]{4})/$', flags: 'i' }
 */
export function toJavaScript(source: string, baseFlags = ''): { body: string; flags: string } {
  const flags = new Set(baseFlags);
  let i = 0;
  for (
    let lead = /^\(\?([a-zA-Z]+)\)/.exec(source);
    lead;
    lead = /^\(\?([a-zA-Z]+)\)/.exec(source.slice(i))
  ) {
    for (const flag of lead[1] as string) {
      if (flag === 'i' || flag === 'm' || flag === 's') flags.add(flag);
      else if (flag === 'x') throw unsupported(source, 'the verbose flag (?x)');
      else if (!IGNORED_PYTHON_FLAGS.has(flag)) throw unsupported(source, `the unknown flag (?${flag})`);
    }
    i += lead[0].length;
  }
  const multiline = flags.has('m');
  let body = '';
  let inClass = false;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw invalid(source, 'it ends with a lone backslash');
      if (!inClass && next === 'Z') body += multiline ? '(?![\\s\\S])' : '$';
      else if (!inClass && next === 'A') body += multiline ? '(?<![\\s\\S])' : '^';
      else body += ch + next;
      i += 2;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      body += ch;
      i++;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      body += ch;
      i++;
      if (source[i] === '^') body += source[i++];
      // Python reads a `]` in first position as a literal; JavaScript would close the class.
      if (source[i] === ']') {
        body += '\\]';
        i++;
      }
      continue;
    }
    if (ch === '{' && /^\{,\d+\}/.test(source.slice(i))) {
      body += '{0';
      i++;
      continue;
    }
    if (ch === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2);
      if (rest.startsWith('P<')) {
        body += '(?<';
        i += 4;
        continue;
      }
      const backref = /^P=([^)]*)\)/.exec(rest);
      if (backref) {
        body += `\\k<${backref[1]}>`;
        i += 2 + backref[0].length;
        continue;
      }
      if (rest.startsWith('#')) {
        const end = source.indexOf(')', i);
        if (end < 0) throw invalid(source, 'a (?# comment is not closed');
        i = end + 1;
        continue;
      }
      if (/^[a-zA-Z-]+:/.test(rest)) throw unsupported(source, 'scoped flags (?flags:...)');
      if (/^[a-zA-Z]+\)/.test(rest))
        throw invalid(source, 'global flags are not at the start of the expression');
      if (rest.startsWith('(')) throw unsupported(source, 'conditional groups (?(...)...)');
      if (rest.startsWith('>')) throw unsupported(source, 'atomic groups (?>...)');
    }
    body += ch;
    i++;
  }
  return { body, flags: [...flags].sort().join('') };
}

/**
 * Compile pieces (in Python syntax) into one JavaScript RegExp, whose flags are the union of the
 * pieces' flags. `mode` wraps the body: `'search'` as is, `'full'` anchored at both ends (Python's
 * `fullmatch`), `'sticky'` with the `y` flag (match exactly at `lastIndex`).
 *
 * @throws ImproperlyConfigured when the result is not a valid regular expression.
 * @example
 * compilePieces([{ source: '^blog/', flags: '' }], 'search').exec('blog/x'); // matches 'blog/'
 */
export function compilePieces(pieces: readonly RegexPiece[], mode: 'search' | 'full' | 'sticky'): RegExp {
  const translated = pieces.map((piece) => toJavaScript(piece.source, piece.flags));
  const body = translated.map((t) => t.body).join('');
  const flags = new Set(translated.flatMap((t) => [...t.flags]));
  if (mode === 'sticky') flags.add('y');
  const wrapped = mode === 'search' ? body : mode === 'full' ? `^(?:${body})$` : `(?:${body})`;
  try {
    return new RegExp(wrapped, [...flags].join(''));
  } catch (error) {
    throw invalid(pieces.map((p) => p.source).join(''), (error as Error).message);
  }
}

function invalid(source: string, reason: string): ImproperlyConfigured {
  return new ImproperlyConfigured(`"${source}" is not a valid regular expression: ${reason}`);
}

function unsupported(source: string, what: string): ImproperlyConfigured {
  return new ImproperlyConfigured(
    `"${source}" uses ${what}, which JavaScript regular expressions cannot express. Rewrite the pattern without it.`,
  );
}
