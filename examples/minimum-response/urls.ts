/**
 * The urlconf of the MinimumResponseMiddleware example. Any other path gets the default 404
 * page, which MIDDLEWARE pads to 512 bytes: the case the middleware was written for.
 *
 * @module
 */
import { path } from '../../src/urls/index.ts';
import { events, hello, ping, report } from './views.ts';

/** @example resolve('/report/', urls).func === report */
export const urlpatterns = [
  path('', hello, 'hello'),
  path('report/', report, 'report'),
  path('ping/', ping, 'ping'),
  path('events/', events, 'events'),
];
