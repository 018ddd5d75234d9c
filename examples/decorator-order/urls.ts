/**
 * The urlconf of the decorator-ordering exercise: one route per way of stacking.
 *
 * @module
 */
import { path } from '../../src/urls/index.ts';
import { fromMiddleware, fromWrappers, swapped } from './views.ts';

/** @example resolve('/wrappers/', urls).func === fromWrappers */
export const urlpatterns = [
  path('middleware/', fromMiddleware, 'middleware'),
  path('wrappers/', fromWrappers, 'wrappers'),
  path('swapped/', swapped, 'swapped'),
];
