/**
 * Turn a URL regex into the URL templates `reverse()` fills in (Django's
 * `django/utils/regex_helper.normalize`). It is not a regex decompiler, just enough for URLs:
 *
 * - a quantifier keeps its minimum (`?` and `*` → 0, `+` → 1, `{m,n}` → m); a group that may
 *   occur zero times produces two templates, without it and with it once;
 * - a character class gives its first character (`[0-9]` → `0`, and, as in Django, `[^/]` → `^`);
 *   `.` stays `.`; `\d` → `0`, `\w` → `x`, `\s` → space, `\W` → `!`, `\D` and `\S` → `x`;
 * - `\A`, `\b`, `\B`, `\Z`, `^`, look-arounds, comments and flag groups produce nothing; the first
 *   unescaped `$` ends the template;
 * - a capturing group becomes a parameter: `(?P<name>…)` → `name`, an unnamed group → `_0`, `_1`…
 *   (filled from positional args); `(?P=name)` repeats `name` without adding a parameter;
 * - a top-level `|` makes the regex unreversible: the one template is empty.
 *
 * @module
 */
import { ImproperlyConfigured } from '../exceptions.ts';

/** A piece of a URL template: literal text, or the parameter to substitute. */
export type TemplatePart = string | { readonly param: string };

/** One way to build a URL from a regex: the template and the parameters it needs, in order. */
export interface ReverseForm {
  readonly template: readonly TemplatePart[];
  readonly params: readonly string[];
}

/** Representatives of escaped classes; `null` means "produces nothing". Others stand for themselves. */
const ESCAPE_MAPPINGS: Readonly<Record<string, string | null>> = {
  A: null,
  b: null,
  B: null,
  d: '0',
  D: 'x',
  s: ' ',
  S: 'x',
  w: 'x',
  W: '!',
  Z: null,
};

interface Token {
  ch: string;
  escaped: boolean;
}

class Group {
  constructor(
    /** What the template substitutes. */
    readonly param: string,
    /** False for a back-reference: substituted, but not a parameter of its own. */
    readonly counted: boolean,
  ) {}
}

class NonCapture {
  constructor(readonly items: Node[]) {}
}

class Choice {
  constructor(readonly options: (Node | null)[]) {}
}

type Node = string | Group | NonCapture | Choice;

/** Walks a pattern one (possibly escaped) character at a time, with save/restore for look-ahead. */
class Tokens {
  #pos = 0;

  constructor(readonly pattern: string) {}

  next(): Token | null {
    while (this.#pos < this.pattern.length) {
      const ch = this.pattern[this.#pos++] as string;
      if (ch !== '\\') return { ch, escaped: false };
      const escapedChar = this.pattern[this.#pos++];
      if (escapedChar === undefined) return null;
      const representative = escapedChar in ESCAPE_MAPPINGS ? ESCAPE_MAPPINGS[escapedChar] : escapedChar;
      if (representative === null || representative === undefined) continue;
      return { ch: representative, escaped: true };
    }
    return null;
  }

  save(): number {
    return this.#pos;
  }

  restore(pos: number): void {
    this.#pos = pos;
  }
}

/**
 * The URL templates `pattern` (Python regex syntax) can produce, in the order `reverse()` tries them.
 *
 * @throws ImproperlyConfigured for group syntax no URL can be built from.
 * @example
 * normalize('^articles/(?P<year>[0-9]{4})/(?:page-(?P<page>[0-9]+)/)?\\Z');
 * // [{ template: ['articles/', { param: 'year' }, '/'], params: ['year'] },
 * //  { template: ['articles/', { param: 'year' }, '/page-', { param: 'page' }, '/'], params: ['year', 'page'] }]
 */
export function normalize(pattern: string): ReverseForm[] {
  const tokens = new Tokens(pattern);
  let result: Node[] = [];
  const nonCapturingStarts: number[] = [];
  let numArgs = 0;

  for (let token = tokens.next(); token; token = tokens.next()) {
    const { ch, escaped } = token;
    if (escaped) {
      result.push(ch);
      continue;
    }
    if (ch === '.') {
      result.push('.');
    } else if (ch === '|') {
      // Django cannot reverse a disjunction: the only template is the empty one.
      return [{ template: [], params: [] }];
    } else if (ch === '^') {
      // Anchors produce nothing.
    } else if (ch === '$') {
      break;
    } else if (ch === ')') {
      // Only a non-capturing group can close here: capturing groups are skipped whole.
      const start = nonCapturingStarts.pop();
      if (start === undefined) throw unbalanced(pattern);
      const inner = result.slice(start);
      result = [...result.slice(0, start), new NonCapture(inner)];
    } else if (ch === '[') {
      const first = tokens.next();
      if (!first) break;
      result.push(first.ch);
      skipClass(tokens);
    } else if (ch === '(') {
      numArgs = readGroup(pattern, tokens, result, nonCapturingStarts, numArgs);
    } else if ('*?+{'.includes(ch)) {
      const min = readQuantifier(ch, tokens);
      if (min === null) {
        result.push(ch);
      } else if (result.length > 0) {
        const last = result[result.length - 1] as Node;
        if (min === 0) {
          if (containsGroup(last)) result[result.length - 1] = new Choice([null, last]);
          else result.pop();
        } else {
          for (let n = 1; n < min; n++) result.push(last);
        }
      }
    } else {
      result.push(ch);
    }
  }
  return flatten(result).map(mergeLiterals);
}

/** Handle a `(`: push the group it opens; return the updated count of positional groups. */
function readGroup(
  pattern: string,
  tokens: Tokens,
  result: Node[],
  nonCapturingStarts: number[],
  numArgs: number,
): number {
  const first = tokens.next();
  if (!first) return numArgs;
  if (first.ch !== '?' || first.escaped) {
    const name = `_${numArgs}`;
    result.push(new Group(name, true));
    walkToEnd(first, tokens);
    return numArgs + 1;
  }
  const kind = tokens.next();
  if (!kind) return numArgs;
  if ('!=<#'.includes(kind.ch)) {
    // Look-arounds and comments match no text of their own.
    walkToEnd(kind, tokens);
  } else if (kind.ch === ':') {
    nonCapturingStarts.push(result.length);
  } else if (/^[a-zA-Z]$/.test(kind.ch)) {
    if (kind.ch === 'P') {
      const sort = tokens.next();
      if (sort?.ch === '<' || sort?.ch === '=') {
        const terminal = sort.ch === '<' ? '>' : ')';
        let name = '';
        let t = tokens.next();
        while (t && t.ch !== terminal) {
          name += t.ch;
          t = tokens.next();
        }
        if (terminal === '>') {
          result.push(new Group(name, true));
          walkToEnd({ ch: '>', escaped: false }, tokens);
        } else {
          result.push(new Group(name, false));
        }
        return numArgs;
      }
      throw new ImproperlyConfigured(
        `Cannot reverse "${pattern}": non-reversible reg-exp portion '(?P${sort?.ch ?? ''}'.`,
      );
    }
    // Inline flags: `(?i)` produces nothing, `(?i:...)` is a non-capturing group.
    let t: Token | null = kind;
    while (t && /^[a-zA-Z-]$/.test(t.ch)) t = tokens.next();
    if (t?.ch === ':') nonCapturingStarts.push(result.length);
  } else {
    throw new ImproperlyConfigured(
      `Cannot reverse "${pattern}": non-reversible reg-exp portion '(?${kind.ch}'.`,
    );
  }
  return numArgs;
}

/** Skip to the `)` closing the group whose first inner token is `first`, minding nesting and classes. */
function walkToEnd(first: Token, tokens: Tokens): void {
  let nesting = 0;
  for (let token: Token | null = first; token; token = tokens.next()) {
    if (token.escaped) continue;
    if (token.ch === '[') {
      tokens.next();
      skipClass(tokens);
    } else if (token.ch === '(') {
      nesting++;
    } else if (token.ch === ')') {
      if (nesting === 0) return;
      nesting--;
    }
  }
}

/** After a class's first character: skip to its closing `]`. */
function skipClass(tokens: Tokens): void {
  let t = tokens.next();
  while (t && (t.escaped || t.ch !== ']')) t = tokens.next();
}

/**
 * Read a quantifier that starts with `ch`; return its minimum count, or null when `{` is not a
 * quantifier (Python then reads it as a literal).
 */
function readQuantifier(ch: string, tokens: Tokens): number | null {
  let min: number;
  if (ch === '{') {
    const start = tokens.save();
    let text = '';
    let t = tokens.next();
    while (t && t.ch !== '}') {
      text += t.ch;
      t = tokens.next();
    }
    const bounds = t ? /^(\d*)(?:,(\d*))?$/.exec(text) : null;
    if (!bounds || (bounds[1] === '' && bounds[2] === undefined)) {
      tokens.restore(start);
      return null;
    }
    min = bounds[1] === '' ? 0 : Number(bounds[1]);
  } else {
    min = ch === '+' ? 1 : 0;
  }
  // A lazy (`?`) or possessive (`+`) suffix changes nothing here.
  const pos = tokens.save();
  const suffix = tokens.next();
  if (!(suffix && !suffix.escaped && (suffix.ch === '?' || suffix.ch === '+'))) tokens.restore(pos);
  return min;
}

function containsGroup(node: Node): boolean {
  if (node instanceof Group) return true;
  if (node instanceof NonCapture) return node.items.some(containsGroup);
  return false;
}

/** Every combination of choices, outer choices varying slowest (Django's order). */
function flatten(nodes: readonly Node[]): ReverseForm[] {
  let forms: ReverseForm[] = [{ template: [], params: [] }];
  for (const node of nodes) {
    const variants = variantsOf(node);
    if (variants.length === 1) {
      const [only] = variants as [ReverseForm];
      forms = forms.map((f) => ({
        template: [...f.template, ...only.template],
        params: [...f.params, ...only.params],
      }));
    } else {
      forms = forms.flatMap((f) =>
        variants.map((v) => ({
          template: [...f.template, ...v.template],
          params: [...f.params, ...v.params],
        })),
      );
    }
  }
  return forms;
}

function variantsOf(node: Node | null): ReverseForm[] {
  if (node === null) return [{ template: [], params: [] }];
  if (typeof node === 'string') return [{ template: [node], params: [] }];
  if (node instanceof Group)
    return [{ template: [{ param: node.param }], params: node.counted ? [node.param] : [] }];
  if (node instanceof NonCapture) return flatten(node.items);
  return node.options.flatMap(variantsOf);
}

/** Join adjacent literal characters into one string part. */
function mergeLiterals(form: ReverseForm): ReverseForm {
  const template: TemplatePart[] = [];
  for (const part of form.template) {
    const last = template[template.length - 1];
    if (typeof part === 'string' && typeof last === 'string') template[template.length - 1] = last + part;
    else template.push(part);
  }
  return { template, params: form.params };
}

function unbalanced(pattern: string): ImproperlyConfigured {
  return new ImproperlyConfigured(`"${pattern}" is not a valid regular expression: unbalanced parenthesis.`);
}
