/**
 * Checking `X-Twilio-Signature` on a request, with the `twilio` package's own validators (never
 * a hand-written HMAC): `twilio.validateRequest` for forms and GETs, `validateRequestWithBody`
 * for bodies signed through `bodySHA256`. The candidates it tries (the URL as received, with
 * and without the scheme's default port, then normalised forms) are twilio-node's.
 *
 * What is signed, and where django-twilio differs:
 * - POST with a form body: the URL plus the form parameters parsed from the body (every value
 *   of a repeated key, as twilio expects). The query string stays in the URL only.
 * - GET: the URL alone. django-twilio also appends the query parameters, so a real Twilio GET
 *   with a query string always failed there (django-twilio issue #83).
 * - Any request whose URL has `bodySHA256` (Twilio's JSON webhooks): the URL with no
 *   parameters, and the SHA-256 of the exact body bytes must equal that value. The hash is
 *   checked whatever the Content-Type says, so a captured signature cannot carry a forged body
 *   (the bypass in twilio-ruby PR #590).
 * - A POST with a body that is neither a form nor covered by `bodySHA256` cannot be verified
 *   and fails.
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import twilio from 'twilio';
import type { HttpRequest } from '../../http/request.ts';
import { webhookUrl } from './webhook-url.ts';

/** Why a request failed the check (for logs; never sent to the client). */
export type SignatureFailure =
  | 'missing-signature'
  | 'invalid-signature'
  | 'invalid-body-hash'
  | 'unsigned-body'
  | 'unreadable-body'
  | 'missing-auth-token';

/** The outcome of `validateTwilioRequest`. */
export type SignatureResult =
  | { valid: true; url: string }
  | { valid: false; reason: SignatureFailure; url: string };

/** Options of `validateTwilioRequest`. */
export interface ValidateOptions {
  /** The public base URL Twilio calls (see `webhookUrl`). */
  baseUrl?: string | null;
}

const FORM = 'application/x-www-form-urlencoded';
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Whether `request` carries a valid Twilio signature for `authToken` (an empty or missing token
 * fails closed: `missing-auth-token`). Never throws for a bad signature or URL; the request's own 400 errors (DisallowedHost, an oversize or malformed
 * body) do propagate, as they would from any view.
 *
 * @example
 * const result = validateTwilioRequest(request, authToken, { baseUrl: 'https://abc.ngrok.app' });
 * if (!result.valid) return new HttpResponseForbidden();
 */
export function validateTwilioRequest(
  request: HttpRequest,
  authToken: string,
  options: ValidateOptions = {},
): SignatureResult {
  const url = webhookUrl(request, options.baseUrl);
  // An HMAC with an empty key is one anybody can compute: without a token, nothing is valid.
  if (typeof authToken !== 'string' || authToken === '') {
    return { valid: false, reason: 'missing-auth-token', url };
  }
  const signature = request.META.HTTP_X_TWILIO_SIGNATURE;
  if (signature === undefined) return { valid: false, reason: 'missing-signature', url };

  if (hasBodyHash(request)) {
    const body = bodyText(request);
    if (body === null) return { valid: false, reason: 'unreadable-body', url };
    if (safely(() => twilio.validateRequestWithBody(authToken, signature, url, body)))
      return { valid: true, url };
    // Only to tell the two failures apart in the log.
    const urlSigned = safely(() => twilio.validateRequest(authToken, signature, url, {}));
    return { valid: false, reason: urlSigned ? 'invalid-body-hash' : 'invalid-signature', url };
  }

  let params: Record<string, string | string[]> = {};
  if (request.method === 'POST') {
    if (request.contentType === FORM) {
      params = formParams(request);
    } else if (bodyText(request) !== '') {
      return { valid: false, reason: 'unsigned-body', url };
    }
  }
  // Fast path: the URL exactly as received is what Twilio signed in the usual case (one HMAC);
  // otherwise twilio's validator tries its port and encoding variants.
  const valid =
    matches(signature, twilio.getExpectedTwilioSignature(authToken, url, params)) ||
    safely(() => twilio.validateRequest(authToken, signature, url, params));
  return valid ? { valid: true, url } : { valid: false, reason: 'invalid-signature', url };
}

/** Constant-time comparison (the lengths are not secret: a signature is always 28 characters). */
function matches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The query string names `bodySHA256` (Twilio's marker for a body signed by its hash), also
 * escaped (`body%53HA256`): twilio's validator tries the query re-encoded by `querystring`,
 * which unescapes names, so a signature over `?bodySHA256=...` also matches the escaped form.
 */
function hasBodyHash(request: HttpRequest): boolean {
  const query = request.META.QUERY_STRING ?? '';
  return (
    (query.includes('bodySHA256') || query.includes('%')) && new URLSearchParams(query).has('bodySHA256')
  );
}

/**
 * The body as the text Twilio hashed: its exact bytes, read as UTF-8 (twilio hashes the UTF-8
 * encoding of the string, which gives back the same bytes). `null` when the body is not UTF-8
 * or cannot be read as bytes (a multipart body is streamed into POST/FILES).
 */
function bodyText(request: HttpRequest): string | null {
  let bytes: Buffer;
  try {
    bytes = request.body;
  } catch (error) {
    // Oversize and aborted bodies are the client's fault: let them become their 400.
    if ((error as { status?: number }).status !== undefined) throw error;
    return null;
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/** Form parameters from the body: one string per key, or every value of a repeated key. */
function formParams(request: HttpRequest): Record<string, string | string[]> {
  const post = request.POST;
  // A null-prototype object: even a `__proto__` field is an own key, signed as sent. A loop,
  // not lists() + fromEntries: this runs on every webhook, and those copies cost twice as much.
  const params: Record<string, string | string[]> = Object.create(null);
  for (const key of post.keys()) {
    const values = post.getlist(key);
    params[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return params;
}

/** twilio's validators throw TypeError for a URL `new URL()` cannot parse: that is a failure. */
function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
