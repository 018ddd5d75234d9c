/**
 * `ArgumentLogMiddleware`, from Marty Alchin's *Pro Django*: a `processView` hook that logs which
 * view is about to run and with which arguments, written as the call the view receives —
 * `monthArchive('2024', '07')` for positional arguments (unnamed regex groups),
 * `articleDetail(year=2024, slug='hello-world')` for keyword arguments (named captures and
 * the urlconf's extra kwargs). Values are shown as Python's `repr()` shows them, so a line reads
 * the same as in the book.
 *
 * @module
 */
import type { Settings } from '../../src/conf/index.ts';
import type { HttpRequest } from '../../src/http/request.ts';
import { type GetResponse, MiddlewareMixin } from '../../src/middleware/base.ts';
import { pyRepr } from '../../src/urls/py-repr.ts';
import { getLogger, type Logger } from '../../src/utils/log.ts';
import type { Kwargs, View } from '../../src/views/view.ts';

/** The options `ArgumentLogMiddleware` takes. */
export interface ArgumentLogOptions {
  /** The logger the lines go to; default `'examples.argument-log'`. */
  logger: string;
}

/** Where the lines go unless `{ logger }` says otherwise. */
export const DEFAULT_LOGGER = 'examples.argument-log';

/**
 * `Calling view(arg, ..., key=value, ...)` as one string.
 *
 * @example
 * formatCall('monthArchive', ['2024', '07'], {}); // "monthArchive('2024', '07')"
 * formatCall('feed', [], { format: 'rss', full: true }); // "feed(format='rss', full=True)"
 */
export function formatCall(name: string, args: readonly unknown[], kwargs: Kwargs): string {
  const parts = [
    ...args.map((value) => pyRepr(value)),
    ...Object.entries(kwargs).map(([key, value]) => `${key}=${pyRepr(value)}`),
  ];
  return `${name}(${parts.join(', ')})`;
}

/**
 * Logs `Calling <view>(<args>, <kwargs>)` at info level for every request that reaches a view.
 * It only observes: `processView` returns nothing, so the view always runs.
 *
 * @example
 * // settings.ts
 * MIDDLEWARE: [ArgumentLogMiddleware],                              // logs on 'examples.argument-log'
 * MIDDLEWARE: [[ArgumentLogMiddleware, { logger: 'myapp.views' }]], // or on a logger of your own
 */
export class ArgumentLogMiddleware extends MiddlewareMixin<ArgumentLogOptions> {
  readonly #logger: Logger;

  constructor(getResponse: GetResponse, options?: Partial<ArgumentLogOptions>, settings?: Settings) {
    super(getResponse, options, settings);
    this.#logger = getLogger(this.options.logger ?? DEFAULT_LOGGER);
  }

  processView(_request: HttpRequest, view: View, args: unknown[], kwargs: Kwargs): void {
    this.#logger.info(`Calling ${formatCall(view.name || 'anonymous', args, kwargs)}`);
  }
}
