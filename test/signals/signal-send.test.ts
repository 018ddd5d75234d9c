import test from 'ava';
import { Signal } from '../../src/signals/index.ts';
import { addLogHandler, type LogRecord } from '../../src/utils/log.ts';

class Sender {}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('Signal#send(sender, args) returns [receiver, result] pairs in connection order', async (t) => {
  const signal = new Signal<{ n: number }>();
  const double = ({ n }: { n: number }) => n * 2;
  const square = ({ n }: { n: number }) => n * n;
  signal.connect(double);
  signal.connect(square);
  t.deepEqual(await signal.send(Sender, { n: 3 }), [
    [double, 6],
    [square, 9],
  ]);
});

test('Signal#send(sender, args) with no receivers resolves to an empty list', async (t) => {
  t.deepEqual(await new Signal().send(Sender, {}), []);
});

test('Signal#send(sender, args) runs sync receivers before async ones', async (t) => {
  const signal = new Signal();
  const log: string[] = [];
  const asyncFirst = async () => {
    log.push('async start');
    await tick();
    log.push('async end');
    return 'async';
  };
  const syncSecond = () => {
    log.push('sync');
    return 'sync';
  };
  signal.connect(asyncFirst);
  signal.connect(syncSecond);
  const results = await signal.send(Sender, {});
  t.deepEqual(log, ['sync', 'async start', 'async end']);
  t.deepEqual(results, [
    [syncSecond, 'sync'],
    [asyncFirst, 'async'],
  ]);
});

test('Signal#send(sender, args) awaits async receivers concurrently', async (t) => {
  const signal = new Signal();
  const log: string[] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const waits = async () => {
    log.push('waits: start');
    await gate;
    log.push('waits: end');
    return 1;
  };
  const releases = async () => {
    log.push('releases: start');
    release();
    return 2;
  };
  signal.connect(waits);
  signal.connect(releases);
  const results = await signal.send(Sender, {});
  t.deepEqual(log, ['waits: start', 'releases: start', 'waits: end']);
  t.deepEqual(results, [
    [waits, 1],
    [releases, 2],
  ]);
});

test('Signal#send(sender, args) awaits a plain function that returns a promise and lists it last', async (t) => {
  const signal = new Signal();
  const returnsPromise = () => Promise.resolve('later');
  const plain = () => 'now';
  signal.connect(returnsPromise);
  signal.connect(plain);
  t.deepEqual(await signal.send(Sender, {}), [
    [plain, 'now'],
    [returnsPromise, 'later'],
  ]);
});

test('Signal#send(sender, args) propagates a receiver error and stops the dispatch', async (t) => {
  const signal = new Signal();
  const calls: string[] = [];
  signal.connect(async () => {
    calls.push('async');
  });
  signal.connect(() => {
    throw new Error('boom');
  });
  signal.connect(() => calls.push('after'));
  await t.throwsAsync(signal.send(Sender, {}), { message: 'boom' });
  t.deepEqual(calls, []);
});

test('Signal#send(sender, args) rejects with an async receiver rejection', async (t) => {
  const signal = new Signal();
  signal.connect(async () => {
    throw new RangeError('async boom');
  });
  signal.connect(async () => 'fine');
  await t.throwsAsync(signal.send(Sender, {}), { instanceOf: RangeError, message: 'async boom' });
});

test('Signal#send(sender, args) leaves no unhandled rejection when a later sync receiver throws', async (t) => {
  const signal = new Signal();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  signal.connect(() => Promise.reject(new Error('first')));
  signal.connect(() => {
    throw new Error('second');
  });
  await t.throwsAsync(signal.send(Sender, {}), { message: 'second' });
  await tick();
  process.off('unhandledRejection', onUnhandled);
  t.deepEqual(unhandled, []);
});

test("Signal#send(sender, args) refuses args named 'sender' or 'signal'", async (t) => {
  const signal = new Signal();
  signal.connect(() => 1);
  await t.throwsAsync(signal.send(Sender, { sender: 'x' }), { instanceOf: TypeError, message: /'sender'/ });
});

function captureLogs(): { records: LogRecord[]; stop: () => void } {
  const records: LogRecord[] = [];
  const stop = addLogHandler((record) => {
    if (record.logger === 'koa-django.dispatch') records.push(record);
  });
  return { records, stop };
}

test.serial(
  'Signal#sendRobust(sender, args) returns the error in place of a result and logs it',
  async (t) => {
    const signal = new Signal();
    const error = new Error('receiver failed');
    function failingReceiver() {
      throw error;
    }
    const ok = () => 'ok';
    signal.connect(failingReceiver);
    signal.connect(ok);
    const { records, stop } = captureLogs();
    try {
      t.deepEqual(await signal.sendRobust(Sender, {}), [
        [failingReceiver, error],
        [ok, 'ok'],
      ]);
    } finally {
      stop();
    }
    t.is(records.length, 1);
    t.is(records[0]?.level, 'error');
    t.is(records[0]?.message, 'Error calling failingReceiver in Signal.sendRobust() (receiver failed)');
    t.is(records[0]?.error, error);
  },
);

test.serial(
  'Signal#sendRobust(sender, args) catches async rejections and keeps results sync-first',
  async (t) => {
    const signal = new Signal();
    const error = new TypeError('async failed');
    async function asyncFailing() {
      throw error;
    }
    const sync = () => 'sync';
    signal.connect(asyncFailing);
    signal.connect(sync);
    const { records, stop } = captureLogs();
    try {
      t.deepEqual(await signal.sendRobust(Sender, {}), [
        [sync, 'sync'],
        [asyncFailing, error],
      ]);
    } finally {
      stop();
    }
    t.deepEqual(
      records.map((r) => r.message),
      ['Error calling asyncFailing in Signal.sendRobust() (async failed)'],
    );
  },
);

test.serial('Signal#sendRobust(sender, args) reports a thrown non-Error value as is', async (t) => {
  const signal = new Signal();
  const throwsString = () => {
    throw 'plain string';
  };
  signal.connect(throwsString);
  const { records, stop } = captureLogs();
  try {
    t.deepEqual(await signal.sendRobust(Sender, {}), [[throwsString, 'plain string']]);
  } finally {
    stop();
  }
  t.is(records[0]?.message, 'Error calling throwsString in Signal.sendRobust() (plain string)');
});
