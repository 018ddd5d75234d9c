import test from 'ava';
import { overrideSettings } from '../../src/conf/index.ts';
import { addLogHandler, type LogRecord } from '../../src/utils/log.ts';
import { Client } from '../../test/helpers/client.ts';
import { ArgumentLogMiddleware, formatCall } from './middleware.ts';
import settings from './settings.ts';

// Every test listens on a shared logger, so they run one at a time.
async function logged(path: string, loggerName = 'examples.argument-log', appSettings = settings) {
  const client = await Client.create(appSettings);
  const records: LogRecord[] = [];
  const stop = addLogHandler((record) => record.logger === loggerName && records.push(record));
  try {
    const response = await client.get(path);
    return { response, lines: records.map((r) => `${r.level.toUpperCase()} ${r.message}`) };
  } finally {
    stop();
  }
}

test.serial(
  'ArgumentLogMiddleware#processView() logs unnamed regex groups as positional arguments',
  async (t) => {
    const { response, lines } = await logged('/articles/2024/07/');
    t.deepEqual(lines, ["INFO Calling monthArchive('2024', '07')"]);
    t.is(response.text, 'Articles from 07/2024');
  },
);

test.serial(
  'ArgumentLogMiddleware#processView() logs path() converters as keyword arguments, converted',
  async (t) => {
    const { response, lines } = await logged('/articles/2024/hello-world/');
    t.deepEqual(lines, ["INFO Calling articleDetail(year=2024, slug='hello-world')"]);
    t.is(response.text, 'Article hello-world (number 2024)');
  },
);

test.serial(
  'ArgumentLogMiddleware#processView() logs positional arguments and extra kwargs together',
  async (t) => {
    const { response, lines } = await logged('/archive/2024/');
    t.deepEqual(lines, ["INFO Calling yearArchive('2024', paginate=True)"]);
    t.is(response.text, 'Articles from 2024, page 1');
  },
);

test.serial('ArgumentLogMiddleware#processView() logs a view without arguments as name()', async (t) => {
  const { lines } = await logged('/');
  t.deepEqual(lines, ['INFO Calling home()']);
});

test.serial('ArgumentLogMiddleware logs nothing for a URL that resolves to no view (404)', async (t) => {
  const { response, lines } = await logged('/no-such-page/');
  t.is(response.status, 404);
  t.deepEqual(lines, []);
});

test.serial('[[ArgumentLogMiddleware, { logger }]] logs on the logger it is given', async (t) => {
  const custom = overrideSettings(settings, {
    MIDDLEWARE: [[ArgumentLogMiddleware, { logger: 'myapp.views' }]],
  });
  const { lines } = await logged('/articles/1999/12/', 'myapp.views', custom);
  t.deepEqual(lines, ["INFO Calling monthArchive('1999', '12')"]);
});

test('formatCall(name, args, kwargs) writes values as Python repr() does', (t) => {
  t.is(
    formatCall('search', ["it's"], { page: 2, exact: false, sort: null }),
    `search("it's", page=2, exact=False, sort=None)`,
  );
});
