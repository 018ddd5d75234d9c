/**
 * The urlconf of the ArgumentLogMiddleware example: unnamed regex groups (positional
 * arguments), converters (keyword arguments), and both at once through extra kwargs.
 *
 * @module
 */
import { path, rePath } from '../../src/urls/index.ts';
import { articleDetail, home, monthArchive, yearArchive } from './views.ts';

/** @example resolve('/articles/2024/07/', urls).args // ['2024', '07'] */
export const urlpatterns = [
  path('', home, 'home'),
  rePath('^articles/([0-9]{4})/([0-9]{2})/$', monthArchive, 'month-archive'),
  rePath('^archive/([0-9]{4})/$', yearArchive, { paginate: true }, 'year-archive'),
  path('articles/<int:year>/<slug:slug>/', articleDetail, 'article-detail'),
];
