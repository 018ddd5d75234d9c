/**
 * URL resolution (Django's `django/urls/resolvers.py`): `URLPattern` (a route to a view),
 * `URLResolver` (a urlconf, or an `include()` under a prefix) and `getResolver(urlconf)`.
 *
 * Why not @koa/router (evaluated, not used): its `match()` collects EVERY matching layer and runs
 * them all as a middleware chain instead of "first pattern wins", and nested routers flatten their
 * prefix into each child's path, so there is no per-level prefix stripping, extra kwargs, app or
 * instance namespace, nor a `tried` list. Its params are `decodeURIComponent` strings (no
 * converters with `toPython`/`toUrl`), `RegExp` routes give only positional `ctx.captures`, and
 * path-to-regexp 8 cannot express converter regexes or Python-syntax `rePath()` at all. Its
 * `url()` refuses RegExp routes and returns an Error rather than applying Django's reverse rules
 * (last-defined first, exact kwargs, re-match check), so a plain in-order loop over patterns
 * compiled once is what keeps Django's semantics.
 *
 * Resolution is that loop: the resolver matches its own pattern, strips it, and tries its
 * patterns in order; the first match wins; failures accumulate `tried` for the DEBUG 404 page.
 * Two things keep it cheap without changing its outcome: a prefix index (built once per
 * resolver) skips the patterns whose literal text cannot start the path, keeping the others in
 * urlconf order; and `tried` is only computed when a 404 or `match.tried` asks for it, by a
 * second walk over every pattern.
 *
 * @module
 */
import { ImproperlyConfigured, Resolver404 } from '../exceptions.ts';
import type { Kwargs, View } from '../views/view.ts';
import type { Pattern, UrlWarning } from './patterns.ts';
import { literalPrefix, RegexPattern, typeName } from './patterns.ts';
import { ResolverMatch } from './resolver-match.ts';
import { type ReverseOptions, reverseFrom } from './reverse.ts';

/** An entry of `urlpatterns`: what `path()` / `rePath()` return. */
export type UrlPatternEntry = URLPattern | URLResolver;

/**
 * A urlconf: a module (`import * as urls from './urls.ts'`) exporting `urlpatterns` (and
 * optionally `appName`, `handler400`, `handler403`, `handler404`, `handler500`), or an array of
 * patterns.
 */
export type UrlConf = object;

/** A match before it becomes a ResolverMatch (one object per level would be wasted work). */
interface Found {
  readonly found: true;
  readonly func: View;
  readonly args: unknown[];
  readonly kwargs: Kwargs;
  readonly urlName: string | undefined;
  readonly appNames: (string | undefined)[];
  readonly namespaces: (string | undefined)[];
  readonly route: string;
  readonly tried: string[][] | null;
  readonly capturedKwargs: Kwargs;
  readonly extraKwargs: Kwargs;
}

interface NotFound {
  readonly found: false;
  /** Null when the resolver's own pattern did not match. */
  readonly tried: string[][] | null;
  readonly path: string;
}

/**
 * A pattern that leads to a view (what `path(route, view)` returns).
 *
 * @example
 * const entry = path('articles/<int:year>/', yearArchive, undefined, 'year-archive');
 * entry.resolve('articles/2003/')?.kwargs; // { year: 2003 }
 */
export class URLPattern {
  readonly pattern: Pattern;
  /** The view. */
  readonly callback: View;
  /** Extra kwargs passed to the view (they win over captured ones). */
  readonly defaultArgs: Kwargs;
  readonly name: string | undefined;

  constructor(pattern: Pattern, callback: View, defaultArgs: Kwargs = {}, name?: string) {
    this.pattern = pattern;
    this.callback = callback;
    this.defaultArgs = defaultArgs;
    this.name = name;
  }

  /** Startup warnings (a name with `:` and the pattern's own checks). */
  check(): UrlWarning[] {
    const warnings: UrlWarning[] = [];
    if (this.name?.includes(':')) {
      warnings.push({
        id: 'urls.W003',
        message: `Your URL pattern ${this.pattern.describe()} has a name including a ':'. Remove the colon, to avoid ambiguous namespace references.`,
      });
    }
    return [...warnings, ...this.pattern.check()];
  }

  /**
   * Match `path` (already stripped of any include prefix) against this pattern alone.
   *
   * @example
   * path('a/<int:n>/', view).resolve('a/1/')?.kwargs; // { n: 1 }
   */
  resolve(path: string): ResolverMatch | null {
    const found = matchPattern(this, path);
    return found ? toResolverMatch(found) : null;
  }

  toString(): string {
    return `<URLPattern ${this.pattern.describe()}>`;
  }
}

function matchPattern(entry: URLPattern, path: string): Found | null {
  const match = entry.pattern.match(path);
  if (!match) return null;
  return {
    found: true,
    func: entry.callback,
    args: match.args,
    kwargs: { ...match.kwargs, ...entry.defaultArgs },
    urlName: entry.name,
    appNames: [],
    namespaces: [],
    route: String(entry.pattern),
    tried: null,
    capturedKwargs: match.kwargs,
    extraKwargs: entry.defaultArgs,
  };
}

function addTried(tried: string[][], route: string, inner: string[][] | null | undefined): void {
  if (inner) for (const t of inner) tried.push([route, ...t]);
  else tried.push([route]);
}

function toResolverMatch(found: Found, tried?: () => string[][]): ResolverMatch {
  return new ResolverMatch({ ...found, tried: found.tried ?? tried ?? [] });
}

/**
 * One level of a resolver's prefix index. A pattern whose literal prefix (`literalPrefix()`) is
 * `'api/v1/items/'` sits at the node reached by the segments `api/`, `v1/`, `items/`; a path is
 * looked up by walking its own segments as deep as the index goes. Only the patterns at the
 * nodes on that walk can match (every other one needs a segment the path does not have), and
 * `candidates` holds exactly those, in urlconf order, so first-match-wins is unchanged.
 */
interface IndexNode {
  readonly candidates: readonly UrlPatternEntry[];
  readonly children: ReadonlyMap<string, IndexNode>;
}

interface IndexBuild {
  readonly own: number[];
  readonly children: Map<string, IndexBuild>;
}

function buildIndex(entries: readonly UrlPatternEntry[]): IndexNode {
  const root: IndexBuild = { own: [], children: new Map() };
  entries.forEach((entry, i) => {
    const prefix = literalPrefix(entry.pattern);
    let node = root;
    let start = 0;
    for (let slash = prefix.indexOf('/'); slash !== -1; slash = prefix.indexOf('/', start)) {
      const segment = prefix.slice(start, slash + 1);
      let child = node.children.get(segment);
      if (!child) {
        child = { own: [], children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
      start = slash + 1;
    }
    node.own.push(i);
  });
  const finish = (node: IndexBuild, inherited: readonly number[]): IndexNode => {
    const indices = [...inherited, ...node.own].sort((a, b) => a - b);
    const children = new Map<string, IndexNode>();
    for (const [segment, child] of node.children) children.set(segment, finish(child, indices));
    return { candidates: indices.map((i) => entries[i] as UrlPatternEntry), children };
  };
  return finish(root, []);
}

/** The patterns of `index` that may match `path`, in urlconf order. */
function candidatesFor(index: IndexNode, path: string): readonly UrlPatternEntry[] {
  let node = index;
  let start = 0;
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', start)) {
    const child = node.children.get(path.slice(start, slash + 1));
    if (child === undefined) break;
    node = child;
    start = slash + 1;
  }
  return node.candidates;
}

const resolvers = new WeakMap<object, URLResolver>();

/**
 * The root resolver of `urlconf`, built once per module object and reused.
 *
 * @example
 * import * as urls from './urls.ts';
 * getResolver(urls).resolve('/sms/').func; // the view
 */
export function getResolver(urlconf: UrlConf): URLResolver {
  if (urlconf instanceof URLResolver) return urlconf;
  let resolver = resolvers.get(urlconf);
  if (!resolver) {
    resolver = new URLResolver(new RegexPattern('^/'), urlconf);
    resolvers.set(urlconf, resolver);
  }
  return resolver;
}

/**
 * A list of patterns under a pattern: the root urlconf (pattern `^/`), or an `include()`.
 *
 * @example
 * const resolver = getResolver(urls);
 * resolver.resolve('/blog/7/').kwargs;                      // { pk: 7 }
 * resolver.reverse('blog:detail', { kwargs: { pk: 7 } });   // '/blog/7/'
 */
export class URLResolver {
  readonly pattern: Pattern;
  /** The module (or array) the patterns come from. */
  readonly urlconf: UrlConf;
  /** Extra kwargs for every view below (the include's `kwargs`). */
  readonly defaultKwargs: Kwargs;
  readonly appName: string | undefined;
  readonly namespace: string | undefined;
  #patterns: readonly UrlPatternEntry[] | undefined;
  #index: IndexNode | undefined;

  constructor(
    pattern: Pattern,
    urlconf: UrlConf,
    defaultKwargs: Kwargs = {},
    appName?: string,
    namespace?: string,
  ) {
    this.pattern = pattern;
    this.urlconf = urlconf;
    this.defaultKwargs = defaultKwargs;
    this.appName = appName;
    this.namespace = namespace;
  }

  /**
   * The patterns, read from the urlconf on first use (so modules that import each other work)
   * and validated once.
   */
  get urlPatterns(): readonly UrlPatternEntry[] {
    this.#patterns ??= loadPatterns(this.urlconf);
    return this.#patterns;
  }

  /**
   * Resolve `path` to a view.
   *
   * @throws Resolver404 with `tried` (each entry the route strings from the outermost include
   *   inward) and `path` (the unmatched remainder).
   * @example
   * getResolver(urls).resolve('/articles/2003/').kwargs; // { year: 2003 }
   */
  resolve(path: string): ResolverMatch {
    const target = String(path);
    // The fast pass keeps no `tried` list; only a miss (or reading match.tried) walks again to
    // build it, so a hit costs one regex test per pattern and nothing more.
    const result = this.#resolve(target, false);
    if (!result.found) {
      const tracked = this.#resolve(target, true) as NotFound;
      throw new Resolver404(`No URL pattern matches the path ${JSON.stringify(tracked.path)}.`, {
        tried: tracked.tried ?? [],
        path: tracked.path,
      });
    }
    return toResolverMatch(result, () => this.#resolve(target, true).tried ?? []);
  }

  #prefixIndex(): IndexNode {
    this.#index ??= buildIndex(this.urlPatterns);
    return this.#index;
  }

  #resolve(path: string, track: boolean): Found | NotFound {
    const match = this.pattern.match(path);
    if (!match) return { found: false, tried: null, path };
    const rest = match.rest;
    const tried: string[][] | null = track ? [] : null;
    // `tried` must list every pattern; the fast pass only needs those that can match.
    const entries = track ? this.urlPatterns : candidatesFor(this.#prefixIndex(), rest);
    for (const entry of entries) {
      const sub = entry instanceof URLPattern ? matchPattern(entry, rest) : entry.#resolve(rest, track);
      if (!sub?.found) {
        if (tried) addTried(tried, String(entry.pattern), sub?.tried);
        continue;
      }
      const route = String(entry.pattern);
      if (tried) addTried(tried, route, sub.tried);
      // Precedence: leaf extra > leaf captured > include extra > include captured.
      const kwargs = { ...match.kwargs, ...this.defaultKwargs, ...sub.kwargs };
      // Positional args of the prefix only count when nothing was named anywhere.
      const args = Object.keys(kwargs).length === 0 ? [...match.args, ...sub.args] : sub.args;
      return {
        found: true,
        func: sub.func,
        args,
        kwargs,
        urlName: sub.urlName,
        appNames: [this.appName, ...sub.appNames],
        namespaces: [this.namespace, ...sub.namespaces],
        route: entry instanceof URLPattern || route === '' ? sub.route : route + sub.route.replace(/^\^/, ''),
        tried,
        capturedKwargs: sub.capturedKwargs,
        extraKwargs: { ...this.defaultKwargs, ...sub.extraKwargs },
      };
    }
    return { found: false, tried, path: rest };
  }

  /**
   * Build the URL of a view name (`'name'`, `'ns:name'`) or view function: Django's `reverse()`
   * with this resolver as the urlconf.
   *
   * @throws NoReverseMatch when nothing fits.
   * @example
   * resolver.reverse('int', { args: [1], query: { a: ['1', '2'], b: 'x y' }, fragment: 'top' });
   * // '/int/1/?a=1&a=2&b=x+y#top'
   */
  reverse(viewName: string | View, options: ReverseOptions = {}): string {
    return reverseFrom(this, viewName, options);
  }

  /**
   * The urlconf's `handler400` / `handler403` / `handler404` / `handler500`, or `undefined` when
   * it defines none (the pipeline then uses the default view).
   *
   * @throws ImproperlyConfigured when the handler is set but is not a view function.
   * @example
   * getResolver(urls).resolveErrorHandler(404); // urls.handler404
   */
  resolveErrorHandler(code: 400 | 403 | 404 | 500): View | undefined {
    const key = `handler${code}`;
    const handler = Array.isArray(this.urlconf) ? undefined : (this.urlconf as Record<string, unknown>)[key];
    if (handler === undefined || handler === null) return undefined;
    const problem = viewProblem(handler);
    if (problem) throw new ImproperlyConfigured(`The custom ${key} view is not usable: ${problem}`);
    return handler as View;
  }

  /**
   * Load every pattern below this resolver and return the startup warnings of all of them
   * (they are also logged when each pattern is created). Also validates the error handlers.
   *
   * @throws ImproperlyConfigured for a broken urlconf (call it at startup).
   * @example
   * for (const w of getResolver(urls).check()) console.warn(w.id, w.message);
   */
  check(): UrlWarning[] {
    const warnings: UrlWarning[] = [];
    for (const entry of this.urlPatterns) warnings.push(...entry.check());
    for (const code of [400, 403, 404, 500] as const) this.resolveErrorHandler(code);
    return warnings.length > 0 ? warnings : this.pattern.check();
  }

  toString(): string {
    return `<URLResolver (${this.appName ?? ''}:${this.namespace ?? ''}) ${this.pattern.describe()}>`;
  }
}

/** Why `view` cannot be a view, or null when it can. */
export function viewProblem(view: unknown): string | null {
  if (typeof view === 'function') {
    const proto = (view as { prototype?: { dispatch?: unknown } }).prototype;
    if (proto && typeof proto.dispatch === 'function') {
      return `view must be a callable, pass ${view.name}.asView(), not ${view.name}.`;
    }
    return null;
  }
  if (
    view !== null &&
    typeof view === 'object' &&
    typeof (view as { dispatch?: unknown }).dispatch === 'function'
  ) {
    const name = (view as object).constructor?.name ?? 'View';
    return `view must be a callable, pass ${name}.asView(), not new ${name}().`;
  }
  return `view must be a callable or the result of include(), but got ${typeName(view)}.`;
}

function loadPatterns(urlconf: UrlConf): readonly UrlPatternEntry[] {
  let patterns: unknown = urlconf;
  if (!Array.isArray(urlconf)) {
    try {
      patterns = (urlconf as Record<string, unknown>).urlpatterns;
    } catch (error) {
      // An ES module still being evaluated (a circular import) throws on export access.
      throw new ImproperlyConfigured(
        `The included URLconf ${describeUrlconf(urlconf)} could not be read: ${(error as Error).message}. ` +
          'This is probably caused by a circular import between urlconf modules.',
        { cause: error },
      );
    }
  }
  if (!Array.isArray(patterns)) {
    throw new ImproperlyConfigured(
      `The included URLconf ${describeUrlconf(urlconf)} does not appear to have any patterns in it. ` +
        'Export `urlpatterns` (an array of path()/rePath() results). If you see valid patterns in the file ' +
        'then the issue is probably caused by a circular import.',
    );
  }
  patterns.forEach((entry: unknown, i) => {
    if (!(entry instanceof URLPattern || entry instanceof URLResolver)) {
      throw new ImproperlyConfigured(
        `urlpatterns[${i}] of the URLconf ${describeUrlconf(urlconf)} is ${typeName(entry)}, not the result of ` +
          'path() or rePath(). Wrap views with path(route, view) and modules with path(route, include(module)).',
      );
    }
  });
  return Object.freeze([...patterns] as UrlPatternEntry[]);
}

function describeUrlconf(urlconf: UrlConf): string {
  if (Array.isArray(urlconf)) return '(a list of patterns)';
  // Reflect.ownKeys reads no values, so it works on a module that is still being evaluated.
  const keys = Reflect.ownKeys(urlconf).filter((key): key is string => typeof key === 'string');
  return `(a module exporting ${keys.length > 0 ? keys.join(', ') : 'nothing'})`;
}
