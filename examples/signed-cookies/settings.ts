/**
 * Settings of the SignedCookiesMiddleware example, in its two set-ups:
 *
 * - the default export signs every cookie of the site (`MIDDLEWARE: [SignedCookiesMiddleware]`,
 *   first in the list);
 * - `perViewSettings` has no middleware at all: only the view decorated with
 *   `signedCookies({ salt: 'theme', maxAge })` signs (and checks) its cookies.
 *
 * Using both at once on one view would run the middleware twice for it (koa-django warns at
 * startup), so the example keeps them apart.
 *
 * @module
 */
import { defineSettings, overrideSettings } from '../../src/conf/index.ts';
import { SignedCookiesMiddleware } from '../../src/middleware/signed-cookies.ts';
import * as urls from './urls.ts';

/** @example const app = await createApp(settings); */
const settings = defineSettings({
  DEBUG: false,
  SECRET_KEY: process.env.SECRET_KEY ?? 'example-only-signed-cookies-key-0123456789-abcdefghijklmnopqr',
  ALLOWED_HOSTS: ['localhost', '127.0.0.1', '[::1]', 'testserver'],
  ROOT_URLCONF: urls,
  MIDDLEWARE: [SignedCookiesMiddleware],
});
export default settings;

/** The per-view set-up. @example const app = await createApp(perViewSettings); */
export const perViewSettings = overrideSettings(settings, {
  MIDDLEWARE: [],
  ROOT_URLCONF: { urlpatterns: urls.perViewUrlpatterns },
});
