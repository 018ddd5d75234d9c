/**
 * The error catalogue: every exception koa-django throws on purpose, each with a stable `code`.
 *
 * Mirrors Django's `django/core/exceptions.py` plus the HTTP-layer errors Django keeps beside
 * its modules (`MultiPartParserError`, `RawPostDataException`, `BadHeaderError`). Errors that
 * map to an HTTP status carry it as `status`; `expose` says whether the message is safe to show
 * a client (true for 4xx: it describes the client's own request, never server internals).
 * `docs/errors.md` documents every code; a test keeps the two in step.
 *
 * @module
 */

/**
 * Base class of every koa-django error.
 *
 * @example
 * try { reverse('nope') } catch (e) { if (e instanceof KoaDjangoError) console.log(e.code) }
 */
export class KoaDjangoError extends Error {
  /** Stable identifier, listed in docs/errors.md. */
  readonly code: string = 'KD_ERROR';
  /** HTTP status this error becomes when it escapes a view (if any). */
  readonly status: number | undefined = undefined;
  /** Whether the message may be shown to the client. */
  readonly expose: boolean = false;

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The requested object does not exist: becomes a 404 (`handler404`). */
export class Http404 extends KoaDjangoError {
  override readonly code: string = 'KD_HTTP_404';
  override readonly status = 404;
  override readonly expose = true;
}

/** The user may not do this: becomes a 403 (`handler403`). */
export class PermissionDenied extends KoaDjangoError {
  override readonly code: string = 'KD_PERMISSION_DENIED';
  override readonly status = 403;
  override readonly expose = true;
}

/** The request is malformed: becomes a 400 (`handler400`). */
export class BadRequest extends KoaDjangoError {
  override readonly code: string = 'KD_BAD_REQUEST';
  override readonly status = 400;
  override readonly expose = true;
}

/**
 * The client did something suspicious (a forged Host, an oversize body...): becomes a 400 and is
 * logged on `koa-django.security.<ClassName>`.
 */
export class SuspiciousOperation extends KoaDjangoError {
  override readonly code: string = 'KD_SUSPICIOUS_OPERATION';
  override readonly status = 400;
  override readonly expose = true;
}

/** The `Host` (or `X-Forwarded-Host`) header is not in `ALLOWED_HOSTS`. */
export class DisallowedHost extends SuspiciousOperation {
  override readonly code = 'KD_DISALLOWED_HOST';
}

/** A redirect to an unsafe scheme (`javascript:`, `data:`...) or an over-long URL. */
export class DisallowedRedirect extends SuspiciousOperation {
  override readonly code = 'KD_DISALLOWED_REDIRECT';
}

/** The request body is larger than `DATA_UPLOAD_MAX_MEMORY_SIZE`. */
export class RequestDataTooBig extends SuspiciousOperation {
  override readonly code = 'KD_REQUEST_DATA_TOO_BIG';
}

/** More GET/POST parameters than `DATA_UPLOAD_MAX_NUMBER_FIELDS`. */
export class TooManyFieldsSent extends SuspiciousOperation {
  override readonly code = 'KD_TOO_MANY_FIELDS_SENT';
}

/** More uploaded files than `DATA_UPLOAD_MAX_NUMBER_FILES`. */
export class TooManyFilesSent extends SuspiciousOperation {
  override readonly code = 'KD_TOO_MANY_FILES_SENT';
}

/** A multipart body that is structurally suspicious (e.g. oversize part headers). */
export class SuspiciousMultipartForm extends SuspiciousOperation {
  override readonly code = 'KD_SUSPICIOUS_MULTIPART_FORM';
}

/** A file path that escapes its base directory. */
export class SuspiciousFileOperation extends SuspiciousOperation {
  override readonly code = 'KD_SUSPICIOUS_FILE_OPERATION';
}

/** A multipart/form-data body that cannot be parsed: becomes a 400. */
export class MultiPartParserError extends KoaDjangoError {
  override readonly code = 'KD_MULTIPART_PARSER_ERROR';
  override readonly status = 400;
  override readonly expose = true;
}

/** `request.body` was asked for after the body stream was consumed (multipart is streamed). */
export class RawPostDataException extends KoaDjangoError {
  override readonly code = 'KD_RAW_POST_DATA';
}

/** The client went away or the body stream failed while it was being read: becomes a 400. */
export class UnreadablePostError extends KoaDjangoError {
  override readonly code = 'KD_UNREADABLE_POST';
  override readonly status = 400;
  override readonly expose = true;
}

/**
 * A response header value (or cookie attribute, or reason phrase) contains CR, LF or another
 * character HTTP cannot carry (header injection).
 */
export class BadHeaderError extends KoaDjangoError {
  override readonly code = 'KD_BAD_HEADER';
}

/** The settings (or a urlconf, or a middleware) are wrong; raised at startup, never per request. */
export class ImproperlyConfigured extends KoaDjangoError {
  override readonly code = 'KD_IMPROPERLY_CONFIGURED';
}

/** Thrown by a middleware constructor to take itself out of the chain. */
export class MiddlewareNotUsed extends KoaDjangoError {
  override readonly code = 'KD_MIDDLEWARE_NOT_USED';
}

/** `reverse()` found no pattern for the name and arguments. */
export class NoReverseMatch extends KoaDjangoError {
  override readonly code = 'KD_NO_REVERSE_MATCH';
}

/** No URL pattern matched the path; carries the patterns tried (for the DEBUG 404 page). */
export class Resolver404 extends Http404 {
  override readonly code = 'KD_RESOLVER_404';
  /** Patterns tried, outermost first, each as a list of route strings. */
  readonly tried: string[][];
  /** The unmatched remainder of the path. */
  readonly path: string;

  constructor(message: string, details: { tried?: string[][]; path?: string } = {}) {
    super(message);
    this.tried = details.tried ?? [];
    this.path = details.path ?? '';
  }
}

/** `request.getSignedCookie(key)` without a default, and no such cookie (Django's KeyError). */
export class CookieNotFound extends KoaDjangoError {
  override readonly code = 'KD_COOKIE_NOT_FOUND';
}

/** A TemplateResponse's content was read before it was rendered. */
export class ContentNotRenderedError extends KoaDjangoError {
  override readonly code = 'KD_CONTENT_NOT_RENDERED';
}

/** A view or a middleware hook returned something that is not an HttpResponse. */
export class InvalidResponse extends KoaDjangoError {
  override readonly code = 'KD_INVALID_RESPONSE';
}

/**
 * The database could not be reached or opened: server down, unknown host, database missing,
 * login refused, or a damaged PGlite data directory (Django's `OperationalError`). The message
 * names `DATABASE_URL` (without its password) and the fix; `cause` is the driver's error.
 */
export class OperationalError extends KoaDjangoError {
  override readonly code = 'KD_OPERATIONAL_ERROR';
}
