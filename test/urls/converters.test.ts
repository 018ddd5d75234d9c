import test from 'ava';
import { ImproperlyConfigured } from '../../src/exceptions.ts';
import {
  getResolver,
  IntConverter,
  path,
  Resolver404,
  registerConverter,
  resolve,
  reverse,
} from '../../src/urls/index.ts';
import { anyNumberView, emptyView, evenView } from './fixtures/views.ts';

class EvenConverter {
  regex = '[0-9]+';
  toPython(value: string): number {
    const n = Number(value);
    if (n % 2 !== 0) throw new RangeError(`${value} is odd`);
    return n;
  }
  toUrl(value: number): string {
    if (value % 2 !== 0) throw new RangeError(`${value} is odd`);
    return String(value);
  }
}
registerConverter(EvenConverter, 'even');

registerConverter(
  {
    regex: '[0-9]{4}',
    toPython: (value: string) => Number(value),
    toUrl: (value: unknown) => String(value).padStart(4, '0'),
  },
  'yyyy',
);

test('registerConverter(Class, name) makes <name:param> usable in routes', (t) => {
  const urls = { urlpatterns: [path('even/<even:n>/', evenView, 'even')] };
  t.deepEqual(resolve('/even/4/', urls).kwargs, { n: 4 });
  t.is(reverse('even', { urlconf: urls, args: [8] }), '/even/8/');
});

test('registerConverter(object, name) accepts a plain object converter', (t) => {
  const urls = { urlpatterns: [path('year/<yyyy:y>/', emptyView, 'year')] };
  t.deepEqual(resolve('/year/0999/', urls).kwargs, { y: 999 });
  t.is(reverse('year', { urlconf: urls, kwargs: { y: 999 } }), '/year/0999/');
  t.throws(() => resolve('/year/99/', urls), { instanceOf: Resolver404 });
});

test('a converter whose toPython() throws means no match: later patterns are tried', (t) => {
  const urls = {
    urlpatterns: [path('num/<even:n>/', evenView, 'num'), path('num/<int:n>/', anyNumberView, 'num')],
  };
  t.is(resolve('/num/4/', urls).func, evenView);
  const odd = resolve('/num/3/', urls);
  t.is(odd.func, anyNumberView);
  t.deepEqual(odd.kwargs, { n: 3 });
});

test('a converter whose toUrl() throws skips that candidate in reverse()', (t) => {
  const urls = {
    urlpatterns: [path('any/<int:n>/', anyNumberView, 'num'), path('even/<even:n>/', evenView, 'num')],
  };
  t.is(reverse('num', { urlconf: urls, args: [4] }), '/even/4/');
  t.is(reverse('num', { urlconf: urls, args: [3] }), '/any/3/');
});

test('registerConverter() refuses a name that is already registered', (t) => {
  t.throws(() => registerConverter(IntConverter, 'int'), {
    instanceOf: ImproperlyConfigured,
    message: "Converter 'int' is already registered.",
  });
  t.throws(() => registerConverter(EvenConverter, 'even'), {
    instanceOf: ImproperlyConfigured,
    message: "Converter 'even' is already registered.",
  });
});

test('registerConverter() refuses a converter without regex, toPython and toUrl', (t) => {
  t.throws(() => registerConverter({ regex: '[a-z]+', toPython: (v: string) => v } as never, 'half'), {
    instanceOf: ImproperlyConfigured,
    message:
      /Converter 'half' must have a string `regex`, a `toPython\(value\)` method and a `toUrl\(value\)` method/,
  });
  t.throws(() => registerConverter(EvenConverter, 'bad:name'), { instanceOf: ImproperlyConfigured });
});

test('<int:n> does not match a number too large for JavaScript, instead of rounding it', (t) => {
  const urls = { urlpatterns: [path('id/<int:n>/', emptyView, 'id')] };
  t.deepEqual(resolve('/id/9007199254740991/', urls).kwargs, { n: 9007199254740991 });
  t.throws(() => resolve('/id/9007199254740993/', urls), { instanceOf: Resolver404 });
  t.deepEqual(resolve('/id/007/', urls).kwargs, { n: 7 });
});

test('<uuid:u> matches lower-case UUIDs only and keeps them as strings', (t) => {
  const urls = { urlpatterns: [path('u/<uuid:u>/', emptyView, 'u')] };
  const id = '075194d3-6885-417e-a8a8-6c931e272f00';
  t.deepEqual(resolve(`/u/${id}/`, urls).kwargs, { u: id });
  t.throws(() => resolve(`/u/${id.toUpperCase()}/`, urls), { instanceOf: Resolver404 });
});

test('path() reads a converter’s regex once and compiles once; resolve() and reverse() compile nothing', (t) => {
  let regexReads = 0;
  let toPythonCalls = 0;
  registerConverter(
    {
      get regex() {
        regexReads++;
        return '[a-z]+';
      },
      toPython: (value: string) => {
        toPythonCalls++;
        return value;
      },
      toUrl: (value: unknown) => String(value),
    },
    'counted',
  );
  const readsAtRegistration = regexReads;
  const urls = {
    urlpatterns: [path('c/<counted:w>/', emptyView, 'c'), path('d/<counted:w>/', emptyView, 'd')],
  };
  t.is(regexReads, readsAtRegistration + 2);

  // Warm up: the resolver loads its patterns and reverse() builds its tables on first use.
  resolve('/d/x/', urls);
  reverse('d', { urlconf: urls, args: ['x'] });
  const readsAfterWarmUp = regexReads;

  const probeSource = 'a';
  const OriginalRegExp = globalThis.RegExp;
  let constructed = 0;
  globalThis.RegExp = new Proxy(OriginalRegExp, {
    construct(target, args) {
      constructed++;
      return Reflect.construct(target, args);
    },
    apply(target, thisArg, args) {
      constructed++;
      return Reflect.apply(target, thisArg, args);
    },
  });
  try {
    for (let i = 0; i < 50; i++) {
      resolve('/d/abc/', urls);
      reverse('d', { urlconf: urls, args: ['abc'] });
      t.throws(() => resolve('/zzz/', urls));
    }
    // The spy itself sees constructions:
    t.true(new RegExp(probeSource).test('a'));
  } finally {
    globalThis.RegExp = OriginalRegExp;
  }
  t.is(constructed, 1);
  t.is(regexReads, readsAfterWarmUp);
  t.is(toPythonCalls, 51);
  t.is(getResolver(urls).urlPatterns.length, 2);
});
