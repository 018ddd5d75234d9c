/**
 * Settings module for the `koa-django callers` tests: the database comes from
 * KD_CALLERS_DATABASE_URL (set by the test before the first command), numbers without a
 * country code are read as US numbers.
 */
import { defineSettings } from '../../src/conf/index.ts';

export default defineSettings({
  SECRET_KEY: 'callers-test-secret',
  DATABASE_URL: process.env.KD_CALLERS_DATABASE_URL as string,
  TWILIO_PHONENUMBER_DEFAULT_REGION: 'US',
});
