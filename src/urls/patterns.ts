/**
 * The two kinds of URL pattern (Django's `RoutePattern` and `RegexPattern` in
 * `django/urls/resolvers.py`): what `path()` and `rePath()` compile their first argument into.
 *
 * Each pattern compiles its regex ONCE, in its constructor; `match(path)` is then a single
 * `exec()` (or a plain string comparison for routes without parameters, as Django does).
 * Patterns keep their regex in Python syntax (`^articles/(?P<year>[0-9]+)/\Z`), the form Django
 * shows in `NoReverseMatch` messages; see `python-regex.ts` for the translation.
 *
 * @module
 */
import { ImproperlyConfigured } from '../exceptions.ts';
import { type Converter, getConverter } from './converters.ts';
import { pyRepr } from './py-repr.ts';
import { compilePieces, fromRegExp, type RegexPiece } from './python-regex.ts';

/** What a pattern's `match()` found: the rest of the path and the captured arguments. */
export interface PatternMatch {
  /** The part of the path after the match (what an include's patterns see). */
  readonly rest: string;
  /** Unnamed captures (only when the regex has no named group). */
  readonly args: unknown[];
  /** Named captures, converted by their path converters. */
  readonly kwargs: Record<string, unknown>;
}

/** A startup warning from a pattern check (Django's `urls.W00x` checks). */
export interface UrlWarning {
  /** Django's check id, e.g. `urls.W002`. */
  readonly id: string;
  readonly message: string;
}

/** Options shared by both pattern kinds. */
export interface PatternOptions {
  /** The URL name (`path(..., name)`), shown in warnings. */
  name?: string | undefined;
  /** True for a view's pattern (anchored at the end); false for an `include()` prefix. */
  isEndpoint?: boolean;
}

const PARAMETER = /<(?:([^>:]+):)?([^>]+)>/g;
const IDENTIFIER = /^[\p{ID_Start}_]\p{ID_Continue}*$/u;
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/**
 * Convert a `path()` route into a regex (Python syntax) and the converter of each parameter
 * (Django's `_route_to_regex`): `^` + escaped literal text + `(?P<name>regex)` per `<conv:name>`
 * (the converter defaults to `str`) + `\Z` for endpoints.
 *
 * @throws ImproperlyConfigured for whitespace inside `<…>`, a parameter name that is not an
 *   identifier, or an unknown converter.
 * @example
 * routeToRegex('blog/<int:pk>/', true).source; // '^blog/(?P<pk>[0-9]+)/\\Z'
 */
export function routeToRegex(
  route: string,
  isEndpoint: boolean,
): { source: string; converters: Record<string, Converter> } {
  let source = '^';
  const converters: Record<string, Converter> = {};
  let previousEnd = 0;
  for (const match of route.matchAll(PARAMETER)) {
    if (/\s/.test(match[0])) {
      throw new ImproperlyConfigured(
        `URL route ${pyRepr(route)} cannot contain whitespace in angle brackets <…>.`,
      );
    }
    const converterName = match[1] ?? 'str';
    const parameter = match[2] as string;
    if (!IDENTIFIER.test(parameter)) {
      throw new ImproperlyConfigured(
        `URL route ${pyRepr(route)} uses parameter name ${pyRepr(parameter)} which isn't a valid identifier.`,
      );
    }
    const converter = getConverter(converterName);
    if (!converter) {
      throw new ImproperlyConfigured(
        `URL route ${pyRepr(route)} uses invalid converter ${pyRepr(converterName)}.`,
      );
    }
    converters[parameter] = converter;
    source += escapeLiteral(route.slice(previousEnd, match.index));
    source += `(?P<${parameter}>${converter.regex})`;
    previousEnd = match.index + match[0].length;
  }
  source += escapeLiteral(route.slice(previousEnd));
  if (isEndpoint) source += '\\Z';
  return { source, converters };
}

/**
 * Escape regex syntax characters (only those: the result is valid with and without the `u` flag,
 * unlike Python's `re.escape`, which also escapes `-`, `&`, `~`, `#` and spaces).
 */
function escapeLiteral(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

/** Behaviour common to route and regex patterns (Django's `CheckURLMixin`). */
abstract class BasePattern {
  readonly name: string | undefined;
  readonly isEndpoint: boolean;
  /** The regex in Python syntax, with its leading `^` (Django's `pattern.regex.pattern`). */
  abstract readonly regex: RegexPiece;
  /** The converter of each named parameter (empty for regex patterns). */
  abstract readonly converters: Readonly<Record<string, Converter>>;

  constructor(options: PatternOptions) {
    this.name = options.name;
    this.isEndpoint = options.isEndpoint ?? false;
  }

  abstract match(path: string): PatternMatch | null;

  /** The pattern as written: the route, or the regex. */
  abstract toString(): string;

  /**
   * The pattern for messages: `'route' [name='x']`.
   *
   * @example
   * new RoutePattern('a/', { name: 'a' }).describe(); // "'a/' [name='a']"
   */
  describe(): string {
    return `'${this}'${this.name ? ` [name='${this.name}']` : ''}`;
  }

  /** Startup warnings for this pattern (Django's URL system checks). */
  check(): UrlWarning[] {
    const regex = this.regex.source;
    // Django's urls.W002 (it only runs when APPEND_SLASH is on; we always warn).
    if (/^(\/|\^\/|\^\\\/)/.test(regex) && !regex.endsWith('/')) {
      return [
        {
          id: 'urls.W002',
          message:
            `Your URL pattern ${this.describe()} has a route beginning with a '/'. Remove this slash as it ` +
            "is unnecessary. If this pattern is targeted in an include(), ensure the include() pattern has a trailing '/'.",
        },
      ];
    }
    return [];
  }
}

/**
 * A `path()` route such as `'articles/<int:year>/<slug:slug>/'`.
 *
 * @example
 * const pattern = new RoutePattern('articles/<int:year>/', { isEndpoint: true });
 * pattern.match('articles/2003/'); // { rest: '', args: [], kwargs: { year: 2003 } }
 */
export class RoutePattern extends BasePattern {
  readonly route: string;
  readonly regex: RegexPiece;
  readonly converters: Readonly<Record<string, Converter>>;
  /** Null when the route has no parameters: matching is then a string comparison. */
  readonly #compiled: RegExp | null;
  /** The literal text before the first parameter: a cheap test before the regex. */
  readonly #prefix: string;
  /** `[name, converter]` per parameter, in route order. */
  readonly #parameters: readonly (readonly [string, Converter])[];

  constructor(route: string, options: PatternOptions = {}) {
    super(options);
    if (typeof route !== 'string') {
      throw new TypeError(`path() route must be a string, but got ${typeName(route)}.`);
    }
    this.route = route;
    const { source, converters } = routeToRegex(route, this.isEndpoint);
    this.regex = { source, flags: '' };
    this.converters = Object.freeze(converters);
    this.#parameters = Object.entries(converters);
    this.#compiled = Object.keys(converters).length > 0 ? compilePieces([this.regex], 'search') : null;
    this.#prefix = route.slice(0, Math.max(0, route.indexOf('<')));
  }

  match(path: string): PatternMatch | null {
    if (this.#compiled) {
      if (!path.startsWith(this.#prefix)) return null;
      const match = this.#compiled.exec(path);
      if (!match) return null;
      const kwargs: Record<string, unknown> = {};
      // Read each group by name: Object.entries() on a match's `groups` costs ~10x more.
      const groups = match.groups as Record<string, string | undefined> | undefined;
      if (groups) {
        for (const [key, converter] of this.#parameters) {
          const value = groups[key];
          if (value === undefined) continue;
          try {
            kwargs[key] = converter.toPython(value);
          } catch {
            // A converter that refuses the value means "no match": later patterns get a chance.
            return null;
          }
        }
      }
      return { rest: path.slice(match.index + match[0].length), args: [], kwargs };
    }
    if (this.isEndpoint) return path === this.route ? { rest: '', args: [], kwargs: {} } : null;
    return path.startsWith(this.route) ? { rest: path.slice(this.route.length), args: [], kwargs: {} } : null;
  }

  override check(): UrlWarning[] {
    const warnings = [...super.check(), ...this.#checkAngleBrackets()];
    const route = this.route;
    if (route.includes('(?P<') || route.startsWith('^') || route.endsWith('$')) {
      warnings.push({
        id: '2_0.W001',
        message:
          `Your URL pattern ${this.describe()} has a route that contains '(?P<', begins with a '^', or ends ` +
          "with a '$'. This was likely an oversight when migrating to path(); use rePath() for regexes.",
      });
    }
    return warnings;
  }

  #checkAngleBrackets(): UrlWarning[] {
    const warnings: UrlWarning[] = [];
    const message = (bracket: string) => ({
      id: 'urls.W010',
      message: `Your URL pattern ${this.describe()} has an unmatched '${bracket}' bracket.`,
    });
    let open = 0;
    for (const bracket of this.route.replace(/[^<>]/g, '')) {
      if (bracket === '<') {
        open++;
      } else if (--open < 0) {
        warnings.push(message('>'));
        open = 0;
      }
    }
    if (open > 0) warnings.push(message('<'));
    return warnings;
  }

  toString(): string {
    return this.route;
  }
}

/**
 * A `rePath()` regex, given in Python syntax as a string (`String.raw\`^sms/(?P<sid>\w+)/$\``) or
 * as a JavaScript `RegExp`. Named groups become kwargs (those that did not participate are
 * dropped); when there is no named group, unnamed groups become positional args.
 *
 * @example
 * const pattern = new RegexPattern(String.raw`^articles/(?P<year>[0-9]{4})/$`, { isEndpoint: true });
 * pattern.match('articles/2003/'); // { rest: '', args: [], kwargs: { year: '2003' } }
 */
export class RegexPattern extends BasePattern {
  readonly regex: RegexPiece;
  readonly converters: Readonly<Record<string, Converter>> = Object.freeze({});
  readonly #compiled: RegExp;
  /** The named groups, in order (the same for every match of one regex), once one matched. */
  #groupNames: string[] | undefined;

  constructor(regex: string | RegExp, options: PatternOptions = {}) {
    super(options);
    if (regex instanceof RegExp) this.regex = fromRegExp(regex);
    else if (typeof regex === 'string') this.regex = { source: regex, flags: '' };
    else throw new TypeError(`rePath() regex must be a string or a RegExp, but got ${typeName(regex)}.`);
    // Django: an endpoint regex ending in `$` must match the whole path (fullmatch), others search.
    const full = this.isEndpoint && this.regex.source.endsWith('$');
    this.#compiled = compilePieces([this.regex], full ? 'full' : 'search');
  }

  match(path: string): PatternMatch | null {
    const match = this.#compiled.exec(path);
    if (!match) return null;
    const rest = path.slice(match.index + match[0].length);
    const groups = match.groups as Record<string, string | undefined> | undefined;
    if (groups) {
      const kwargs: Record<string, unknown> = {};
      // By name, in the regex's order: Object.entries() on `groups` costs ~10x more.
      this.#groupNames ??= Object.keys(groups);
      for (const key of this.#groupNames) {
        const value = groups[key];
        if (value !== undefined) kwargs[key] = value;
      }
      return { rest, args: [], kwargs };
    }
    return { rest, args: match.slice(1), kwargs: {} };
  }

  override check(): UrlWarning[] {
    const warnings = super.check();
    const regex = this.regex.source;
    if (!this.isEndpoint && regex.endsWith('$') && !regex.endsWith('\\$')) {
      warnings.push({
        id: 'urls.W001',
        message:
          `Your URL pattern ${this.describe()} uses include with a route ending with a '$'. Remove the ` +
          'dollar from the route to avoid problems including URLs.',
      });
    }
    return warnings;
  }

  toString(): string {
    return this.regex.source;
  }
}

/** A route or regex pattern. */
export type Pattern = RoutePattern | RegexPattern;

// Characters that stand for themselves in a Python regex outside a class (conservative).
const LITERAL = /[A-Za-z0-9/_-]/;
const QUANTIFIER = /[?*+{]/;

/**
 * The text every path matched by `pattern` starts with (`'api/v1/items/'` for
 * `path('api/v1/items/<int:pk>/', ...)`), or `''` when nothing is certain. The resolver's prefix
 * index uses it to skip patterns that cannot match; it is conservative: only the plain text of
 * a route before its first `<`, and for a regex the plain characters right after a leading `^`,
 * without case-insensitive or multi-line flags and without any `|` in it.
 *
 * @example
 * literalPrefix(new RoutePattern('blog/<int:pk>/'));    // 'blog/'
 * literalPrefix(new RegexPattern(String.raw`^sms\/(?P<sid>\w+)/$`)); // 'sms/'
 * literalPrefix(new RegexPattern('(?i)^sms/'));          // ''
 */
export function literalPrefix(pattern: Pattern): string {
  // A subclass may match differently: promise nothing for it.
  if (pattern instanceof RoutePattern && pattern.match === RoutePattern.prototype.match) {
    const route = pattern.route;
    const open = route.indexOf('<');
    return open === -1 ? route : route.slice(0, open);
  }
  if (pattern instanceof RegexPattern && pattern.match === RegexPattern.prototype.match) {
    const { source, flags } = pattern.regex;
    if (!source.startsWith('^') || flags.includes('i') || flags.includes('m') || source.includes('|'))
      return '';
    let prefix = '';
    let i = 1;
    for (;;) {
      const ch = source[i];
      if (ch !== undefined && LITERAL.test(ch)) {
        prefix += ch;
        i += 1;
      } else if (ch === '\\' && (source[i + 1] === '/' || source[i + 1] === '.')) {
        prefix += source[i + 1];
        i += 2;
      } else {
        // `^ab?` makes the `b` optional: it is not part of every match.
        return ch !== undefined && QUANTIFIER.test(ch) ? prefix.slice(0, -1) : prefix;
      }
    }
  }
  return '';
}

/** `str`, `number`, `array`... for TypeError messages. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
