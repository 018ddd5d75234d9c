/**
 * Settings of the MinimumResponseMiddleware example: the middleware runs site-wide with its
 * default minimum (512 bytes). DEBUG is off so a 404 is the short production page, the one
 * Internet Explorer used to hide.
 *
 * @module
 */
import { defineSettings } from '../../src/conf/index.ts';
import { MinimumResponseMiddleware } from './middleware.ts';
import * as urls from './urls.ts';

/** @example const app = await createApp(settings); */
export default defineSettings({
  DEBUG: false,
  SECRET_KEY: process.env.SECRET_KEY ?? 'example-only-minimum-response-key-0123456789-abcdefghijklmnop',
  ALLOWED_HOSTS: ['localhost', '127.0.0.1', '[::1]', 'testserver'],
  ROOT_URLCONF: urls,
  MIDDLEWARE: [MinimumResponseMiddleware],
});
