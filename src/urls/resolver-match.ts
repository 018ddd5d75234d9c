/**
 * `ResolverMatch`: what resolving a URL found (Django's `django.urls.ResolverMatch`). The pipeline
 * stores it as `request.resolverMatch`; the view receives its `kwargs`.
 *
 * @module
 */
import type { Kwargs, View } from '../views/view.ts';
import { pyRepr } from './py-repr.ts';

/** Everything a ResolverMatch is made from. */
export interface ResolverMatchInit {
  func: View;
  args?: unknown[];
  kwargs?: Kwargs;
  urlName?: string | undefined;
  /** App names from the outermost include inward; empty ones are dropped. */
  appNames?: readonly (string | undefined)[];
  /** Instance namespaces from the outermost include inward; empty ones are dropped. */
  namespaces?: readonly (string | undefined)[];
  route?: string;
  /** The patterns tried, or a function computing them on first read. */
  tried?: string[][] | (() => string[][]);
  capturedKwargs?: Kwargs;
  extraKwargs?: Kwargs;
}

/**
 * The result of `resolve(path)`: the view, its arguments and where in the urlconf it was found.
 * Destructures like Django's 3-tuple: `const [func, args, kwargs] = match`.
 *
 * @example
 * const match = resolve('/blog/en/detail/7/', urls);
 * match.func;      // the view
 * match.kwargs;    // { lang: 'en', pk: 7 }
 * match.route;     // 'blog/<slug:lang>/detail/<int:pk>/'
 * match.viewName;  // 'blog:detail'
 */
export class ResolverMatch {
  /** The view function. */
  readonly func: View;
  /** Positional arguments (unnamed regex groups, when the pattern has no named group). */
  readonly args: unknown[];
  /** Keyword arguments the view receives: captures merged with the urlconf's extra kwargs. */
  readonly kwargs: Kwargs;
  /** The pattern's name, if it has one. */
  readonly urlName: string | undefined;
  /** The application namespaces, outermost first. */
  readonly appNames: readonly string[];
  /** The instance namespaces, outermost first. */
  readonly namespaces: readonly string[];
  /** The matched routes joined, e.g. `blog/<slug:lang>/detail/<int:pk>/`. */
  readonly route: string;
  #tried: string[][] | (() => string[][]);
  /** The kwargs captured from the URL by the matched leaf pattern. */
  readonly capturedKwargs: Kwargs;
  /** The extra kwargs from the urlconf (`path(route, view, kwargs)` and includes). */
  readonly extraKwargs: Kwargs;

  constructor(init: ResolverMatchInit) {
    this.func = init.func;
    this.args = init.args ?? [];
    this.kwargs = init.kwargs ?? {};
    this.urlName = init.urlName;
    this.appNames = compact(init.appNames);
    this.namespaces = compact(init.namespaces);
    this.route = init.route ?? '';
    this.#tried = init.tried ?? [];
    this.capturedKwargs = init.capturedKwargs ?? {};
    this.extraKwargs = init.extraKwargs ?? {};
  }

  /** `appNames` joined with `:`. */
  get appName(): string {
    return this.appNames.join(':');
  }

  /** `namespaces` joined with `:`. */
  get namespace(): string {
    return this.namespaces.join(':');
  }

  /** `ns:…:urlName`, or the view function's name when the pattern has no name. */
  get viewName(): string {
    return [...this.namespaces, this.urlName || funcPath(this.func)].join(':');
  }

  /** The patterns tried before (and including) the match, each as a list of route strings. */
  get tried(): string[][] {
    if (typeof this.#tried === 'function') this.#tried = this.#tried();
    return this.#tried;
  }

  /** `const [func, args, kwargs] = match`, as Django's tuple unpacking. */
  *[Symbol.iterator](): IterableIterator<View | unknown[] | Kwargs> {
    yield this.func;
    yield this.args;
    yield this.kwargs;
  }

  toString(): string {
    return (
      `ResolverMatch(func=${funcPath(this.func)}, args=${pyRepr(this.args)}, kwargs=${pyRepr(this.kwargs)}, ` +
      `url_name=${pyRepr(this.urlName)}, app_names=${pyRepr(this.appNames)}, ` +
      `namespaces=${pyRepr(this.namespaces)}, route=${pyRepr(this.route)})`
    );
  }
}

/** The view's name; for `View.asView()` results, the class name (Django's `view_class`). */
const EMPTY: readonly string[] = Object.freeze([]);

/** Drop the empty names (the root resolver has none); most matches share one empty list. */
function compact(names: readonly (string | undefined)[] | undefined): readonly string[] {
  if (!names || names.every((x) => !x)) return EMPTY;
  return names.filter((x): x is string => Boolean(x));
}

function funcPath(func: View): string {
  const viewClass = (func as { viewClass?: { name?: string } }).viewClass;
  return viewClass?.name || func.name || '<anonymous>';
}
