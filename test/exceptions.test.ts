import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import * as exceptions from '../src/exceptions.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const codesInSource = new Set(
  sources('src').flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/code(?:: string)? = '(KD_[A-Z0-9_]+)'/g)].map((m) => m[1]),
  ),
);
const docs = readFileSync('docs/errors.md', 'utf8');
const codesInDocs = new Set([...docs.matchAll(/^\| `(KD_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]));

test('docs/errors.md documents every error code in src/', (t) => {
  t.deepEqual(
    [...codesInSource].filter((c) => !codesInDocs.has(c)),
    [],
  );
});

test('docs/errors.md documents no code that src/ does not have', (t) => {
  t.deepEqual(
    [...codesInDocs].filter((c) => !codesInSource.has(c)),
    [],
  );
});

test('every error class in src/exceptions.ts has its own code and its own name', (t) => {
  const classes = (Object.values(exceptions) as unknown[]).filter(
    (value): value is new (message?: string) => exceptions.KoaDjangoError =>
      typeof value === 'function' && value.prototype instanceof Error,
  );
  const codes = new Set<string>();
  for (const Class of classes) {
    const error = Class === exceptions.Resolver404 ? new exceptions.Resolver404('x') : new Class('x');
    t.is(error.name, Class.name);
    t.false(codes.has(error.code), `${Class.name} reuses ${error.code}`);
    codes.add(error.code);
  }
});

test('errors that map to a status expose their message only for client errors', (t) => {
  for (const Class of [
    exceptions.Http404,
    exceptions.PermissionDenied,
    exceptions.BadRequest,
    exceptions.DisallowedHost,
  ]) {
    const error = new Class('m');
    t.true(error.expose && (error.status ?? 0) >= 400 && (error.status ?? 0) < 500, Class.name);
  }
  t.false(new exceptions.ImproperlyConfigured('m').expose);
  t.is(new exceptions.ImproperlyConfigured('m').status, undefined);
});
