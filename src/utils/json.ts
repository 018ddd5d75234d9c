/**
 * JSON text byte-identical to Python's `json.dumps`, which Django's signing (`separators=(",", ":")`)
 * and `JsonResponse` (the default `", "` / `": "`) produce. `JSON.stringify` differs: it leaves
 * non-ASCII characters unescaped and puts no spaces after separators, so a value signed by
 * Django and one signed here would not match.
 *
 * @module
 */

/** Options of `pythonJsonDumps`. */
export interface PythonJsonOptions {
  /** `[itemSeparator, keySeparator]`; Python's default is `[', ', ': ']`. */
  separators?: readonly [string, string];
  /** Escape every character outside printable ASCII as `\u00e9`-style escapes (Python's default: true). */
  ensureAscii?: boolean;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

// Python's ESCAPE_ASCII is `([\\"]|[^\ -~])`; ESCAPE is `[\x00-\x1f\\"\b\f\n\r\t]`.
const NEEDS_ESCAPE_ASCII = /[\\"]|[^ -~]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must be escaped.
const NEEDS_ESCAPE = /[\\"\u0000-\u001f]/g;

function escapeChar(ch: string): string {
  // Code units, not code points: an astral character comes out as its surrogate pair, as in Python.
  return SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function dumpString(value: string, ensureAscii: boolean): string {
  return `"${value.replace(ensureAscii ? NEEDS_ESCAPE_ASCII : NEEDS_ESCAPE, escapeChar)}"`;
}

/**
 * A number as Python writes it. A safe integer is taken for a Python `int`; any other number for a
 * Python `float`, written like `float.__repr__` (JS and Python agree on the shortest digits, not
 * on when to switch to exponent notation or on the `.0` of integral floats).
 */
function dumpNumber(value: number): string {
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `Out of range float values are not JSON compliant: ${value}. Send null or a string instead.`,
    );
  }
  if (Number.isSafeInteger(value)) return String(value === 0 ? 0 : value);
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  // Python's repr uses fixed notation for decimal exponents in [-4, 16), exponent notation outside.
  if (exponent >= -4 && exponent < 16) {
    return Number.isInteger(value) ? `${value}.0` : String(value);
  }
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/**
 * Serialise `value` exactly as Python's `json.dumps(value, separators=..., ensure_ascii=...)`
 * would serialise the equivalent Python value.
 *
 * Where JavaScript and Python values differ:
 * - A safe integer is written as a Python `int`: `1.0` → `1`, since JS cannot tell them apart
 *   (Python writes the float `1.0` as `1.0`). Keep integral floats out of signed payloads, or
 *   accept that divergence. Other numbers are written as Python floats (`1e-05`, `1e+16`,
 *   `9007199254740992.0`); a `bigint` as an int. `NaN` and `±Infinity` throw a RangeError (Python
 *   would write non-standard `NaN`/`Infinity`, which `JSON.parse` refuses).
 * - Object keys come out in JavaScript's property order: integer-like keys first, ascending,
 *   then insertion order. A Python dict keeps pure insertion order.
 * - JavaScript-only values follow `JSON.stringify`: `toJSON()` is honoured (a `Date` becomes its
 *   ISO string), and `undefined`, functions and symbols are skipped in objects and written as
 *   `null` in arrays. A top-level `undefined`, function or symbol throws a TypeError.
 * - A circular structure throws a TypeError (Python: `ValueError: Circular reference detected`).
 *
 * @example
 * pythonJsonDumps({ a: 'é', b: [1, 2] }); // '{"a": "\\u00e9", "b": [1, 2]}'
 * pythonJsonDumps(['a', 'list'], { separators: [',', ':'] }); // '["a","list"]'
 */
export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  const [itemSep, keySep] = options.separators ?? [', ', ': '];
  const ensureAscii = options.ensureAscii ?? true;
  const stack = new Set<object>();

  const dump = (input: unknown, key: string): string | undefined => {
    let v = input;
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON: (key: string) => unknown }).toJSON(key);
    }
    switch (typeof v) {
      case 'string':
        return dumpString(v, ensureAscii);
      case 'number':
        return dumpNumber(v);
      case 'bigint':
        return v.toString();
      case 'boolean':
        return v ? 'true' : 'false';
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (v === null) return 'null';
    const obj = v as object;
    // Boxed primitives (new String('x')) serialise as their primitive, as in JSON.stringify.
    if (obj instanceof String || obj instanceof Number || obj instanceof Boolean) {
      return dump(obj.valueOf(), key);
    }
    if (stack.has(obj)) throw new TypeError('Circular reference detected while serialising to JSON.');
    stack.add(obj);
    try {
      if (Array.isArray(obj)) {
        const parts = obj.map((item, i) => dump(item, String(i)) ?? 'null');
        return `[${parts.join(itemSep)}]`;
      }
      const parts: string[] = [];
      for (const [k, item] of Object.entries(obj)) {
        const text = dump(item, k);
        if (text !== undefined) parts.push(`${dumpString(k, ensureAscii)}${keySep}${text}`);
      }
      return `{${parts.join(itemSep)}}`;
    } finally {
      stack.delete(obj);
    }
  };

  const text = dump(value, '');
  if (text === undefined) {
    throw new TypeError(`Object of type ${typeof value} is not JSON serializable.`);
  }
  return text;
}
