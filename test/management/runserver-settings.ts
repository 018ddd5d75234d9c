/**
 * Settings module for the `koa-django runserver` tests: `/slow/` says it started, then answers
 * 300 ms later, so a request is still in flight when the server is told to stop; `/` answers at once.
 */
import { defineSettings } from '../../src/conf/index.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { path } from '../../src/urls/index.ts';

const slow = async () => {
  // The test stops the server once it reads this.
  process.stdout.write('slow view started\n');
  await new Promise((resolve) => setTimeout(resolve, 300));
  return new HttpResponse('slow done');
};

export default defineSettings({
  SECRET_KEY: 'runserver-test-secret',
  ALLOWED_HOSTS: ['127.0.0.1'],
  DATABASE_URL: 'pglite:memory',
  ROOT_URLCONF: { urlpatterns: [path('slow/', slow), path('', () => new HttpResponse('ok'))] },
});
