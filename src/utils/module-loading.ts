/**
 * Import a module or one of its exports from a string (Django's `import_string`), for settings
 * that name code instead of holding it: `'./middleware.ts#TimingMiddleware'`,
 * `'koa-django/middleware#CommonMiddleware'`, `'./urls.ts'`. Runs at startup only.
 *
 * @module
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ImproperlyConfigured } from '../exceptions.ts';

/**
 * Resolve `specifier` (`module` or `module#Export`) relative to `baseDir` and import it.
 * `setting` names the setting being resolved, for the error message.
 *
 * @example
 * const Cls = await importString('./middleware.ts#TimingMiddleware', settings.BASE_DIR, 'MIDDLEWARE');
 */
export async function importString(specifier: string, baseDir: string, setting: string): Promise<unknown> {
  const [moduleName = '', exportName] = specifier.split('#');
  let url: string;
  if (moduleName.startsWith('.') || path.isAbsolute(moduleName)) {
    url = pathToFileURL(path.resolve(baseDir, moduleName)).href;
  } else {
    try {
      const resolved = createRequire(path.join(baseDir, 'index.js')).resolve(moduleName);
      url = path.isAbsolute(resolved) ? pathToFileURL(resolved).href : resolved; // 'node:path' stays as is
    } catch {
      url = moduleName; // ESM-only packages: let Node's import() resolve it
    }
  }
  let mod: Record<string, unknown>;
  try {
    mod = await import(url);
  } catch (error) {
    throw new ImproperlyConfigured(
      `${setting}: module '${moduleName}' could not be imported (${(error as Error)?.message ?? error}). Paths starting with '.' are relative to BASE_DIR (${baseDir}).`,
      { cause: error },
    );
  }
  if (exportName === undefined) return mod;
  if (!(exportName in mod)) {
    const available = Object.keys(mod).join(', ') || 'nothing';
    throw new ImproperlyConfigured(
      `${setting}: module '${moduleName}' has no export '${exportName}' (it exports ${available}).`,
    );
  }
  return mod[exportName];
}

/**
 * Memoise, per Settings object, a value that is ready at once (a class given directly, a
 * built-in name) or only after an import (a specifier): the promise is cached until it settles,
 * then its value replaces it, so later calls are synchronous; a failed import is not cached.
 *
 * @example
 * export const sessionEngine = perSettings((settings) => resolveEngine(settings));
 * const Store = sessionEngine(settings); // a class, or a promise of one the first time
 */
export function perSettings<S extends object, T>(compute: (settings: S) => T | Promise<T>) {
  const cache = new WeakMap<S, T | Promise<T>>();
  return (settings: S): T | Promise<T> => {
    let value = cache.get(settings);
    if (value === undefined) {
      value = compute(settings);
      cache.set(settings, value);
      if (value instanceof Promise) {
        value.then(
          (settled) => cache.set(settings, settled),
          () => cache.delete(settings),
        );
      }
    }
    return value;
  };
}
