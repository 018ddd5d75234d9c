import test from 'ava';
import {
  gotRequestException,
  requestFinished,
  requestStarted,
  Signal,
  settingChanged,
} from '../../src/signals/index.ts';

test('requestStarted, requestFinished, gotRequestException and settingChanged are Signals', (t) => {
  for (const signal of [requestStarted, requestFinished, gotRequestException, settingChanged]) {
    t.true(signal instanceof Signal);
  }
});

test('requestStarted.send(handler, { ctx }) hands the Koa context to receivers', async (t) => {
  class Handler {}
  const ctx = { path: '/' };
  const seen: unknown[] = [];
  const onStart = ({ sender, ctx: got }: { sender: unknown; ctx?: unknown }) => {
    seen.push([sender, got]);
  };
  requestStarted.connect(onStart);
  try {
    await requestStarted.send(Handler, { ctx });
  } finally {
    requestStarted.disconnect(onStart);
  }
  t.deepEqual(seen, [[Handler, ctx]]);
});

test('requestFinished.sendRobust(handler, {}) calls receivers with only signal and sender', async (t) => {
  class Handler {}
  const seen: unknown[] = [];
  const onFinish = (payload: object) => {
    seen.push(Object.keys(payload).sort());
  };
  requestFinished.connect(onFinish);
  try {
    await requestFinished.sendRobust(Handler, {});
  } finally {
    requestFinished.disconnect(onFinish);
  }
  t.deepEqual(seen, [['sender', 'signal']]);
});
