/**
 * Startup checks of the Twilio app's request settings, registered with `registerCheck` when the
 * app is imported: `createApp()` refuses to start on an error and `koa-django check` prints them.
 * (A `twilioView` in the urlconf that checks signatures without an auth token is refused by its
 * own `ready` hook, which `koa-django check` reports too.)
 *
 * @module
 */
import { isSupportedCountry } from 'libphonenumber-js/max';
import { type CheckMessage, registerCheck } from '../../conf/checks.ts';
import type { Settings } from '../../conf/index.ts';
import { baseUrlProblem } from './webhook-url.ts';

/**
 * The checks: value types of the switches, the base URL, the default region, and a warning when
 * signature checking is switched off outside DEBUG.
 *
 * @example
 * const problems = twilioChecks(settings); // [{ id: 'twilio.E002', level: 'error', ... }]
 */
export function twilioChecks(settings: Settings): CheckMessage[] {
  const out: CheckMessage[] = [];
  const forgery = settings.DJANGO_TWILIO_FORGERY_PROTECTION;
  if (forgery !== null && typeof forgery !== 'boolean') {
    out.push({
      id: 'twilio.E001',
      level: 'error',
      message: `DJANGO_TWILIO_FORGERY_PROTECTION must be true, false or null (meaning "not DEBUG"), not ${JSON.stringify(forgery)}.`,
    });
  }
  const base = settings.TWILIO_WEBHOOK_BASE_URL;
  const problem = base === null ? null : baseUrlProblem(base);
  if (problem) {
    out.push({
      id: 'twilio.E002',
      level: 'error',
      message: `TWILIO_WEBHOOK_BASE_URL ${JSON.stringify(base)} ${problem}.`,
      hint: "Give the public URL Twilio calls, without the webhook's own path, e.g. 'https://abc.ngrok.app'.",
    });
  }
  const region = settings.TWILIO_PHONENUMBER_DEFAULT_REGION;
  if (region !== null && (typeof region !== 'string' || !isSupportedCountry(region.toUpperCase()))) {
    out.push({
      id: 'twilio.E003',
      level: 'error',
      message: `TWILIO_PHONENUMBER_DEFAULT_REGION ${JSON.stringify(region)} is not a region code libphonenumber knows.`,
      hint: "Use an ISO 3166 country code such as 'US' or 'GB', or null.",
    });
  }
  if (forgery === false && !settings.DEBUG) {
    out.push({
      id: 'twilio.W001',
      level: 'warning',
      message:
        'DJANGO_TWILIO_FORGERY_PROTECTION is false while DEBUG is false: Twilio webhooks accept unsigned requests from anyone.',
      hint: 'Remove the setting (signatures are then checked unless DEBUG), or switch it off only for the views that need it with twilioView({ forgeryProtection: false }).',
    });
  }
  return out;
}

registerCheck(twilioChecks);
