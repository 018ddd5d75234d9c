import path from 'node:path';
import test from 'ava';
import { DEFAULTS, defineSettings, loadSettings, overrideSettings } from '../../src/conf/index.ts';
import { ImproperlyConfigured } from '../../src/exceptions.ts';

const fixtures = path.resolve('test/fixtures/settings');

test('defineSettings(input) fills in Django defaults', (t) => {
  const settings = defineSettings({ SECRET_KEY: 's' });
  t.is(settings.SESSION_COOKIE_AGE, 1209600);
  t.is(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, 2621440);
  t.is(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, 1000);
  t.is(settings.CSRF_COOKIE_NAME, 'csrftoken');
  t.false(settings.DEBUG);
  t.deepEqual(settings.ALLOWED_HOSTS, []);
  t.is(settings.SECRET_KEY, 's');
});

test('defineSettings(input) freezes the result', (t) => {
  const settings = defineSettings({ SECRET_KEY: 's' });
  t.true(Object.isFrozen(settings));
  t.throws(() => {
    (settings as { DEBUG: boolean }).DEBUG = true;
  });
});

test('defineSettings(input) refuses an unknown UPPER_SNAKE key and suggests the right one', (t) => {
  const error = t.throws(() => defineSettings({ ALLOWED_HOST: ['x'] } as never), {
    instanceOf: ImproperlyConfigured,
  });
  t.regex(error.message, /Unknown setting ALLOWED_HOST\. Did you mean ALLOWED_HOSTS\?/);
});

test('defineSettings(input) keeps lower-case keys for the application', (t) => {
  const settings = defineSettings({ SECRET_KEY: 's', myApp: { greeting: 'hi' } }) as unknown as Record<
    string,
    unknown
  >;
  t.deepEqual(settings.myApp, { greeting: 'hi' });
});

test.serial(
  'defineSettings(input) reads DATABASE_URL from the environment, else the embedded default',
  (t) => {
    const saved = process.env.DATABASE_URL;
    try {
      delete process.env.DATABASE_URL;
      t.is(defineSettings({}).DATABASE_URL, 'pglite:.data');
      process.env.DATABASE_URL = 'postgres://u@h/db';
      t.is(defineSettings({}).DATABASE_URL, 'postgres://u@h/db');
      t.is(defineSettings({ DATABASE_URL: 'pglite:memory' }).DATABASE_URL, 'pglite:memory');
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  },
);

test('overrideSettings(settings, changes) returns a changed copy and leaves the original alone', (t) => {
  const base = defineSettings({ SECRET_KEY: 's' });
  const changed = overrideSettings(base, { DEBUG: true });
  t.true(changed.DEBUG);
  t.false(base.DEBUG);
  t.is(changed.SECRET_KEY, 's');
});

test('DEFAULTS is frozen', (t) => {
  t.true(Object.isFrozen(DEFAULTS));
});

test('loadSettings(path) imports a settings module and defaults BASE_DIR to its directory', async (t) => {
  const settings = await loadSettings(path.join(fixtures, 'ok.ts'));
  t.true(settings.DEBUG);
  t.deepEqual(settings.ALLOWED_HOSTS, ['example.com']);
  t.is(settings.BASE_DIR, fixtures);
});

test('loadSettings(path) accepts a plain `settings` export and keeps its own BASE_DIR', async (t) => {
  const settings = await loadSettings(path.join(fixtures, 'plain-object.ts'));
  t.is(settings.SECRET_KEY, 'plain');
  t.is(settings.BASE_DIR, '/srv/app');
  t.is(settings.CSRF_COOKIE_NAME, 'csrftoken');
});

test.serial('loadSettings() reads KOA_DJANGO_SETTINGS when no path is given', async (t) => {
  process.env.KOA_DJANGO_SETTINGS = path.join(fixtures, 'ok.ts');
  try {
    t.is((await loadSettings()).SECRET_KEY, 'fixture-secret');
  } finally {
    delete process.env.KOA_DJANGO_SETTINGS;
  }
});

test.serial('loadSettings() without a module says how to name one', async (t) => {
  const error = await t.throwsAsync(loadSettings(), { instanceOf: ImproperlyConfigured });
  t.regex(error.message, /--settings path\/to\/settings\.ts or set the KOA_DJANGO_SETTINGS/);
});

test('loadSettings(path) for a missing file names the path it looked for', async (t) => {
  const error = await t.throwsAsync(loadSettings('nope/settings.ts'), { instanceOf: ImproperlyConfigured });
  t.regex(
    error.message,
    /Settings module 'nope\/settings\.ts' was not found \(looked for .*nope\/settings\.ts\)/,
  );
});

test('loadSettings(path) for a module that throws wraps the error and keeps it as the cause', async (t) => {
  const error = await t.throwsAsync(loadSettings(path.join(fixtures, 'broken.ts')), {
    instanceOf: ImproperlyConfigured,
  });
  t.regex(error.message, /failed to load: .*Fix the error in that file/);
  t.true(error.cause instanceof TypeError);
});

test('loadSettings(path) for a module without settings says what to export', async (t) => {
  const error = await t.throwsAsync(loadSettings(path.join(fixtures, 'empty.ts')), {
    instanceOf: ImproperlyConfigured,
  });
  t.regex(error.message, /exports no settings\. Add `export default defineSettings/);
});
