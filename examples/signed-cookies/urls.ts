/**
 * The urlconfs of the SignedCookiesMiddleware example: `urlpatterns` for the site-wide set-up
 * (every cookie signed by MIDDLEWARE), `perViewUrlpatterns` for the per-view one (only
 * `theme/`, decorated, signs its cookie).
 *
 * @module
 */
import { path } from '../../src/urls/index.ts';
import { forget, theme, visits } from './views.ts';

/** Site-wide: the middleware is in MIDDLEWARE. @example resolve('/forget/', urls).func === forget */
export const urlpatterns = [path('', visits, 'visits'), path('forget/', forget, 'forget')];

/**
 * Per view: MIDDLEWARE is empty; `theme` carries the middleware itself, `visits` does not (its
 * cookie is plain here).
 *
 * @example ROOT_URLCONF: { urlpatterns: perViewUrlpatterns }
 */
export const perViewUrlpatterns = [path('', visits, 'visits'), path('theme/', theme, 'theme')];
