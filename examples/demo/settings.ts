/**
 * Settings of the demo `npm start` serves: django-twilio's documented example webhooks, with
 * forgery protection ON, so every webhook needs a valid X-Twilio-Signature (send one with
 * `koa-django twilio send`, see README.md).
 *
 * Credentials: the TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN environment pair when both are set,
 * else the fixed demo pair below. The demo pair is for trying the demo only: it is not a real
 * Twilio account and it is public, so never use it anywhere else.
 *
 * Database: DATABASE_URL when set, else the embedded PGlite in the repository's `.data/`
 * (`npm start` applies the migrations first). The caller blacklist lives there.
 *
 * @module
 */
import { fileURLToPath } from 'node:url';
import { defineSettings } from 'koa-django/conf';
import * as urls from './urls.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The demo's account SID: test-only, not a Twilio account. */
export const DEMO_ACCOUNT_SID = 'AC00000000000000000000000000000000';
/** The demo's auth token: test-only and public; never use it for anything real. */
export const DEMO_AUTH_TOKEN = 'demo-only-token-public-not-secret';

/** @example const app = await createApp(settings); */
export default defineSettings({
  DEBUG: process.env.DEBUG !== '0',
  SECRET_KEY: process.env.SECRET_KEY ?? 'demo-only-secret-key-never-use-in-production-0123456789abcdef',
  ALLOWED_HOSTS: ['127.0.0.1', 'localhost', '[::1]', 'testserver'],
  ROOT_URLCONF: urls,
  DATABASE_URL: process.env.DATABASE_URL || `pglite:${ROOT}.data`,
  // On even though DEBUG is: the point of the demo is to see signatures checked.
  DJANGO_TWILIO_FORGERY_PROTECTION: true,
  DJANGO_TWILIO_BLACKLIST_CHECK: true,
  TWILIO_ACCOUNT_SID: DEMO_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: DEMO_AUTH_TOKEN,
  TWILIO_PHONENUMBER_DEFAULT_REGION: 'US',
});
