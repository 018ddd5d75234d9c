/**
 * Phone numbers for the Twilio app: every number is stored, compared and looked up in E.164
 * (`+15005550001`), parsed with libphonenumber-js and its full ("max") metadata, so validity is
 * checked per country and number type, as django-phonenumber-field does with `phonenumbers`.
 * Numbers written without a country code are read in `TWILIO_PHONENUMBER_DEFAULT_REGION`
 * (django-phonenumber-field's `PHONENUMBER_DEFAULT_REGION`).
 *
 * @module
 */
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { KoaDjangoError } from '../../exceptions.ts';

/** Longer input is never a phone number; refusing it early keeps the parser's work bounded. */
const MAX_INPUT_LENGTH = 64;
/** Parsing costs ~40 µs; webhooks see the same few numbers again and again. */
const CACHE_SIZE = 10_000;
const cache = new Map<string, string | null>();

/**
 * A phone number that is not valid, or lacks a country code and no region was given. Becomes a
 * 400 when it escapes a view; the CLI reports it as a CommandError.
 *
 * @example
 * try { toE164('555-0001') } catch (e) { if (e instanceof InvalidPhoneNumber) console.error(e.message) }
 */
export class InvalidPhoneNumber extends KoaDjangoError {
  override readonly code = 'KD_TWILIO_INVALID_PHONE_NUMBER';
  override readonly status = 400;
  override readonly expose = true;

  constructor(
    /** The input as given. */
    readonly input: string,
    /** The region it was read in, if any. */
    readonly region: string | null,
  ) {
    super(invalidMessage(input, region));
  }
}

function invalidMessage(input: string, region: string | null): string {
  const shown = JSON.stringify(String(input).slice(0, MAX_INPUT_LENGTH));
  if (region && !isSupportedCountry(region.toUpperCase())) {
    return (
      `Cannot read the phone number ${shown}: the region '${region}' is not an ISO 3166 country code ` +
      "libphonenumber knows. Set TWILIO_PHONENUMBER_DEFAULT_REGION to a code such as 'US' or 'GB'."
    );
  }
  const trimmed = String(input).trim();
  if (!trimmed.startsWith('+') && !region) {
    return (
      `${shown} is not a phone number in E.164 form. Write it with its country code ` +
      `(for example '+15005550001'), or set TWILIO_PHONENUMBER_DEFAULT_REGION (for example 'US') ` +
      'to read numbers written without one.'
    );
  }
  return (
    `${shown} is not a valid phone number${region ? ` (read in region ${region.toUpperCase()})` : ''}. ` +
    "Check the digits, and write it with its country code, for example '+15005550001'."
  );
}

/**
 * `raw` in E.164, or `null` when it is not a valid phone number. Numbers written without a
 * country code (`(500) 555-0001`) need `region` (an ISO 3166 code such as `'US'`); with a `+`
 * the region is ignored. Numbers with an extension, letters or other text around them are not
 * E.164 numbers and give `null`. Results are cached (bounded), so it is cheap per request.
 *
 * @example
 * normalizePhoneNumber('+1 500-555-0001');       // '+15005550001'
 * normalizePhoneNumber('(500) 555-0001', 'US');  // '+15005550001'
 * normalizePhoneNumber('(500) 555-0001');        // null (no country code, no region)
 * normalizePhoneNumber('client:alice');          // null
 */
export function normalizePhoneNumber(raw: string, region?: string | null): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_INPUT_LENGTH) return null;
  const key = `${region ?? ''}\0${raw}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const result = parse(raw, region ?? null);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
}

function parse(raw: string, region: string | null): string | null {
  const text = raw.trim();
  if (text === '') return null;
  const country = region ? region.toUpperCase() : undefined;
  if (country !== undefined && !isSupportedCountry(country)) {
    // An unknown region can still read numbers that carry their own country code.
    if (!text.startsWith('+')) return null;
  }
  let parsed: ReturnType<typeof parsePhoneNumberFromString>;
  try {
    parsed = parsePhoneNumberFromString(text, {
      defaultCountry: country && isSupportedCountry(country) ? (country as CountryCode) : undefined,
      // Refuse text around the number ('+15005550001abc'), which the default "extract" mode accepts.
      extract: false,
    });
  } catch {
    return null;
  }
  if (!parsed || parsed.ext || !parsed.isValid()) return null;
  return parsed.number;
}

/** A channel prefix Twilio puts before an address: `whatsapp:`, `tel:`, `client:`. */
const CHANNEL_PREFIX = /^[A-Za-z][A-Za-z0-9.-]*:/;

/**
 * The blacklist key of a webhook's `From`: its E.164 number, also behind a channel prefix
 * (`whatsapp:+15005550001`, where django-twilio's phonenumbers skips the letters before the
 * number too), else `from` itself (`client:alice`, `anonymous`: never a caller's number).
 *
 * @example
 * callerNumber('whatsapp:+1 500-555-0001'); // '+15005550001'
 * callerNumber('client:alice');             // 'client:alice'
 */
export function callerNumber(from: string, region?: string | null): string {
  const e164 = normalizePhoneNumber(from, region);
  if (e164 !== null) return e164;
  const prefix = CHANNEL_PREFIX.exec(from);
  return (prefix && normalizePhoneNumber(from.slice(prefix[0].length), region)) || from;
}

/**
 * `raw` in E.164, or an InvalidPhoneNumber error naming the input and the fix. For the Caller
 * API and the `callers` command, where a bad number is the user's mistake to correct.
 *
 * @example
 * toE164('(500) 555-0001', 'US'); // '+15005550001'
 * toE164('555-0001');             // throws InvalidPhoneNumber: "555-0001" is not a phone number in E.164 form...
 */
export function toE164(raw: string, region?: string | null): string {
  const e164 = normalizePhoneNumber(raw, region);
  if (e164 === null) throw new InvalidPhoneNumber(raw, region ?? null);
  return e164;
}
