import test from 'ava';
import { receiver, Signal } from '../../src/signals/index.ts';

class Sender {}
class OtherSender {}

test('Signal#connect(receiver) calls the receiver with { signal, sender, ...args }', async (t) => {
  const signal = new Signal<{ value: number }>();
  const seen: unknown[] = [];
  signal.connect((payload) => {
    seen.push(payload);
  });
  await signal.send(Sender, { value: 1 });
  t.deepEqual(seen, [{ value: 1, signal, sender: Sender }]);
});

test('Signal#connect(receiver) twice with the same receiver is a no-op', async (t) => {
  const signal = new Signal();
  let calls = 0;
  const onSend = () => {
    calls += 1;
  };
  for (let i = 0; i < 6; i++) signal.connect(onSend);
  await signal.send(Sender, {});
  t.is(calls, 1);
});

test('Signal#connect(receiver, { dispatchUid }) ignores a second receiver with the same uid', async (t) => {
  const signal = new Signal();
  const calls: string[] = [];
  signal.connect(() => calls.push('first'), { dispatchUid: 'uid' });
  signal.connect(() => calls.push('second'), { dispatchUid: 'uid' });
  await signal.send(Sender, {});
  t.deepEqual(calls, ['first']);
});

test('Signal#connect(receiver, { dispatchUid, sender }) keys the uid per sender', async (t) => {
  const signal = new Signal();
  const calls: string[] = [];
  signal.connect(() => calls.push('any'), { dispatchUid: 'uid' });
  signal.connect(() => calls.push('sender'), { dispatchUid: 'uid', sender: Sender });
  await signal.send(Sender, {});
  t.deepEqual(calls, ['any', 'sender']);
});

test('Signal#connect(receiver, { sender }) only receives sends from that sender', async (t) => {
  const signal = new Signal();
  const calls: unknown[] = [];
  signal.connect(({ sender }) => calls.push(sender), { sender: Sender });
  await signal.send(OtherSender, {});
  await signal.send(undefined, {});
  await signal.send(Sender, {});
  t.deepEqual(calls, [Sender]);
});

test('Signal#connect(receiver) without a sender receives sends from every sender', async (t) => {
  const signal = new Signal();
  const calls: unknown[] = [];
  signal.connect(({ sender }) => calls.push(sender));
  await signal.send(Sender, {});
  await signal.send(OtherSender, {});
  await signal.send(null, {});
  t.deepEqual(calls, [Sender, OtherSender, null]);
});

test('Signal#connect(receiver) refuses a non-function with a TypeError naming the fix', (t) => {
  const signal = new Signal();
  const error = t.throws(() => signal.connect('onSave' as never), { instanceOf: TypeError });
  t.regex(error.message, /Signal receivers must be functions; got string/);
});

test('Signal#connect(receiver, { weak: true }) is refused; weak: false is accepted', async (t) => {
  const signal = new Signal();
  const onSend = () => 'ok';
  t.throws(() => signal.connect(onSend, { weak: true }), { instanceOf: TypeError, message: /disconnect/ });
  signal.connect(onSend, { weak: false });
  t.deepEqual(await signal.send(Sender, {}), [[onSend, 'ok']]);
});

test('Signal#disconnect(receiver) removes it and returns true, then false', async (t) => {
  const signal = new Signal();
  const onSend = () => 'x';
  signal.connect(onSend);
  t.true(signal.disconnect(onSend));
  t.false(signal.disconnect(onSend));
  t.deepEqual(await signal.send(Sender, {}), []);
});

test('Signal#disconnect(receiver) leaves the connection made for a specific sender', async (t) => {
  const signal = new Signal();
  const onSend = () => 'x';
  signal.connect(onSend, { sender: Sender });
  t.false(signal.disconnect(onSend));
  t.true(signal.hasListeners(Sender));
  t.true(signal.disconnect(onSend, { sender: Sender }));
  t.false(signal.hasListeners(Sender));
});

test('Signal#disconnect(undefined, { dispatchUid }) removes the connection with that uid', async (t) => {
  const signal = new Signal();
  signal.connect(() => 'x', { dispatchUid: 'uid' });
  t.true(signal.disconnect(undefined, { dispatchUid: 'uid' }));
  t.false(signal.hasListeners());
  t.false(signal.disconnect());
});

test('Signal#disconnect(receiver) during a send does not disturb that send', async (t) => {
  const signal = new Signal();
  const calls: string[] = [];
  const second = () => calls.push('second');
  signal.connect(() => {
    calls.push('first');
    signal.disconnect(second);
  });
  signal.connect(second);
  await signal.send(Sender, {});
  await signal.send(Sender, {});
  t.deepEqual(calls, ['first', 'second', 'first']);
});

test('Signal#hasListeners(sender) counts receivers for that sender and for any sender', (t) => {
  const signal = new Signal();
  t.false(signal.hasListeners());
  signal.connect(() => 1, { sender: Sender });
  t.true(signal.hasListeners(Sender));
  t.false(signal.hasListeners(OtherSender));
  t.false(signal.hasListeners());
  signal.connect(() => 2);
  t.true(signal.hasListeners(OtherSender));
  t.true(signal.hasListeners());
});

test('receiver(signal, options)(fn) connects fn and returns it unchanged', async (t) => {
  const signal = new Signal<{ n: number }>();
  const fn = ({ n }: { n: number }) => n * 2;
  const returned = receiver(signal, { sender: Sender })(fn);
  t.is(returned, fn);
  t.deepEqual(await signal.send(Sender, { n: 21 }), [[fn, 42]]);
  t.deepEqual(await signal.send(OtherSender, { n: 21 }), []);
});

test('receiver([a, b])(fn) connects fn to every signal in the list', async (t) => {
  const a = new Signal();
  const b = new Signal();
  const fn = ({ signal }: { signal: unknown }) => (signal === a ? 'a' : 'b');
  receiver([a, b])(fn);
  t.deepEqual(await a.send(Sender, {}), [[fn, 'a']]);
  t.deepEqual(await b.send(Sender, {}), [[fn, 'b']]);
});
