/**
 * Settings of the decorator-ordering exercise: `SiteMiddleware` site-wide, so the log shows the
 * view decorators nested inside the MIDDLEWARE onion.
 *
 * @module
 */
import { defineSettings } from '../../src/conf/index.ts';
import { SiteMiddleware } from './middleware.ts';
import * as urls from './urls.ts';

/** @example const app = await createApp(settings); */
export default defineSettings({
  DEBUG: false,
  SECRET_KEY: process.env.SECRET_KEY ?? 'example-only-decorator-order-key-0123456789-abcdefghijklmnopq',
  ALLOWED_HOSTS: ['localhost', '127.0.0.1', '[::1]', 'testserver'],
  ROOT_URLCONF: urls,
  MIDDLEWARE: [SiteMiddleware],
});
