/**
 * The CSRF token scheme of Django 4.1+ (django/middleware/csrf.py): a 32-character secret kept
 * by the client (cookie or session) and 64-character masked tokens put in pages.
 *
 * A masked token is `mask + cipher`, where `mask` is 32 fresh random characters and
 * `cipher[i] = CHARS[(idx(secret[i]) + idx(mask[i])) % 62]`. Every page gets a different token
 * for the same secret, which defeats BREACH-style compression attacks on the page body. Forms
 * and the header may send either a masked token or the bare secret (read from the cookie).
 *
 * @module
 */
import { randomInt, timingSafeEqual } from 'node:crypto';

/** Length of the secret kept by the client. */
export const CSRF_SECRET_LENGTH = 32;
/** Length of a masked token (mask + cipher). */
export const CSRF_TOKEN_LENGTH = 2 * CSRF_SECRET_LENGTH;
/** The alphabet of secrets, masks and tokens, in Django's order (`ascii_letters + digits`). */
export const CSRF_ALLOWED_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** The session key holding the secret when `CSRF_USE_SESSIONS` is on. */
export const CSRF_SESSION_KEY = '_csrftoken';

const INVALID_CHARS = /[^a-zA-Z0-9]/;
const INDEX = new Map([...CSRF_ALLOWED_CHARS].map((ch, i) => [ch, i]));

/**
 * Why a token or secret was refused before comparing it (the end of Django's sentence).
 *
 * @example
 * `CSRF token from POST ${checkTokenFormat(token)}.` // 'CSRF token from POST has incorrect length.'
 */
export type TokenFormatProblem = 'has incorrect length' | 'has invalid characters';

/**
 * A fresh random secret: 32 characters of `[a-zA-Z0-9]` from the OS CSPRNG.
 *
 * @example
 * newCsrfSecret(); // 'k3Jd0...' (32 characters)
 */
export function newCsrfSecret(): string {
  let out = '';
  for (let i = 0; i < CSRF_SECRET_LENGTH; i++)
    out += CSRF_ALLOWED_CHARS[randomInt(CSRF_ALLOWED_CHARS.length)];
  return out;
}

function indexOf(ch: string): number {
  // Only called on strings that passed checkTokenFormat, so every character is in the map.
  return INDEX.get(ch) ?? 0;
}

/**
 * Mask `secret` with a fresh random mask: a 64-character token, different on every call.
 *
 * @example
 * const token = maskCipherSecret(secret); // token.length === 64
 * unmaskCipherToken(token) === secret;     // true
 */
export function maskCipherSecret(secret: string): string {
  const mask = newCsrfSecret();
  const n = CSRF_ALLOWED_CHARS.length;
  let cipher = '';
  for (let i = 0; i < CSRF_SECRET_LENGTH; i++) {
    cipher += CSRF_ALLOWED_CHARS[(indexOf(secret[i] as string) + indexOf(mask[i] as string)) % n];
  }
  return mask + cipher;
}

/**
 * The secret inside a 64-character masked token.
 *
 * @example
 * unmaskCipherToken(maskCipherSecret(secret)) === secret; // true
 */
export function unmaskCipherToken(token: string): string {
  const mask = token.slice(0, CSRF_SECRET_LENGTH);
  const cipher = token.slice(CSRF_SECRET_LENGTH);
  const n = CSRF_ALLOWED_CHARS.length;
  let secret = '';
  for (let i = 0; i < CSRF_SECRET_LENGTH; i++) {
    // Python's negative index wraps around; JS needs the explicit `+ n`.
    secret += CSRF_ALLOWED_CHARS[(indexOf(cipher[i] as string) - indexOf(mask[i] as string) + n) % n];
  }
  return secret;
}

/**
 * What is wrong with the shape of a token or secret (length 32 or 64, only `[a-zA-Z0-9]`), or
 * `null` when it is well formed.
 *
 * @example
 * checkTokenFormat('abc'); // 'has incorrect length'
 */
export function checkTokenFormat(token: string): TokenFormatProblem | null {
  if (token.length !== CSRF_TOKEN_LENGTH && token.length !== CSRF_SECRET_LENGTH)
    return 'has incorrect length';
  if (INVALID_CHARS.test(token)) return 'has invalid characters';
  return null;
}

/**
 * Whether a well-formed token (masked or bare) carries `secret`; compared in constant time.
 *
 * @example
 * doesTokenMatch(maskCipherSecret(secret), secret); // true
 */
export function doesTokenMatch(token: string, secret: string): boolean {
  const candidate = token.length === CSRF_TOKEN_LENGTH ? unmaskCipherToken(token) : token;
  const a = Buffer.from(candidate, 'latin1');
  const b = Buffer.from(secret, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
