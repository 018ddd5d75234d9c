/**
 * Message levels and their default CSS tags (Django's `django/contrib/messages/constants.py`).
 * `MESSAGE_LEVEL` (default INFO) is the lowest level stored; `MESSAGE_TAGS` overrides or adds
 * tags (`{ [ERROR]: 'danger' }` for Bootstrap).
 *
 * @module
 */
import type { Settings } from '../../conf/index.ts';

/** Development-only detail; below the default `MESSAGE_LEVEL`, so dropped unless you lower it. */
export const DEBUG = 10;
/** Information for the user. */
export const INFO = 20;
/** An action succeeded. */
export const SUCCESS = 25;
/** Not a failure, but may become one. */
export const WARNING = 30;
/** An action failed. */
export const ERROR = 40;

/**
 * The level → tag map before `MESSAGE_TAGS` (Django's `DEFAULT_TAGS`).
 *
 * @example
 * DEFAULT_TAGS[SUCCESS]; // 'success'
 */
export const DEFAULT_TAGS: Readonly<Record<number, string>> = Object.freeze({
  [DEBUG]: 'debug',
  [INFO]: 'info',
  [SUCCESS]: 'success',
  [WARNING]: 'warning',
  [ERROR]: 'error',
});

/**
 * The level names, for templates (`{% if message.level == DEFAULT_MESSAGE_LEVELS.ERROR %}`).
 *
 * @example
 * DEFAULT_LEVELS.WARNING; // 30
 */
export const DEFAULT_LEVELS = Object.freeze({ DEBUG, INFO, SUCCESS, WARNING, ERROR });

/**
 * `DEFAULT_TAGS` with `settings.MESSAGE_TAGS` on top (Django's `get_level_tags()`).
 *
 * @example
 * getLevelTags(defineSettings({ MESSAGE_TAGS: { 40: 'danger' } }))[40]; // 'danger'
 */
export function getLevelTags(settings: Pick<Settings, 'MESSAGE_TAGS'>): Readonly<Record<number, string>> {
  return { ...DEFAULT_TAGS, ...(settings.MESSAGE_TAGS ?? {}) };
}
