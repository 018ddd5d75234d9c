/**
 * `MinimumResponseMiddleware`, from Marty Alchin's *Pro Django* (chapter 7): pad every response
 * body to a minimum length with trailing spaces (Python's `str.ljust`).
 *
 * The book's motivation: Internet Explorer replaced error pages shorter than 512 bytes with its
 * own "friendly" error page, hiding the site's. Padding to 512 bytes kept the real page visible.
 *
 * The same class works site-wide (`MIDDLEWARE: [MinimumResponseMiddleware]` or
 * `[[MinimumResponseMiddleware, { minimum: 1024 }]]`) and per view, through
 * `decoratorFromMiddlewareWithArgs(MinimumResponseMiddleware)({ minimum: 1024 })`.
 *
 * @module
 */
import type { Settings } from '../../src/conf/index.ts';
import type { HttpRequest } from '../../src/http/request.ts';
import type { HttpResponseBase } from '../../src/http/response.ts';
import { type GetResponse, MiddlewareMixin } from '../../src/middleware/base.ts';
import { getLogger } from '../../src/utils/log.ts';

/** The options `MinimumResponseMiddleware` takes. */
export interface MinimumResponseOptions {
  /** The smallest body, in bytes, a response may have; default 512 (Internet Explorer's threshold). */
  minimum: number;
}

/** Internet Explorer showed its own page instead of error pages shorter than this many bytes. */
export const DEFAULT_MINIMUM = 512;

const SPACE = 0x20;
const logger = getLogger('examples.minimum-response');

/**
 * Pads each non-streaming response body with spaces up to `minimum` bytes. Longer bodies and
 * streaming responses (whose length is unknown until they are sent) pass through untouched.
 *
 * @example
 * // settings.ts
 * MIDDLEWARE: [[MinimumResponseMiddleware, { minimum: 1024 }]],
 * // or on one view:
 * const minimumResponse = decoratorFromMiddlewareWithArgs(MinimumResponseMiddleware);
 * export const report = minimumResponse({ minimum: 1024 })(async () => new HttpResponse('ok'));
 */
export class MinimumResponseMiddleware extends MiddlewareMixin<MinimumResponseOptions> {
  readonly minimum: number;

  constructor(getResponse: GetResponse, options?: Partial<MinimumResponseOptions>, settings?: Settings) {
    super(getResponse, options, settings);
    const minimum = this.options.minimum ?? DEFAULT_MINIMUM;
    if (!Number.isInteger(minimum) || minimum < 0) {
      throw new TypeError(
        `MinimumResponseMiddleware: minimum must be a whole number of bytes (0 or more), not ${String(minimum)}. E.g. { minimum: 512 }.`,
      );
    }
    this.minimum = minimum;
  }

  processResponse(request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
    if (response.streaming) return response;
    const content = response.content;
    if (content.length >= this.minimum) return response;
    logger.debug(
      `minimum=${this.minimum}: padded ${request.path} from ${content.length} to ${this.minimum} bytes`,
    );
    // Bytes, not characters: Python 2's str.ljust worked on bytes, and the browser counted bytes.
    response.content = Buffer.concat([content, Buffer.alloc(this.minimum - content.length, SPACE)]);
    // A middleware further in may have set the length already (CommonMiddleware does).
    if (response.has('Content-Length')) response.set('Content-Length', String(this.minimum));
    return response;
  }
}
