/**
 * The `Settings` type: every setting koa-django and its contrib apps read, under Django's
 * (and django-twilio's) UPPER_SNAKE names, so a Django user can look each one up in Django's docs.
 * Defaults live in `defaults.ts`; `docs/settings.md` lists where we differ from Django.
 *
 * @module
 */

/** A middleware class (see `koa-django/middleware`) or a `'specifier#Export'` string naming one. */
// biome-ignore lint/suspicious/noExplicitAny: constructor arguments are checked when the chain is built
export type MiddlewareRef = string | (new (...args: any[]) => object);

/** A MIDDLEWARE entry: a class or specifier, or `[classOrSpecifier, options]`. */
export type MiddlewareEntry = MiddlewareRef | readonly [MiddlewareRef, Record<string, unknown>];

/** A urlconf module (`import * as urls from './urls.ts'`) or a specifier string naming one. */
export type UrlConfEntry = string | Readonly<Record<string, unknown>>;

/** One template engine configuration (Django's `TEMPLATES` entry; only nunjucks is built in). */
export interface TemplateSetting {
  BACKEND?: 'nunjucks';
  /** Directories searched in order, relative to `BASE_DIR` unless absolute. */
  DIRS?: string[];
  /** Also search each installed contrib app's `templates/` folder. */
  APP_DIRS?: boolean;
  OPTIONS?: Record<string, unknown>;
}

/** `SameSite` cookie attribute values, as Django spells them. */
export type SameSite = 'Lax' | 'Strict' | 'None' | false;

export interface Settings {
  // --- core ---------------------------------------------------------------
  /** Development mode: technical error pages, relaxed host checking. Never on in production. */
  DEBUG: boolean;
  /** Signs cookies, sessions and CSRF tokens. Required; keep it out of version control. */
  SECRET_KEY: string;
  /** Older keys still accepted when verifying signatures (key rotation). */
  SECRET_KEY_FALLBACKS: string[];
  /** Host names this site serves; `'.example.com'` matches subdomains, `'*'` anything. */
  ALLOWED_HOSTS: string[];
  /** Trust `X-Forwarded-Host` (only behind a proxy that sets it). */
  USE_X_FORWARDED_HOST: boolean;
  /** Trust `X-Forwarded-Port` (only behind a proxy that sets it). */
  USE_X_FORWARDED_PORT: boolean;
  /** `['HTTP_X_FORWARDED_PROTO', 'https']`: a META header and the value meaning "secure". */
  SECURE_PROXY_SSL_HEADER: readonly [string, string] | null;
  /** Root directory that relative paths in settings are resolved against. */
  BASE_DIR: string;
  /** Charset of responses without an explicit one, and of decoded request data. */
  DEFAULT_CHARSET: string;

  // --- request body limits ----------------------------------------------------
  /** Largest request body (excluding uploaded files) in bytes; `null` disables the check. */
  DATA_UPLOAD_MAX_MEMORY_SIZE: number | null;
  /** Most GET/POST parameters per request; `null` disables the check. */
  DATA_UPLOAD_MAX_NUMBER_FIELDS: number | null;
  /** Most uploaded files per request; `null` disables the check. */
  DATA_UPLOAD_MAX_NUMBER_FILES: number | null;
  /** Uploads larger than this are streamed to a temporary file instead of memory. */
  FILE_UPLOAD_MAX_MEMORY_SIZE: number;
  /** Where temporary upload files go (`null`: the OS temp dir). */
  FILE_UPLOAD_TEMP_DIR: string | null;

  // --- pipeline ---------------------------------------------------------------
  /** Middleware classes, outermost first. */
  MIDDLEWARE: MiddlewareEntry[];
  /** The urlconf module (exports `urlpatterns`, optionally `handler400/403/404/500`). */
  ROOT_URLCONF: UrlConfEntry | null;
  /** Re-throw view exceptions out of the pipeline instead of rendering a 500 (tests only). */
  DEBUG_PROPAGATE_EXCEPTIONS: boolean;
  APPEND_SLASH: boolean;
  PREPEND_WWW: boolean;
  /** User agents refused with 403 by CommonMiddleware. */
  DISALLOWED_USER_AGENTS: RegExp[];
  TEMPLATES: TemplateSetting[];

  // --- database -----------------------------------------------------------------
  /**
   * `postgres://user@host:port/db` for a PostgreSQL server, `pglite:<dir>` for the embedded
   * PGlite engine with data in `<dir>` (relative to `BASE_DIR`), `pglite:memory` for an
   * in-memory one. Defaults to the `DATABASE_URL` environment variable, else `pglite:.data`.
   */
  DATABASE_URL: string;

  // --- CSRF -------------------------------------------------------------------------
  CSRF_COOKIE_NAME: string;
  CSRF_COOKIE_AGE: number | null;
  CSRF_COOKIE_DOMAIN: string | null;
  CSRF_COOKIE_PATH: string;
  CSRF_COOKIE_SECURE: boolean;
  CSRF_COOKIE_HTTPONLY: boolean;
  CSRF_COOKIE_SAMESITE: SameSite;
  /** META key of the header carrying the token (`HTTP_X_CSRFTOKEN` = `X-CSRFToken`). */
  CSRF_HEADER_NAME: string;
  CSRF_TRUSTED_ORIGINS: string[];
  CSRF_USE_SESSIONS: boolean;
  /** View rendering CSRF failures (a function, or a `'specifier#Export'` string); `null`: built-in. */
  CSRF_FAILURE_VIEW: unknown;

  // --- SecurityMiddleware -------------------------------------------------------------
  SECURE_HSTS_SECONDS: number;
  SECURE_HSTS_INCLUDE_SUBDOMAINS: boolean;
  SECURE_HSTS_PRELOAD: boolean;
  SECURE_CONTENT_TYPE_NOSNIFF: boolean;
  SECURE_SSL_REDIRECT: boolean;
  SECURE_SSL_HOST: string | null;
  SECURE_REDIRECT_EXEMPT: (string | RegExp)[];
  SECURE_REFERRER_POLICY: string | string[] | null;
  SECURE_CROSS_ORIGIN_OPENER_POLICY: string | null;

  // --- signing, sessions, messages ------------------------------------------------------
  /** Also accept cookies signed with Django's pre-5.2.17 salt scheme (`name + salt`). */
  SIGNED_COOKIE_LEGACY_SALT_FALLBACK: boolean;
  /** `'db'`, `'signed_cookies'`, or a backend class / specifier. */
  SESSION_ENGINE: string | (new (...args: never[]) => object);
  SESSION_COOKIE_NAME: string;
  SESSION_COOKIE_AGE: number;
  SESSION_COOKIE_DOMAIN: string | null;
  SESSION_COOKIE_PATH: string;
  SESSION_COOKIE_SECURE: boolean;
  SESSION_COOKIE_HTTPONLY: boolean;
  SESSION_COOKIE_SAMESITE: SameSite;
  SESSION_EXPIRE_AT_BROWSER_CLOSE: boolean;
  SESSION_SAVE_EVERY_REQUEST: boolean;
  /** `'cookie'`, `'session'` or `'fallback'` (cookie first, overflow to the session). */
  MESSAGE_STORAGE: string | (new (...args: never[]) => object);
  MESSAGE_LEVEL: number;
  MESSAGE_TAGS: Record<number, string>;

  // --- contrib.twilio (django-twilio's names) ------------------------------------------------
  TWILIO_ACCOUNT_SID: string | null;
  TWILIO_AUTH_TOKEN: string | null;
  /** Check `X-Twilio-Signature`; `null` means "not DEBUG" (django-twilio's default). */
  DJANGO_TWILIO_FORGERY_PROTECTION: boolean | null;
  DJANGO_TWILIO_BLACKLIST_CHECK: boolean;
  /** Public base URL Twilio calls (`https://abc.ngrok.app`), for tunnels and load balancers. */
  TWILIO_WEBHOOK_BASE_URL: string | null;
  /** Region for numbers written without a country code (`'US'`, `'GB'`...). */
  TWILIO_PHONENUMBER_DEFAULT_REGION: string | null;
  /** Documented by django-twilio, read by nothing there; here the default `callerId`/`from`. */
  TWILIO_DEFAULT_CALLERID: string | null;
}

/** What a settings module may give: any subset of `Settings`. */
export type SettingsInput = Partial<Settings>;
