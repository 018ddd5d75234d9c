/**
 * Finding the view that renders a CSRF rejection: `CSRF_FAILURE_VIEW` is `null` (the built-in
 * 403 page), a view function, or a `'specifier#Export'` string imported once. A startup check
 * imports the string early so a typo stops `createApp()`, not the first rejected request.
 *
 * @module
 */
import type { Settings } from '../conf/index.ts';
import { ImproperlyConfigured } from '../exceptions.ts';
import { importString } from '../utils/module-loading.ts';
import { csrfFailure } from '../views/csrf-failure.ts';
import type { View } from '../views/view.ts';

const loaded = new Map<string, View>();
const loading = new Map<string, Promise<View>>();

function cacheKey(settings: Settings, specifier: string): string {
  return `${settings.BASE_DIR}\u0000${specifier}`;
}

function notAView(value: unknown, what: string): ImproperlyConfigured {
  return new ImproperlyConfigured(
    `CSRF_FAILURE_VIEW ${what} is not a view function (got ${value === null ? 'null' : typeof value}). Give a function (request, { reason }) => HttpResponse, a 'module#Export' string naming one, or null for the built-in page.`,
  );
}

/**
 * Import a string `CSRF_FAILURE_VIEW` (once per BASE_DIR and specifier) and check that it is
 * a function.
 *
 * @example
 * const view = await loadFailureView(settings, './views.ts#csrfFailure');
 */
export function loadFailureView(settings: Settings, specifier: string): Promise<View> {
  const key = cacheKey(settings, specifier);
  let pending = loading.get(key);
  if (!pending) {
    pending = importString(specifier, settings.BASE_DIR, 'CSRF_FAILURE_VIEW').then((value) => {
      if (typeof value !== 'function') throw notAView(value, `'${specifier}'`);
      loaded.set(key, value as View);
      return value as View;
    });
    // A failed import is retried next time (and reported again), not cached forever.
    pending.catch(() => loading.delete(key));
    loading.set(key, pending);
  }
  return pending;
}

/**
 * The failure view for `settings`: synchronously when it is known, else a promise of it.
 *
 * @example
 * const view = failureView(request.settings);
 * const response = await (await view)(request, { reason: 'CSRF token missing.' });
 */
export function failureView(settings: Settings): View | Promise<View> {
  const setting = settings.CSRF_FAILURE_VIEW;
  if (setting === null || setting === undefined) return csrfFailure;
  if (typeof setting === 'function') return setting as View;
  if (typeof setting === 'string')
    return loaded.get(cacheKey(settings, setting)) ?? loadFailureView(settings, setting);
  throw notAView(setting, 'setting');
}
