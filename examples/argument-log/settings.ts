/**
 * Settings of the ArgumentLogMiddleware example: the middleware site-wide, logging on
 * `examples.argument-log`.
 *
 * @module
 */
import { defineSettings } from '../../src/conf/index.ts';
import { ArgumentLogMiddleware } from './middleware.ts';
import * as urls from './urls.ts';

/** @example const app = await createApp(settings); */
export default defineSettings({
  DEBUG: false,
  SECRET_KEY: process.env.SECRET_KEY ?? 'example-only-argument-log-key-0123456789-abcdefghijklmnopqrst',
  ALLOWED_HOSTS: ['localhost', '127.0.0.1', '[::1]', 'testserver'],
  ROOT_URLCONF: urls,
  MIDDLEWARE: [ArgumentLogMiddleware],
});
