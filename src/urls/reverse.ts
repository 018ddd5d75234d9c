/**
 * Building URLs from names (Django's `URLResolver._populate`, `_reverse_with_prefix` and the
 * namespace walk of `django.urls.reverse`).
 *
 * A resolver's reverse tables are built once, on the first `reverse()`, by walking its patterns
 * LAST-defined first: so with duplicate names `reverse()` returns the last pattern while
 * `resolve()` returns the first (Django's documented behaviour). For each candidate pattern:
 * positional args must match its parameter count, or kwargs must name exactly its parameters
 * (extra keys only when they equal the pattern's default kwargs); values go through the
 * converters' `toUrl()`; the substituted URL must match the pattern again; then it is
 * percent-quoted (safe: ``/~:@!$&'()*+,;=``) and a leading `//` becomes `/%2F`.
 *
 * @module
 */
import { ImproperlyConfigured, NoReverseMatch } from '../exceptions.ts';
import { quote, quotePlus } from '../utils/encoding.ts';
import type { Kwargs, View } from '../views/view.ts';
import type { Converter } from './converters.ts';
import type { Pattern } from './patterns.ts';
import { pyRepr, pyTupleRepr } from './py-repr.ts';
import { compilePieces, type RegexPiece } from './python-regex.ts';
import { normalize, type ReverseForm } from './regex-helper.ts';

/** A `?query` for `reverse()`: values may repeat (`{ a: ['1', '2'] }`), or anything with `urlencode()`. */
export type ReverseQuery =
  | Readonly<Record<string, unknown>>
  | URLSearchParams
  | { urlencode(): string }
  | Iterable<readonly [string, unknown]>;

/** Options of `reverse()` once the urlconf is known. */
export interface ReverseOptions {
  /** Positional values, for unnamed groups (or parameters in order). Do not mix with `kwargs`. */
  args?: readonly unknown[];
  /** Named values; keys whose value is `undefined` are ignored. */
  kwargs?: Readonly<Record<string, unknown>>;
  /** Appended as `?a=1&a=2` (Python's `urlencode(query, doseq=True)`); empty → no `?`. */
  query?: ReverseQuery | null;
  /** Appended after `#`, as given. */
  fragment?: string | null;
  /** The current application instance namespace (`'ns1:ns2'`) to prefer for app namespaces. */
  currentApp?: string | null;
  /** Where the app is mounted (the request's `scriptName`); default `'/'`. */
  scriptPrefix?: string;
}

/** What the tables need to know about a `path()` to a view (a URLPattern). */
export interface ReverseLeaf {
  readonly pattern: Pattern;
  readonly callback: View;
  readonly defaultArgs: Kwargs;
  readonly name: string | undefined;
}

/** What the tables need to know about a resolver (a root urlconf or an `include()`). */
export interface ReverseNode {
  readonly pattern: Pattern;
  readonly urlPatterns: readonly (ReverseLeaf | ReverseNode)[];
  readonly appName: string | undefined;
  readonly namespace: string | undefined;
  readonly defaultKwargs: Kwargs;
}

interface Candidate {
  readonly forms: ReverseForm[];
  /** The regex (Python syntax, without the leading `^`), as shown in NoReverseMatch messages. */
  readonly pattern: string;
  readonly pieces: readonly RegexPiece[];
  readonly defaults: Kwargs;
  readonly converters: Readonly<Record<string, Converter>>;
  /** Compiled on first use: the substituted URL must match this again. */
  check?: RegExp;
}

type LookupKey = string | View;

interface NamespaceEntry {
  readonly pieces: readonly RegexPiece[];
  readonly converters: Readonly<Record<string, Converter>>;
  readonly resolver: ReverseNode;
}

interface Tables {
  readonly lookups: Map<LookupKey, Candidate[]>;
  readonly namespaces: Map<string, NamespaceEntry>;
  readonly apps: Map<string, string[]>;
  /** Lookups re-rooted under a namespace prefix, per prefix. */
  readonly prefixed: Map<string, Map<LookupKey, Candidate[]>>;
}

const tables = new WeakMap<ReverseNode, Tables>();

const SAFE_IN_PATH = "/~:@!$&'()*+,;=";

function tablesOf(resolver: ReverseNode): Tables {
  let built = tables.get(resolver);
  if (!built) {
    built = populate(resolver);
    tables.set(resolver, built);
  }
  return built;
}

function isLeaf(entry: ReverseLeaf | ReverseNode): entry is ReverseLeaf {
  return 'callback' in entry;
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Build the reverse tables of `resolver`, walking its patterns last-defined first. */
function populate(resolver: ReverseNode): Tables {
  const lookups = new Map<LookupKey, Candidate[]>();
  const namespaces = new Map<string, NamespaceEntry>();
  const apps = new Map<string, string[]>();
  const entries = resolver.urlPatterns;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as ReverseLeaf | ReverseNode;
    const regex = entry.pattern.regex;
    // Django drops the leading `^`; we also drop one that follows leading flags such as `(?i)`.
    const piece: RegexPiece = {
      source: regex.source.replace(/^((?:\(\?[a-zA-Z]+\))*)\^/, '$1'),
      flags: regex.flags,
    };
    if (isLeaf(entry)) {
      const candidate: Candidate = {
        forms: normalize(regex.source),
        pattern: piece.source,
        pieces: [piece],
        defaults: entry.defaultArgs,
        converters: entry.pattern.converters,
      };
      append(lookups, entry.callback, candidate);
      if (entry.name !== undefined) append(lookups, entry.name, candidate);
      continue;
    }
    const sub = tablesOf(entry);
    if (entry.appName) {
      append(apps, entry.appName, entry.namespace ?? entry.appName);
      namespaces.set(entry.namespace ?? entry.appName, {
        pieces: [piece],
        converters: entry.pattern.converters,
        resolver: entry,
      });
      continue;
    }
    for (const [key, candidates] of sub.lookups) {
      for (const c of candidates) {
        append(lookups, key, {
          forms: normalize(piece.source + c.pattern),
          pattern: piece.source + c.pattern,
          pieces: [piece, ...c.pieces],
          defaults: { ...c.defaults, ...entry.defaultKwargs },
          converters: { ...resolver.pattern.converters, ...entry.pattern.converters, ...c.converters },
        });
      }
    }
    for (const [namespace, nested] of sub.namespaces) {
      namespaces.set(namespace, {
        pieces: [piece, ...nested.pieces],
        converters: { ...nested.converters, ...entry.pattern.converters },
        resolver: nested.resolver,
      });
    }
    for (const [app, instances] of sub.apps) for (const instance of instances) append(apps, app, instance);
  }
  return { lookups, namespaces, apps, prefixed: new Map() };
}

/** `resolver`'s lookups with `pieces` (a namespace's route prefix) in front of every pattern. */
function prefixedLookups(
  resolver: ReverseNode,
  pieces: readonly RegexPiece[],
  converters: Readonly<Record<string, Converter>>,
): Map<LookupKey, Candidate[]> {
  const own = tablesOf(resolver);
  const prefix = pieces.map((p) => p.source).join('');
  const key = JSON.stringify(pieces);
  let lookups = own.prefixed.get(key);
  if (!lookups) {
    lookups = new Map();
    for (const [name, candidates] of own.lookups) {
      lookups.set(
        name,
        candidates.map((c) => ({
          forms: normalize(prefix + c.pattern),
          pattern: prefix + c.pattern,
          pieces: [...pieces, ...c.pieces],
          defaults: c.defaults,
          converters: { ...converters, ...c.converters },
        })),
      );
    }
    own.prefixed.set(key, lookups);
  }
  return lookups;
}

/**
 * Django's `reverse()` against the root resolver `root`: walk the namespaces of `viewName`
 * (`'ns1:ns2:name'`), build the URL, then add the query and the fragment.
 *
 * @throws NoReverseMatch when no pattern fits; TypeError when args and kwargs are mixed.
 * @example
 * reverseFrom(getResolver(urls), 'blog:detail', { kwargs: { pk: 7 } }); // '/blog/7/'
 */
export function reverseFrom(
  root: ReverseNode,
  viewName: string | View,
  options: ReverseOptions = {},
): string {
  let resolver = root;
  let view: LookupKey = viewName;
  const nsPieces: RegexPiece[] = [];
  let nsConverters: Record<string, Converter> = {};
  if (typeof viewName === 'string') {
    const path = viewName.split(':');
    view = path.pop() as string;
    let currentPath = options.currentApp ? options.currentApp.split(':').reverse() : null;
    const resolvedPath: string[] = [];
    for (let ns of path) {
      const currentNs = currentPath?.length ? currentPath.pop() : undefined;
      const own = tablesOf(resolver);
      const appList = own.apps.get(ns);
      if (appList) {
        // An app namespace: the current instance if it is one of the app's, else the instance
        // named like the app, else the default instance (the last deployed, first in the list).
        if (currentNs && appList.includes(currentNs)) ns = currentNs;
        else if (!appList.includes(ns)) ns = appList[0] as string;
      }
      if (ns !== currentNs) currentPath = null;
      const entry = own.namespaces.get(ns);
      if (!entry) {
        throw new NoReverseMatch(
          resolvedPath.length > 0
            ? `'${ns}' is not a registered namespace inside '${resolvedPath.join(':')}'`
            : `'${ns}' is not a registered namespace`,
        );
      }
      resolvedPath.push(ns);
      nsPieces.push(...entry.pieces);
      nsConverters = { ...nsConverters, ...entry.converters };
      resolver = entry.resolver;
    }
  } else if (typeof viewName !== 'function') {
    throw new TypeError(`reverse() needs a URL name or a view function, but got ${pyRepr(viewName)}.`);
  }
  const lookups = nsPieces.some((p) => p.source !== '')
    ? prefixedLookups(resolver, nsPieces, nsConverters)
    : tablesOf(resolver).lookups;
  let url = reverseWithPrefix(lookups.get(view) ?? [], view, options);
  if (options.query !== undefined && options.query !== null) {
    const queryString = encodeQuery(options.query);
    if (queryString) url += `?${queryString}`;
  }
  if (options.fragment !== undefined && options.fragment !== null) url += `#${options.fragment}`;
  return url;
}

/** Try each candidate (last-defined first) and return the first URL that fits. */
function reverseWithPrefix(
  candidates: readonly Candidate[],
  view: LookupKey,
  options: ReverseOptions,
): string {
  const args = options.args ?? [];
  const kwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options.kwargs ?? {}))
    if (value !== undefined) kwargs[key] = value;
  const kwargKeys = Object.keys(kwargs);
  if (args.length > 0 && kwargKeys.length > 0) {
    throw new TypeError("Don't mix args and kwargs in call to reverse()! Pass either `args` or `kwargs`.");
  }
  let prefix = options.scriptPrefix ?? '/';
  if (!prefix.endsWith('/')) prefix += '/';

  for (const candidate of candidates) {
    for (const form of candidate.forms) {
      const subs = substitutions(candidate, form, args, kwargs, kwargKeys);
      if (!subs) continue;
      let url = prefix;
      for (const part of form.template) url += typeof part === 'string' ? part : (subs[part.param] ?? '');
      // Build the decoded URL first and check that it resolves; quote only then.
      candidate.check ??= compilePieces(candidate.pieces, 'sticky');
      candidate.check.lastIndex = prefix.length;
      if (!candidate.check.test(url)) continue;
      const quoted = quote(url, SAFE_IN_PATH);
      // Never build a scheme-relative URL (`//evil.com/`).
      return quoted.startsWith('//') ? `/%2F${quoted.slice(2)}` : quoted;
    }
  }
  throw new NoReverseMatch(noMatchMessage(candidates, view, args, kwargs));
}

/** The text for each parameter of `form`, or null when the arguments do not fit it. */
function substitutions(
  candidate: Candidate,
  form: ReverseForm,
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
  kwargKeys: readonly string[],
): Record<string, string> | null {
  let values: Record<string, unknown>;
  if (args.length > 0) {
    if (args.length !== form.params.length) return null;
    values = {};
    form.params.forEach((param, i) => {
      values[param] = args[i];
    });
  } else {
    const params = new Set(form.params);
    const { defaults } = candidate;
    // Every parameter must be given, and any other key must be one of the pattern's defaults...
    for (const param of params) if (!(param in kwargs) && !(param in defaults)) return null;
    for (const key of kwargKeys) if (!params.has(key) && !(key in defaults)) return null;
    // ...with the default's value: two patterns differing only by defaults are told apart this way.
    for (const [key, value] of Object.entries(defaults)) {
      if (params.has(key)) continue;
      if (key in kwargs && kwargs[key] !== value) return null;
    }
    values = kwargs;
    // A parameter left out because a default covers it takes the default (Django raises KeyError).
    for (const param of params) if (!(param in kwargs)) values = { ...values, [param]: defaults[param] };
  }
  const text: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const converter = candidate.converters[key];
    if (converter) {
      try {
        text[key] = converter.toUrl(value);
      } catch {
        return null;
      }
    } else {
      text[key] = String(value);
    }
  }
  return text;
}

function noMatchMessage(
  candidates: readonly Candidate[],
  view: LookupKey,
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
): string {
  const name = typeof view === 'function' ? view.name || '<anonymous>' : view;
  if (candidates.length === 0) {
    return `Reverse for '${name}' not found. '${name}' is not a valid view function or pattern name.`;
  }
  const argMessage =
    args.length > 0
      ? `arguments '${pyTupleRepr(args)}'`
      : Object.keys(kwargs).length > 0
        ? `keyword arguments '${pyRepr(kwargs)}'`
        : 'no arguments';
  const patterns = pyRepr(candidates.map((c) => c.pattern));
  return `Reverse for '${name}' with ${argMessage} not found. ${candidates.length} pattern(s) tried: ${patterns}`;
}

/**
 * Python's `urlencode(query, doseq=True)`: keys and values through `quote_plus`, a list value
 * repeats its key; `undefined` and `null` values are left out. An object with `urlencode()`
 * (a QueryDict) encodes itself.
 *
 * @example
 * encodeQuery({ a: ['1', '2'], b: 'x y' }); // 'a=1&a=2&b=x+y'
 */
export function encodeQuery(query: ReverseQuery): string {
  if (typeof (query as { urlencode?: unknown }).urlencode === 'function') {
    return (query as { urlencode(): string }).urlencode();
  }
  const pairs: Iterable<readonly [string, unknown]> =
    Symbol.iterator in query
      ? (query as Iterable<readonly [string, unknown]>)
      : Object.entries(query as Readonly<Record<string, unknown>>);
  const parts: string[] = [];
  for (const [key, value] of pairs) {
    if (value === undefined || value === null) continue;
    const values = typeof value !== 'string' && isIterable(value) ? [...value] : [value];
    for (const item of values) parts.push(`${quotePlus(String(key))}=${quotePlus(String(item))}`);
  }
  return parts.join('&');
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.iterator in value;
}

/** Thrown by `reverse()` helpers when no urlconf was given. */
export function missingUrlconf(viewName: unknown): ImproperlyConfigured {
  return new ImproperlyConfigured(
    `reverse(${pyRepr(typeof viewName === 'function' ? viewName.name : viewName)}) needs a urlconf: pass ` +
      '{ urlconf } (e.g. request.urlconf ?? settings.ROOT_URLCONF), or build a bound helper once with reverser(urls).',
  );
}
