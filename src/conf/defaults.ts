/**
 * Default settings: our `django/conf/global_settings.py`. Values match Django 5.2 unless
 * `docs/settings.md` says otherwise.
 *
 * @module
 */
import type { Settings } from './settings.ts';

/**
 * Every setting's default. `DATABASE_URL` and `BASE_DIR` are read from the environment when
 * `defineSettings()` runs, not when this module loads.
 *
 * @example
 * import { DEFAULTS } from 'koa-django/conf';
 * DEFAULTS.SESSION_COOKIE_AGE; // 1209600 (two weeks)
 */
export const DEFAULTS: Readonly<Omit<Settings, 'DATABASE_URL' | 'BASE_DIR'>> = Object.freeze({
  DEBUG: false,
  SECRET_KEY: '',
  SECRET_KEY_FALLBACKS: [],
  ALLOWED_HOSTS: [],
  USE_X_FORWARDED_HOST: false,
  USE_X_FORWARDED_PORT: false,
  SECURE_PROXY_SSL_HEADER: null,
  DEFAULT_CHARSET: 'utf-8',

  DATA_UPLOAD_MAX_MEMORY_SIZE: 2.5 * 1024 * 1024,
  DATA_UPLOAD_MAX_NUMBER_FIELDS: 1000,
  DATA_UPLOAD_MAX_NUMBER_FILES: 100,
  FILE_UPLOAD_MAX_MEMORY_SIZE: 2.5 * 1024 * 1024,
  FILE_UPLOAD_TEMP_DIR: null,

  MIDDLEWARE: [],
  ROOT_URLCONF: null,
  DEBUG_PROPAGATE_EXCEPTIONS: false,
  APPEND_SLASH: true,
  PREPEND_WWW: false,
  DISALLOWED_USER_AGENTS: [],
  TEMPLATES: [],

  CSRF_COOKIE_NAME: 'csrftoken',
  CSRF_COOKIE_AGE: 60 * 60 * 24 * 7 * 52,
  CSRF_COOKIE_DOMAIN: null,
  CSRF_COOKIE_PATH: '/',
  CSRF_COOKIE_SECURE: false,
  CSRF_COOKIE_HTTPONLY: false,
  CSRF_COOKIE_SAMESITE: 'Lax',
  CSRF_HEADER_NAME: 'HTTP_X_CSRFTOKEN',
  CSRF_TRUSTED_ORIGINS: [],
  CSRF_USE_SESSIONS: false,
  CSRF_FAILURE_VIEW: null,

  SECURE_HSTS_SECONDS: 0,
  SECURE_HSTS_INCLUDE_SUBDOMAINS: false,
  SECURE_HSTS_PRELOAD: false,
  SECURE_CONTENT_TYPE_NOSNIFF: true,
  SECURE_SSL_REDIRECT: false,
  SECURE_SSL_HOST: null,
  SECURE_REDIRECT_EXEMPT: [],
  SECURE_REFERRER_POLICY: 'same-origin',
  SECURE_CROSS_ORIGIN_OPENER_POLICY: 'same-origin',

  SIGNED_COOKIE_LEGACY_SALT_FALLBACK: true,
  SESSION_ENGINE: 'db',
  SESSION_COOKIE_NAME: 'sessionid',
  SESSION_COOKIE_AGE: 60 * 60 * 24 * 7 * 2,
  SESSION_COOKIE_DOMAIN: null,
  SESSION_COOKIE_PATH: '/',
  SESSION_COOKIE_SECURE: false,
  SESSION_COOKIE_HTTPONLY: true,
  SESSION_COOKIE_SAMESITE: 'Lax',
  SESSION_EXPIRE_AT_BROWSER_CLOSE: false,
  SESSION_SAVE_EVERY_REQUEST: false,
  MESSAGE_STORAGE: 'fallback',
  MESSAGE_LEVEL: 20,
  MESSAGE_TAGS: {},

  TWILIO_ACCOUNT_SID: null,
  TWILIO_AUTH_TOKEN: null,
  DJANGO_TWILIO_FORGERY_PROTECTION: null,
  DJANGO_TWILIO_BLACKLIST_CHECK: true,
  TWILIO_WEBHOOK_BASE_URL: null,
  TWILIO_PHONENUMBER_DEFAULT_REGION: null,
  TWILIO_DEFAULT_CALLERID: null,
});
