import test from 'ava';
import { NoReverseMatch, rePath, reverser } from '../../src/urls/index.ts';
import { emptyView } from './fixtures/views.ts';

// Patterns and expected URLs from Django's urlpatterns_reverse tests (regex_helper.normalize).
const url = reverser({
  urlpatterns: [
    rePath('^places/([0-9]+)/$', emptyView, 'places'),
    rePath('^places?/$', emptyView, 'places?'),
    rePath('^places+/$', emptyView, 'places+'),
    rePath('^places*/$', emptyView, 'places*'),
    rePath('^(?:places/)?$', emptyView, 'places2?'),
    rePath('^(?:places/)+$', emptyView, 'places2+'),
    rePath('^(?:places/)*$', emptyView, 'places2*'),
    rePath(String.raw`^optional/(?P<arg1>\d+)/(?:(?P<arg2>\d+)/)?$`, emptyView, 'named_optional'),
    rePath(String.raw`^hardcoded/doc\.pdf$`, emptyView, 'hardcoded2'),
    rePath(String.raw`^people/(?P<state>\w\w)/(?P<name>\w+)/$`, emptyView, 'people3'),
    rePath('^character_set/[abcdef0-9]/$', emptyView, 'range'),
    rePath(String.raw`^character_set/[\w]/$`, emptyView, 'range2'),
    rePath(String.raw`^price/\$([0-9]+)/$`, emptyView, 'price'),
    rePath('^price/[$]([0-9]+)/$', emptyView, 'price2'),
    rePath(String.raw`^price/[\$]([0-9]+)/$`, emptyView, 'price3'),
    rePath(
      String.raw`^product/(?P<product>\w+)\+\(\$(?P<price>[0-9]+(?:\.[0-9]+)?)\)/$`,
      emptyView,
      'product',
    ),
    rePath(
      String.raw`^headlines/(?P<year>[0-9]+)\.(?P<month>[0-9]+)\.(?P<day>[0-9]+)/$`,
      emptyView,
      'headlines',
    ),
    rePath(String.raw`^windows_path/(?P<drive_name>[A-Z]):\\(?P<path>.+)/$`, emptyView, 'windows'),
    rePath('^special_chars/(?P<chars>.+)/$', emptyView, 'special'),
    rePath('^(?P<name>.+)/[0-9]+/$', emptyView, 'mixed'),
    rePath('^repeats/a{1,2}/$', emptyView, 'repeats'),
    rePath('^repeats/a{2,4}/$', emptyView, 'repeats2'),
    rePath('^repeats/a{2}/$', emptyView, 'repeats3'),
    rePath('^test/1/?', emptyView, 'test'),
    rePath(String.raw`^nested/noncapture/(?:(?P<p>\w+))$`, emptyView, 'nested-noncapture'),
    rePath(String.raw`^nested/capture/((\w+)/)?$`, emptyView, 'nested-capture'),
    rePath(String.raw`^nested/capture/named/(?P<outer>(?P<inner>\w+)/)?$`, emptyView, 'nested-namedcapture'),
    rePath(String.raw`^(?:foo|bar)(\w+)/$`, emptyView, 'disjunction'),
    rePath(String.raw`^lookahead\+/(?=a-city)(?P<city>[^/]+)/$`, emptyView, 'lookahead-positive'),
    rePath('^lookahead-/(?!not-a-city)(?P<city>[^/]+)/$', emptyView, 'lookahead-negative'),
    rePath(String.raw`^lookbehind\+/(?P<city>[^/]+)(?<=a-city)/$`, emptyView, 'lookbehind-positive'),
    rePath('^lookbehind-/(?P<city>[^/]+)(?<!not-a-city)/$', emptyView, 'lookbehind-negative'),
  ],
});

type Case = [
  name: string,
  expected: string | typeof NoReverseMatch,
  args: unknown[],
  kwargs: Record<string, unknown>,
];

const cases: Case[] = [
  ['places', '/places/3/', [3], {}],
  ['places', '/places/3/', ['3'], {}],
  ['places', NoReverseMatch, ['a'], {}],
  ['places', NoReverseMatch, [], {}],
  ['places?', '/place/', [], {}],
  ['places+', '/places/', [], {}],
  ['places*', '/place/', [], {}],
  ['places2?', '/', [], {}],
  ['places2+', '/places/', [], {}],
  ['places2*', '/', [], {}],
  ['named_optional', '/optional/1/', [1], {}],
  ['named_optional', '/optional/1/', [], { arg1: 1 }],
  ['named_optional', '/optional/1/2/', [1, 2], {}],
  ['named_optional', '/optional/1/2/', [], { arg1: 1, arg2: 2 }],
  ['named_optional', NoReverseMatch, [1, 2, 3], {}],
  ['named_optional', NoReverseMatch, [], { arg1: 1, arg2: 2, arg3: 3 }],
  ['hardcoded2', '/hardcoded/doc.pdf', [], {}],
  ['people3', '/people/il/adrian/', [], { state: 'il', name: 'adrian' }],
  ['people3', NoReverseMatch, [], { state: 'il' }],
  ['people3', NoReverseMatch, [], { name: 'adrian' }],
  ['range', '/character_set/a/', [], {}],
  ['range2', '/character_set/x/', [], {}],
  ['price', '/price/$10/', ['10'], {}],
  ['price2', '/price/$10/', ['10'], {}],
  ['price3', '/price/$10/', ['10'], {}],
  ['product', '/product/chocolate+($2.00)/', [], { price: '2.00', product: 'chocolate' }],
  ['headlines', '/headlines/2007.5.21/', [], { year: 2007, month: 5, day: 21 }],
  [
    'windows',
    '/windows_path/C:%5CDocuments%20and%20Settings%5Cspam/',
    [],
    { drive_name: 'C', path: String.raw`Documents and Settings\spam` },
  ],
  ['special', '/special_chars/~@+%5C$*%7C/', [String.raw`~@+\$*|`], {}],
  ['special', '/special_chars/some%20resource/', ['some resource'], {}],
  ['special', '/special_chars/10%25%20complete/', ['10% complete'], {}],
  ['special', '/special_chars/some%20resource/', [], { chars: 'some resource' }],
  ['special', NoReverseMatch, [''], {}],
  ['mixed', '/john/0/', [], { name: 'john' }],
  ['repeats', '/repeats/a/', [], {}],
  ['repeats2', '/repeats/aa/', [], {}],
  ['repeats3', '/repeats/aa/', [], {}],
  ['test', '/test/1', [], {}],
  ['nested-noncapture', '/nested/noncapture/opt', [], { p: 'opt' }],
  ['nested-capture', '/nested/capture/opt/', ['opt/'], {}],
  ['nested-capture', NoReverseMatch, [], { p: 'opt' }],
  ['nested-namedcapture', '/nested/capture/named/opt/', [], { outer: 'opt/' }],
  ['nested-namedcapture', NoReverseMatch, [], { outer: 'opt/', inner: 'opt' }],
  ['nested-namedcapture', NoReverseMatch, [], { inner: 'opt' }],
  ['disjunction', NoReverseMatch, ['foo'], {}],
  ['lookahead-positive', '/lookahead+/a-city/', [], { city: 'a-city' }],
  ['lookahead-negative', '/lookahead-/a-city/', [], { city: 'a-city' }],
  ['lookbehind-positive', '/lookbehind+/a-city/', [], { city: 'a-city' }],
  ['lookbehind-negative', '/lookbehind-/a-city/', [], { city: 'a-city' }],
  ['lookahead-positive', NoReverseMatch, [], { city: 'other-city' }],
  ['lookahead-negative', NoReverseMatch, [], { city: 'not-a-city' }],
  ['lookbehind-positive', NoReverseMatch, [], { city: 'other-city' }],
  ['lookbehind-negative', NoReverseMatch, [], { city: 'not-a-city' }],
];

for (const [name, expected, args, kwargs] of cases) {
  const call = args.length > 0 ? `args ${JSON.stringify(args)}` : `kwargs ${JSON.stringify(kwargs)}`;
  if (typeof expected !== 'string') {
    test(`reverse('${name}', { ${call} }) throws NoReverseMatch`, (t) => {
      t.throws(() => url(name, { args, kwargs }), { instanceOf: NoReverseMatch });
    });
  } else {
    test(`reverse('${name}', { ${call} }) builds ${expected}`, (t) => {
      t.is(url(name, { args, kwargs }), expected);
    });
  }
}
