/**
 * Settings: `defineSettings()` for a settings module, `loadSettings()` to import one by path, and
 * `checkSettings()` (what `koa-django check` and `createApp()` run at startup).
 *
 * Unlike Django's lazy global `settings`, a `Settings` object is explicit: a settings module
 * exports one, `createApp(settings)` takes it, and code reaches it as `request.settings`.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ImproperlyConfigured } from '../exceptions.ts';
import { DEFAULTS } from './defaults.ts';
import type { Settings, SettingsInput } from './settings.ts';

export {
  type Check,
  type CheckMessage,
  type CheckSettingsOptions,
  checkSettings,
  formatCheckMessages,
  registerCheck,
  registeredChecks,
} from './checks.ts';
export { DEFAULTS } from './defaults.ts';
export type {
  MiddlewareEntry,
  MiddlewareRef,
  SameSite,
  Settings,
  SettingsInput,
  TemplateSetting,
  UrlConfEntry,
} from './settings.ts';

const KNOWN = new Set<string>([...Object.keys(DEFAULTS), 'DATABASE_URL', 'BASE_DIR']);

/**
 * Fill in Django's defaults and freeze the result. Unknown UPPER_SNAKE keys are refused (a typo
 * such as `ALLOWED_HOST` would otherwise be silently ignored); other keys are kept for the app.
 *
 * @example
 * // settings.ts
 * import { defineSettings } from 'koa-django/conf';
 * import * as urls from './urls.ts';
 * export default defineSettings({
 *   DEBUG: true,
 *   SECRET_KEY: process.env.SECRET_KEY ?? 'dev-only-secret',
 *   ROOT_URLCONF: urls,
 * });
 */
export function defineSettings(input: SettingsInput & Record<string, unknown> = {}): Settings {
  for (const key of Object.keys(input)) {
    if (/^[A-Z][A-Z0-9_]*$/.test(key) && !KNOWN.has(key)) {
      const near = [...KNOWN].find((k) => k.startsWith(key) || key.startsWith(k));
      throw new ImproperlyConfigured(
        `Unknown setting ${key}.${near ? ` Did you mean ${near}?` : ''} See docs/settings.md for the settings koa-django reads.`,
      );
    }
  }
  const settings = {
    ...DEFAULTS,
    DATABASE_URL: process.env.DATABASE_URL || 'pglite:.data',
    BASE_DIR: process.cwd(),
    ...stripUndefined(input),
  } as Settings;
  Object.defineProperty(settings, EXPLICIT, { value: new Set(Object.keys(input)) });
  return Object.freeze(settings);
}

/** Keys a settings module gave itself (as opposed to defaults), kept off the enumerable keys. */
const EXPLICIT = Symbol('Settings#explicit');

function stripUndefined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

/**
 * A copy of `settings` with some values replaced, for tests (Django's `override_settings`).
 *
 * @example
 * const prod = overrideSettings(settings, { DEBUG: false });
 */
export function overrideSettings(
  settings: Settings,
  changes: SettingsInput & Record<string, unknown>,
): Settings {
  return defineSettings({ ...settings, ...changes });
}

/**
 * Import the settings module named by `specifier` (a path, relative to the working directory),
 * or by the `KOA_DJANGO_SETTINGS` environment variable. The module exports its settings as
 * `default` (preferably built with `defineSettings`) or as `settings`. `BASE_DIR` defaults to the
 * module's directory.
 *
 * @example
 * const settings = await loadSettings('examples/demo/settings.ts');
 */
export async function loadSettings(specifier?: string): Promise<Settings> {
  const name = specifier ?? process.env.KOA_DJANGO_SETTINGS;
  if (!name) {
    throw new ImproperlyConfigured(
      'No settings module given. Pass --settings path/to/settings.ts or set the KOA_DJANGO_SETTINGS environment variable.',
    );
  }
  const file = path.resolve(name);
  if (!existsSync(file)) {
    throw new ImproperlyConfigured(
      `Settings module '${name}' was not found (looked for ${file}). Check the --settings path or KOA_DJANGO_SETTINGS.`,
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (error) {
    throw new ImproperlyConfigured(
      `Settings module '${name}' failed to load: ${(error as Error)?.message ?? error}. Fix the error in that file (its stack is attached as the cause).`,
      { cause: error },
    );
  }
  const exported = mod.default ?? mod.settings;
  if (!exported || typeof exported !== 'object') {
    throw new ImproperlyConfigured(
      `Settings module '${name}' exports no settings. Add \`export default defineSettings({ ... })\` to it.`,
    );
  }
  const input = exported as Record<string | symbol, unknown>;
  // The module's own directory is a better BASE_DIR than the working directory, unless the
  // module chose one itself.
  const explicit = (input[EXPLICIT] as Set<string> | undefined) ?? new Set(Object.keys(input));
  return defineSettings({
    ...input,
    BASE_DIR: explicit.has('BASE_DIR') ? (input.BASE_DIR as string) : path.dirname(file),
  });
}
