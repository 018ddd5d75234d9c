import test from 'ava';
import fc from 'fast-check';
import {
  callerNumber,
  InvalidPhoneNumber,
  normalizePhoneNumber,
  toE164,
} from '../../../src/contrib/twilio/phone.ts';

test('normalizePhoneNumber(raw) gives E.164 for numbers written with a country code', (t) => {
  t.is(normalizePhoneNumber('+15005550001'), '+15005550001');
  t.is(normalizePhoneNumber('+1 500-555-0001'), '+15005550001');
  t.is(normalizePhoneNumber('+1 (500) 555-0001'), '+15005550001');
  t.is(normalizePhoneNumber('+1.500.555.0001'), '+15005550001');
  t.is(normalizePhoneNumber('+44 20 7183 8750'), '+442071838750');
  t.is(normalizePhoneNumber('  +18182223333  '), '+18182223333');
});

test('normalizePhoneNumber(raw) without a region refuses numbers without a country code (as django-twilio)', (t) => {
  t.is(normalizePhoneNumber('(500) 555-0001'), null);
  t.is(normalizePhoneNumber('15005550001'), null);
});

test('normalizePhoneNumber(raw, region) reads national numbers in the default region', (t) => {
  t.is(normalizePhoneNumber('(500) 555-0001', 'US'), '+15005550001');
  t.is(normalizePhoneNumber('15005550001', 'US'), '+15005550001');
  t.is(normalizePhoneNumber('500-555-0001', 'us'), '+15005550001');
  t.is(normalizePhoneNumber('020 7183 8750', 'GB'), '+442071838750');
  t.is(normalizePhoneNumber('0044 20 7183 8750', 'GB'), '+442071838750');
  // A number with its own country code ignores the region.
  t.is(normalizePhoneNumber('+1 500 555 0001', 'GB'), '+15005550001');
});

test('normalizePhoneNumber(raw, region) gives null for anything that is not one valid number', (t) => {
  for (const raw of [
    '',
    '   ',
    'garbage',
    'client:alice',
    'anonymous',
    '12345',
    '+12222222222', // no such US area code
    '+44123456789', // too short for the UK
    '+15005550001abc',
    '+1 500 555 0001 ext. 5',
    '+1 800 FLOWERS',
    `+1${'5'.repeat(100)}`,
  ]) {
    t.is(normalizePhoneNumber(raw, 'US'), null, raw);
  }
  t.is(normalizePhoneNumber(undefined as unknown as string), null);
  t.is(normalizePhoneNumber('(500) 555-0001', 'XX'), null);
  t.is(normalizePhoneNumber('+15005550001', 'XX'), '+15005550001');
});

test('normalizePhoneNumber(raw, region) is stable: a normalised number normalises to itself', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(
        fc.stringMatching(/^\+?[0-9 ()+.-]{0,20}$/),
        fc.constantFrom(null, 'US', 'GB', 'DE'),
        (raw, region) => {
          const once = normalizePhoneNumber(raw, region);
          if (once === null) return true;
          return /^\+[1-9]\d{1,14}$/.test(once) && normalizePhoneNumber(once) === once;
        },
      ),
    ),
  );
});

test('callerNumber(from, region) reads the number behind a channel prefix, and keeps anything else as sent', (t) => {
  t.is(callerNumber('+1 500-555-0001'), '+15005550001');
  t.is(callerNumber('whatsapp:+15005550001'), '+15005550001');
  t.is(callerNumber('tel:+1 500-555-0001'), '+15005550001');
  t.is(callerNumber('whatsapp:(500) 555-0001', 'US'), '+15005550001');
  t.is(callerNumber('whatsapp:(500) 555-0001'), 'whatsapp:(500) 555-0001');
  t.is(callerNumber('client:alice'), 'client:alice');
  t.is(callerNumber('sip:+15005550001@example.com'), 'sip:+15005550001@example.com');
  t.is(callerNumber('anonymous'), 'anonymous');
});

test('toE164(raw, region) returns the E.164 form', (t) => {
  t.is(toE164('(500) 555-0001', 'US'), '+15005550001');
});

test('toE164(raw) without a country code throws InvalidPhoneNumber naming the input and the fix', (t) => {
  const error = t.throws(() => toE164('(500) 555-0001'), { instanceOf: InvalidPhoneNumber });
  t.is(error?.code, 'KD_TWILIO_INVALID_PHONE_NUMBER');
  t.is(error?.status, 400);
  t.true(error?.expose);
  t.is(error?.input, '(500) 555-0001');
  t.regex(error?.message ?? '', /"\(500\) 555-0001" is not a phone number in E\.164 form/);
  t.regex(error?.message ?? '', /country code/);
  t.regex(error?.message ?? '', /TWILIO_PHONENUMBER_DEFAULT_REGION/);
});

test('toE164(raw, region) with an invalid number names the region it was read in', (t) => {
  const error = t.throws(() => toE164('12345', 'us'), { instanceOf: InvalidPhoneNumber });
  t.regex(error?.message ?? '', /"12345" is not a valid phone number \(read in region US\)/);
});

test('toE164(raw, region) with an unknown region says the region is wrong', (t) => {
  const error = t.throws(() => toE164('555 0001', 'USA'), { instanceOf: InvalidPhoneNumber });
  t.regex(error?.message ?? '', /region 'USA' is not an ISO 3166 country code/);
});
