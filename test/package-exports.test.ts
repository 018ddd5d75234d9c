/**
 * The package's `exports` map is its public surface: every entry point must exist, import under
 * the package's own name (as a user's `import ... from 'koa-django/twilio'` does), and export
 * something; and every `index.ts` under src/ must be reachable from the map.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, string> };
const entries = Object.entries(pkg.exports).filter(([subpath]) => subpath !== './package.json');

for (const [subpath, target] of entries) {
  const specifier = subpath === '.' ? 'koa-django' : `koa-django/${subpath.slice(2)}`;
  test(`import('${specifier}') loads ${target} and exports named values`, async (t) => {
    t.true(existsSync(target), `${target} is missing`);
    const mod = (await import(specifier)) as Record<string, unknown>;
    t.true(Object.keys(mod).length > 0, `${specifier} exports nothing`);
  });
}

function indexFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return indexFiles(full);
    return name === 'index.ts' ? [full] : [];
  });
}

test('every src/**/index.ts entry point is in the exports map', (t) => {
  const targets = new Set(entries.map(([, target]) => path.normalize(target)));
  const unreachable = indexFiles('src').filter((file) => !targets.has(file));
  t.deepEqual(unreachable, []);
});

test("import('koa-django') gives the core API", async (t) => {
  const core = await import('koa-django');
  for (const name of [
    'createApp',
    'djangoMiddleware',
    'defineSettings',
    'HttpRequest',
    'HttpResponse',
    'path',
    'include',
    'reverse',
    'Signal',
    'Http404',
    'ImproperlyConfigured',
  ]) {
    t.is(typeof (core as Record<string, unknown>)[name], 'function', name);
  }
});
