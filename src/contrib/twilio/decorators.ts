/**
 * `twilioView`: django-twilio's `@twilio_view` — a view decorator (a wrapper function) that
 * makes a view safe to expose as a Twilio webhook.
 *
 * Per request, in django-twilio's order:
 * 1. forgery protection (`DJANGO_TWILIO_FORGERY_PROTECTION`, default "not DEBUG", or the
 *    `forgeryProtection` option): only GET and POST (else 405, `Allow: GET, POST`), and a valid
 *    `X-Twilio-Signature` (else 403) — see signature.ts and webhook-url.ts;
 * 2. the caller blacklist (`DJANGO_TWILIO_BLACKLIST_CHECK`, default on, or `blacklistCheck`):
 *    a blacklisted `From` gets a fixed TwiML reply and the view does not run — answered from
 *    the in-process cache, without a database round trip;
 * 3. the view; TwiML objects, strings and Buffers it returns become `200 application/xml`.
 *
 * Everything read from settings (the switches, the auth token, the base URL) is resolved once
 * per Settings object, at startup through the view's `ready` hook (which refuses to start when
 * protection is on and there is no token) or on the first request. The view is CSRF-exempt.
 *
 * @module
 */
import type { Settings } from '../../conf/index.ts';
import { ImproperlyConfigured } from '../../exceptions.ts';
import { markLogged } from '../../handlers/log-response.ts';
import { HttpRequest } from '../../http/request.ts';
import type { HttpResponseBase } from '../../http/response.ts';
import { HttpResponseForbidden, HttpResponseNotAllowed } from '../../http/responses.ts';
import { getLogger } from '../../utils/log.ts';
import { wraps } from '../../views/decorators.ts';
import type { Kwargs, View } from '../../views/view.ts';
import { blacklistFor } from './blacklist.ts';
import './checks.ts';
import { defaultCredentials } from './credentials.ts';
import { NotHttpRequest } from './exceptions.ts';
import { callerNumber } from './phone.ts';
import { decompose, describe } from './request.ts';
import { blacklistedResponse, type TwilioViewResult, toResponse } from './response.ts';
import { validateTwilioRequest } from './signature.ts';
import { parseBaseUrl } from './webhook-url.ts';

/** Per-view options of `twilioView`; each one left out falls back to the settings. */
export interface TwilioViewOptions {
  /** Check signatures and methods (default: `DJANGO_TWILIO_FORGERY_PROTECTION`, null → not DEBUG). */
  forgeryProtection?: boolean;
  /** Refuse blacklisted callers (default: `DJANGO_TWILIO_BLACKLIST_CHECK`). */
  blacklistCheck?: boolean;
  /** The auth token signatures are made with (default: the environment pair, else the settings pair). */
  authToken?: string;
  /** The public base URL Twilio calls, e.g. `'https://abc.ngrok.app'` (default: `TWILIO_WEBHOOK_BASE_URL`). */
  baseUrl?: string;
}

/** A view as `twilioView` takes it: like any view, but it may also return TwiML, a string or bytes. */
export type TwilioViewFunction = (
  // biome-ignore lint/suspicious/noExplicitAny: methods of class-based views run with their `this`
  this: any,
  request: HttpRequest,
  kwargs: Kwargs,
) => TwilioViewResult | Promise<TwilioViewResult>;

/** What `twilioView(options)` returns. */
export type TwilioViewDecorator = (view: TwilioViewFunction) => View;

/** The options and settings of one view, resolved once per Settings. */
interface Resolved {
  protection: boolean;
  authToken: string;
  baseUrl: string | null;
  /** Whether to check the blacklist (`blacklistFor(settings)` per request: a reopened one is seen). */
  blacklistCheck: boolean;
  region: string | null;
  /** Why protection cannot work (no token, bad base URL), or null. */
  problem: string | null;
}

type Cache = WeakMap<Settings, Resolved>;

const logger = getLogger('koa-django.twilio');
const ALLOWED_METHODS = ['GET', 'POST'] as const;
const OPTION_TYPES = {
  forgeryProtection: 'boolean',
  blacklistCheck: 'boolean',
  authToken: 'string',
  baseUrl: 'string',
} as const;
const NO_OPTIONS: Readonly<TwilioViewOptions> = Object.freeze({});
const defaultCache: Cache = new WeakMap();

/**
 * Make `view` a Twilio webhook: forgery protection, the caller blacklist, TwiML return values
 * and CSRF exemption. Use it bare, or with options first. Works on function views, on methods
 * (their `this` is kept), and on class-based views through `methodDecorator(twilioView, 'dispatch')`.
 *
 * @example
 * export const sms = twilioView((request) => {
 *   const reply = new twilio.twiml.MessagingResponse();
 *   reply.message('Thanks for the SMS message!');
 *   return reply;
 * });
 * export const status = twilioView({ blacklistCheck: false })(async (request) => new HttpResponse(''));
 * export const ThanksView = methodDecorator(twilioView, 'dispatch')(class extends View { ... });
 */
export function twilioView(view: TwilioViewFunction): View;
export function twilioView(options?: TwilioViewOptions): TwilioViewDecorator;
export function twilioView(arg?: TwilioViewFunction | TwilioViewOptions): View | TwilioViewDecorator {
  if (typeof arg === 'function') return decorate(arg, NO_OPTIONS, defaultCache);
  const options = checkOptions(arg ?? {});
  const cache: Cache = new WeakMap();
  return (view: TwilioViewFunction) => decorate(view, options, cache);
}

function checkOptions(options: TwilioViewOptions): Readonly<TwilioViewOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `twilioView() takes a view or an options object, not ${describe(options)}. Use twilioView(view) or twilioView({ forgeryProtection: false })(view).`,
    );
  }
  for (const [key, value] of Object.entries(options)) {
    const type = OPTION_TYPES[key as keyof typeof OPTION_TYPES];
    if (type === undefined) {
      throw new ImproperlyConfigured(
        `twilioView() has no option '${key}'. Its options are ${Object.keys(OPTION_TYPES).join(', ')}.`,
      );
    }
    if (value !== undefined && typeof value !== type) {
      throw new ImproperlyConfigured(`twilioView({ ${key} }) must be a ${type}, not ${describe(value)}.`);
    }
  }
  if (options.baseUrl !== undefined) parseBaseUrl(options.baseUrl, 'twilioView({ baseUrl })');
  return Object.freeze({ ...options });
}

function decorate(view: TwilioViewFunction, options: Readonly<TwilioViewOptions>, cache: Cache): View {
  if (typeof view !== 'function') {
    throw new TypeError(
      `twilioView(options) returns a decorator: call it with a view, not ${describe(view)}.`,
    );
  }
  const resolved = (settings: Settings): Resolved => {
    let found = cache.get(settings);
    if (!found) {
      found = resolve(settings, options);
      cache.set(settings, found);
    }
    return found;
  };
  const innerReady = (view as View).ready;
  const name = view.name || 'anonymous';
  // methodDecorator's startup probe has no name: say what it can be.
  const label = view.name
    ? `Twilio view \`${view.name}\``
    : 'A Twilio view (an anonymous function, or a class-based view decorated on dispatch)';

  const wrapped = wraps(
    view as View,
    async function twilioWebhook(
      this: unknown,
      request: HttpRequest,
      kwargs: Kwargs,
    ): Promise<HttpResponseBase> {
      if (!(request instanceof HttpRequest)) {
        throw new NotHttpRequest(
          `Twilio view \`${name}\` was called with ${describe(request)} where an HttpRequest belongs. Mount it in a urlconf, or call it as view(request, kwargs).`,
        );
      }
      const config = resolved(request.settings);
      if (config.protection) {
        const refusal = checkForgery(request, config, label);
        if (refusal) return refusal;
      }
      if (config.blacklistCheck) {
        const refusal = checkBlacklist(request, config);
        if (refusal) return refusal;
      }
      return toResponse(await view.call(this, request, kwargs), name);
    },
  );
  wrapped.csrfExempt = true;
  wrapped.ready = async (settings: Settings) => {
    await innerReady?.(settings);
    const config = resolved(settings);
    if (config.protection && config.problem) {
      throw new ImproperlyConfigured(`${label}: ${config.problem}`);
    }
    if (config.blacklistCheck) await blacklistFor(settings).ready;
  };
  return wrapped;
}

function resolve(settings: Settings, options: Readonly<TwilioViewOptions>): Resolved {
  const protection =
    options.forgeryProtection ?? settings.DJANGO_TWILIO_FORGERY_PROTECTION ?? !settings.DEBUG;
  const blacklistCheck = options.blacklistCheck ?? settings.DJANGO_TWILIO_BLACKLIST_CHECK;
  let problem: string | null = null;
  let baseUrl: string | null = null;
  let authToken = '';
  if (protection) {
    authToken = options.authToken ?? defaultCredentials(settings)?.authToken ?? '';
    if (authToken === '') {
      const why =
        options.forgeryProtection !== undefined
          ? 'twilioView({ forgeryProtection: true })'
          : settings.DJANGO_TWILIO_FORGERY_PROTECTION !== null
            ? 'DJANGO_TWILIO_FORGERY_PROTECTION is true'
            : 'DJANGO_TWILIO_FORGERY_PROTECTION is null and DEBUG is false';
      problem =
        `it checks X-Twilio-Signature (${why}) but no auth token is configured. Set the TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN ` +
        'environment variables, or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in settings, or pass twilioView({ authToken }); ' +
        'to accept unsigned requests (development only), set DJANGO_TWILIO_FORGERY_PROTECTION: false.';
    }
    const base = options.baseUrl ?? settings.TWILIO_WEBHOOK_BASE_URL;
    if (base !== null && base !== undefined) {
      try {
        baseUrl = parseBaseUrl(base, options.baseUrl ? 'twilioView({ baseUrl })' : 'TWILIO_WEBHOOK_BASE_URL');
      } catch (error) {
        problem ??= (error as Error).message;
      }
    }
  }
  // Started now, so the list is loading before the first webhook arrives.
  if (blacklistCheck) blacklistFor(settings);
  return {
    protection,
    authToken,
    baseUrl,
    blacklistCheck,
    region: settings.TWILIO_PHONENUMBER_DEFAULT_REGION,
    problem,
  };
}

/** The method gate and the signature; a response refuses the request. */
function checkForgery(request: HttpRequest, config: Resolved, label: string): HttpResponseBase | null {
  if (request.method !== 'GET' && request.method !== 'POST') {
    const response = new HttpResponseNotAllowed(ALLOWED_METHODS);
    logger.warning(`Method Not Allowed (${request.method}): ${request.path}`, {
      status: 405,
      request,
    });
    markLogged(response);
    return response;
  }
  if (config.problem) {
    // Only reachable when the view was not in the urlconf at startup (its ready hook would have
    // refused to start): fail closed.
    const response = new HttpResponseForbidden();
    logger.error(`${label}: ${config.problem}`, { status: 403, request });
    markLogged(response);
    return response;
  }
  const result = validateTwilioRequest(request, config.authToken, { baseUrl: config.baseUrl });
  if (result.valid) return null;
  const response = new HttpResponseForbidden();
  logger.warning(`Twilio signature check failed (${result.reason}): ${request.method} ${request.path}`, {
    status: 403,
    reason: result.reason,
    request,
  });
  logger.debug(
    `Twilio signature for ${request.method} ${request.path} checked against ${result.url}. If Twilio calls another URL (a proxy, a tunnel), set TWILIO_WEBHOOK_BASE_URL or SECURE_PROXY_SSL_HEADER/USE_X_FORWARDED_HOST; see docs/twilio.md.`,
    { reason: result.reason, url: result.url },
  );
  markLogged(response);
  return response;
}

/** The blacklisted-caller reply, or null to let the view run. */
function checkBlacklist(request: HttpRequest, config: Resolved): HttpResponseBase | null {
  // As django-twilio: GET reads the query string, every other method the form body.
  const from = (request.method === 'GET' ? request.GET : request.POST).get('From');
  if (!from) return null;
  const number = callerNumber(from, config.region);
  let listed: boolean;
  try {
    listed = blacklistFor(request.settings).isBlacklisted(number);
  } catch (error) {
    // A spam filter that breaks must not take the webhook down with it.
    logger.error(`Blacklist lookup failed for ${request.path}; letting the caller through`, {}, error);
    return null;
  }
  if (!listed) return null;
  logger.info(`Refused blacklisted caller ${number}: ${request.method} ${request.path}`, { request });
  return blacklistedResponse(decompose(request).type);
}
