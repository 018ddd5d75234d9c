/**
 * Python's `repr()` for the values in URL error messages, so they read exactly like Django's
 * (`Reverse for 'people' with keyword arguments '{'name': 'x y'}' not found. 1 pattern(s) tried:
 * ['people/(?P<name>\\w+)/\\Z']`).
 *
 * @module
 */

/**
 * `repr(value)` as Python would print the equivalent value: strings quoted (`'a'`), `true` →
 * `True`, `null`/`undefined` → `None`, arrays as lists, plain objects as dicts.
 *
 * @example
 * pyRepr(['a\\b', 1, true]); // "['a\\\\b', 1, True]"
 */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return reprString(value);
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'function') return `<function ${value.name || '<anonymous>'}>`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${reprString(k)}: ${pyRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/**
 * `repr(tuple(values))`: `(1,)` for one item, `(1, 2)` for more, `()` for none.
 *
 * @example
 * pyTupleRepr([1]); // '(1,)'
 */
export function pyTupleRepr(values: readonly unknown[]): string {
  if (values.length === 1) return `(${pyRepr(values[0])},)`;
  return `(${values.map(pyRepr).join(', ')})`;
}

function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return quote + out + quote;
}
