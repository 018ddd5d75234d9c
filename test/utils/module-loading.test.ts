import path from 'node:path';
import test from 'ava';
import { ImproperlyConfigured } from '../../src/exceptions.ts';
import { importString, perSettings } from '../../src/utils/module-loading.ts';

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

test('perSettings(compute) computes once per Settings object and serves a settled promise synchronously', async (t) => {
  let calls = 0;
  const lazy = perSettings((settings: { name: string }) => {
    calls++;
    return Promise.resolve(`value of ${settings.name}`);
  });
  const a = { name: 'a' };
  t.is(await lazy(a), 'value of a');
  t.is(lazy(a), 'value of a', 'the settled value replaces the promise');
  t.is(await lazy({ name: 'b' }), 'value of b');
  t.is(calls, 2);
});

test('perSettings(compute) forgets a rejected promise, so the next call tries again', async (t) => {
  let calls = 0;
  const flaky = perSettings((_settings: object) =>
    ++calls === 1 ? Promise.reject(new Error('no')) : Promise.resolve('ok'),
  );
  const settings = {};
  await t.throwsAsync(Promise.resolve(flaky(settings)), { message: 'no' });
  await new Promise((resolve) => setImmediate(resolve));
  t.is(await flaky(settings), 'ok');
});
