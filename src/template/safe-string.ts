/**
 * Marking HTML as safe (Django's `django/utils/safestring.py`): nunjucks escapes every value a
 * template prints unless it is a nunjucks `SafeString`. `markSafe` makes one, also from a lazy
 * value (anything whose `toString()` gives the HTML), which is only computed when printed.
 *
 * @module
 */
import nunjucks from 'nunjucks';

/** A string nunjucks prints without escaping. */
export type SafeString = nunjucks.runtime.SafeString;

/**
 * Mark `html` as safe to print unescaped. Only for HTML you built yourself from escaped parts.
 *
 * @example
 * const badge = markSafe(`<b>${escapeHtml(name)}</b>`);
 * await renderToString(settings, 'page.html', { badge }); // {{ badge }} prints the <b> tag
 */
export function markSafe(html: string | { toString(): string }): SafeString {
  if (typeof html === 'string') return new nunjucks.runtime.SafeString(html);
  if (html instanceof nunjucks.runtime.SafeString) return html;
  // A SafeString whose text is computed when the template prints it.
  return Object.create(nunjucks.runtime.SafeString.prototype, {
    val: { get: () => html.toString() },
    length: { get: () => html.toString().length },
  }) as SafeString;
}
