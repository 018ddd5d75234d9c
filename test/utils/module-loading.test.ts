import path from 'node:path';
import test from 'ava';
import { ImproperlyConfigured } from '../../src/exceptions.ts';
import { importString } from '../../src/utils/module-loading.ts';

const base = path.resolve('test/fixtures/settings');

test('importString(specifier, baseDir) imports a relative module, whole or one export', async (t) => {
  const mod = (await importString('./ok.ts', base, 'X')) as { default: { SECRET_KEY: string } };
  t.is(mod.default.SECRET_KEY, 'fixture-secret');
  const value = (await importString('./plain-object.ts#settings', base, 'X')) as { SECRET_KEY: string };
  t.is(value.SECRET_KEY, 'plain');
});

test('importString(specifier, baseDir) resolves package specifiers', async (t) => {
  const sep = (await importString('node:path#sep', base, 'X')) as string;
  t.is(sep, path.sep);
});

test('importString(specifier, baseDir) names the setting and the missing export', async (t) => {
  const error = await t.throwsAsync(importString('./plain-object.ts#nope', base, 'MIDDLEWARE'), {
    instanceOf: ImproperlyConfigured,
  });
  t.is(error.message, "MIDDLEWARE: module './plain-object.ts' has no export 'nope' (it exports settings).");
});

test('importString(specifier, baseDir) explains a module that cannot be imported', async (t) => {
  const error = await t.throwsAsync(importString('./missing.ts#X', base, 'ROOT_URLCONF'), {
    instanceOf: ImproperlyConfigured,
  });
  t.regex(
    error.message,
    /^ROOT_URLCONF: module '\.\/missing\.ts' could not be imported .* relative to BASE_DIR/,
  );
});
