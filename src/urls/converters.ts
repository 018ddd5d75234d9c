/**
 * Path converters: what `<int:pk>` in a `path()` route means (Django's `django/urls/converters.py`).
 *
 * A converter has a `regex` (the text a parameter may match), `toPython(value)` (URL text → the
 * value the view receives) and `toUrl(value)` (a value given to `reverse()` → URL text). A
 * `toPython` that throws means "this pattern does not match" (resolution goes on with the next
 * pattern); a `toUrl` that throws means "this pattern cannot build that URL" (`reverse()` tries
 * the next candidate).
 *
 * Differences from Django, on purpose:
 * - `uuid` keeps the value as a (lower-case) string: JavaScript has no UUID type.
 * - `int` only matches values that fit a JavaScript number exactly (`Number.isSafeInteger`);
 *   a longer run of digits is "no match" instead of a silently rounded id.
 * - Registering a name twice is an error (Django main's behaviour; 5.2 only warns).
 *
 * @module
 */
import { ImproperlyConfigured } from '../exceptions.ts';

/**
 * What a converter must provide. Any object or class instance with these members works.
 *
 * @example
 * const fourDigitYear: Converter<number> = {
 *   regex: '[0-9]{4}',
 *   toPython: (value) => Number(value),
 *   toUrl: (value) => String(value).padStart(4, '0'),
 * };
 */
export interface Converter<T = unknown> {
  /** The regular expression (JavaScript syntax, no anchors, no named groups) a value matches. */
  readonly regex: string;
  /** URL text → view value; throw to make the pattern not match. */
  toPython(value: string): T;
  /** `reverse()` value → URL text; throw to skip this candidate pattern. */
  toUrl(value: T): string;
}

/** A converter class (instantiated once by `registerConverter`). */
export type ConverterClass = new () => Converter;

/**
 * `<int:name>`: one or more digits, given to the view as a number.
 *
 * @example
 * path('articles/<int:year>/', yearArchive); // '/articles/2003/' → { year: 2003 }
 */
export class IntConverter implements Converter<number> {
  readonly regex: string = '[0-9]+';

  toPython(value: string): number {
    const number = Number(value);
    // A value that does not fit a double exactly would reach the view as a different id.
    if (!Number.isSafeInteger(number))
      throw new RangeError(`${value} is too large for an int path converter.`);
    return number;
  }

  toUrl(value: unknown): string {
    return String(value);
  }
}

/**
 * `<str:name>` (the default when no converter is named): any non-empty text without a `/`.
 *
 * @example
 * path('users/<username>/', profile); // '/users/ada/' → { username: 'ada' }
 */
export class StringConverter implements Converter<string> {
  readonly regex: string = '[^/]+';

  toPython(value: string): string {
    return value;
  }

  toUrl(value: unknown): string {
    return String(value);
  }
}

/**
 * `<slug:name>`: ASCII letters, digits, hyphens and underscores.
 *
 * @example
 * path('blog/<slug:slug>/', post); // '/blog/hello-world/' → { slug: 'hello-world' }
 */
export class SlugConverter extends StringConverter {
  override readonly regex: string = '[-a-zA-Z0-9_]+';
}

/**
 * `<uuid:name>`: a lower-case, hyphenated UUID, given to the view as a string (Django gives a
 * `uuid.UUID`; JavaScript has no such type).
 *
 * @example
 * path('calls/<uuid:id>/', call); // '/calls/075194d3-6885-417e-a8a8-6c931e272f00/'
 */
export class UUIDConverter implements Converter<string> {
  readonly regex: string = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

  toPython(value: string): string {
    return value;
  }

  toUrl(value: unknown): string {
    return String(value);
  }
}

/**
 * `<path:name>`: any non-empty text, `/` included.
 *
 * @example
 * path('files/<path:name>', download); // '/files/a/b.txt' → { name: 'a/b.txt' }
 */
export class PathConverter extends StringConverter {
  override readonly regex: string = '.+';
}

const DEFAULT_CONVERTERS: ReadonlyMap<string, Converter> = new Map<string, Converter>([
  ['int', new IntConverter()],
  ['path', new PathConverter()],
  ['slug', new SlugConverter()],
  ['str', new StringConverter()],
  ['uuid', new UUIDConverter()],
]);

const registered = new Map<string, Converter>();

/**
 * Make `<name:...>` available in `path()` routes. `converter` is a class (instantiated once) or
 * an object. Register converters before the urlconf modules that use them are imported.
 *
 * @throws ImproperlyConfigured when `name` is already taken (built-in or registered) or the
 *   converter lacks a string `regex`, `toPython()` or `toUrl()`.
 * @example
 * class FourDigitYearConverter {
 *   regex = '[0-9]{4}';
 *   toPython(value: string) { return Number(value); }
 *   toUrl(value: number) { return String(value).padStart(4, '0'); }
 * }
 * registerConverter(FourDigitYearConverter, 'yyyy');
 * path('articles/<yyyy:year>/', yearArchive);
 */
export function registerConverter(converter: ConverterClass | Converter, name: string): void {
  if (typeof name !== 'string' || !/^[^\s:<>]+$/.test(name)) {
    throw new ImproperlyConfigured(
      `Converter name ${JSON.stringify(name)} is not usable in a route: give a non-empty name without whitespace, ':', '<' or '>'.`,
    );
  }
  if (DEFAULT_CONVERTERS.has(name) || registered.has(name)) {
    throw new ImproperlyConfigured(`Converter '${name}' is already registered.`);
  }
  const instance: Converter = typeof converter === 'function' ? new converter() : converter;
  if (
    instance === null ||
    typeof instance !== 'object' ||
    typeof instance.regex !== 'string' ||
    typeof instance.toPython !== 'function' ||
    typeof instance.toUrl !== 'function'
  ) {
    throw new ImproperlyConfigured(
      `Converter '${name}' must have a string \`regex\`, a \`toPython(value)\` method and a \`toUrl(value)\` method.`,
    );
  }
  registered.set(name, instance);
}

/**
 * The converter registered as `name`, or `undefined`.
 *
 * @example
 * getConverter('int')?.toPython('42'); // 42
 */
export function getConverter(name: string): Converter | undefined {
  return DEFAULT_CONVERTERS.get(name) ?? registered.get(name);
}
