import test from 'ava';
import { run, settingsModule } from './clearsessions-helpers.ts';

test('koa-django help lists clearsessions', async (t) => {
  const { status, out } = await run(['help']);
  t.is(status, 0);
  t.regex(out, /^ {2}clearsessions +Delete expired sessions/m);
});

test("koa-django clearsessions with SESSION_ENGINE 'signed_cookies' has nothing to clear and touches no database", async (t) => {
  const settings = await settingsModule({
    SESSION_ENGINE: 'signed_cookies',
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
  });
  t.teardown(settings.remove);
  t.deepEqual(await run(['clearsessions', '--settings', settings.file]), { status: 0, out: '', err: '' });
  t.deepEqual(await run(['clearsessions', '-v', '--settings', settings.file]), {
    status: 0,
    out: 'Deleted 0 expired sessions.',
    err: '',
  });
});

test('koa-django clearsessions with an unknown SESSION_ENGINE explains and fails', async (t) => {
  const settings = await settingsModule({ SESSION_ENGINE: 'django.contrib.sessions.backends.cache' });
  t.teardown(settings.remove);
  const { status, err } = await run(['clearsessions', '--settings', settings.file]);
  t.is(status, 1);
  t.regex(
    err,
    /^ImproperlyConfigured: SESSION_ENGINE 'django\.contrib\.sessions\.backends\.cache' is not a session engine\. koa-django has only the 'db' and 'signed_cookies' engines of Django's\./,
  );
});
