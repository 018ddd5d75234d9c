/**
 * `Signal`: Django's in-process observer (`django/dispatch/dispatcher.py`). Code that wants to
 * know when something happens connects a receiver; the code that makes it happen calls `send`.
 *
 * Differences from Django, each deliberate:
 *
 * - **Receivers are held strongly.** Django holds receivers through weak references by default, so
 *   a receiver whose owner is garbage-collected quietly disconnects. JavaScript can only observe
 *   collection after the fact and at an unpredictable time (`WeakRef`), so a weakly held inline
 *   arrow function would fire for a while and then stop. Receivers stay connected until
 *   `disconnect()`; `weak: false` is accepted (Django code often says it), `weak: true` throws.
 * - **One payload object.** Python passes keyword arguments; a receiver here takes one object,
 *   `({ signal, sender, ...args })`, typed by the signal: `new Signal<{ request: HttpRequest }>()`.
 * - **Async receivers.** A receiver declared `async` is flagged at connect time and started only
 *   after every other receiver has returned (Django 5 runs sync receivers first, then the async
 *   ones concurrently). Every returned promise (from an `async` receiver or a plain function that
 *   returns one) is awaited together; its result is listed after the sync results, in connection
 *   order. `send` is therefore always async.
 * - **Bound methods.** Django keys a bound method by `(instance, function)`; in JavaScript
 *   `obj.method.bind(obj)` makes a new function each time. Keep the bound function to disconnect
 *   it later, or pass a `dispatchUid`.
 *
 * @module
 */
import { getLogger } from '../utils/log.ts';

const logger = getLogger('koa-django.dispatch');

/** What every receiver gets: the signal, the sender and the signal's own arguments. */
export type SignalPayload<Args extends object> = Args & {
  /** The signal being sent. */
  signal: Signal<Args>;
  /** Whoever sent it (a class, an object, or `undefined`). */
  sender: unknown;
};

/** A function connected to a signal. Its return value is collected by `send`. */
export type Receiver<Args extends object> = (payload: SignalPayload<Args>) => unknown;

/** Options of `Signal#connect` and `receiver()`. */
export interface ConnectOptions {
  /** Only receive sends from this sender (compared by identity); omitted: every sender. */
  sender?: unknown;
  /** A unique id for this connection, instead of the receiver's identity (connect once per uid). */
  dispatchUid?: string | symbol;
  /** Only `false` is supported: receivers are always held strongly (see the module header). */
  weak?: boolean;
}

/** Options of `Signal#disconnect`. */
export interface DisconnectOptions {
  /** The sender the receiver was connected for (omitted: the "any sender" connection). */
  sender?: unknown;
  /** The `dispatchUid` it was connected with (then `receiver` may be omitted). */
  dispatchUid?: string | symbol;
}

interface Connection<Args extends object> {
  /** `dispatchUid`, or the receiver itself. */
  key: unknown;
  /** `undefined` means "any sender". */
  sender: unknown;
  receiver: Receiver<Args>;
  isAsync: boolean;
}

// `undefined` and `null` both mean "any sender", as Python's None does.
function senderKey(sender: unknown): unknown {
  return sender ?? undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Sync receivers first, then async ones, each group in connection order (Django 5). */
function syncFirst<T extends { isAsync: boolean }>(connections: T[]): T[] {
  return [...connections.filter((c) => !c.isAsync), ...connections.filter((c) => c.isAsync)];
}

function receiverName(receiver: (...args: never[]) => unknown): string {
  return receiver.name || '<anonymous receiver>';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A signal: a list of receivers, and `send` to call them.
 *
 * @example
 * const orderPlaced = new Signal<{ orderId: number }>();
 * orderPlaced.connect(({ orderId }) => console.log('placed', orderId));
 * await orderPlaced.send(Shop, { orderId: 42 });
 */
export class Signal<Args extends object = Record<string, unknown>> {
  #connections: Connection<Args>[] = [];

  /**
   * Connect `receiver`, for every sender or only for `sender`.
   *
   * Arguments:
   * - `receiver`: called as `receiver({ signal, sender, ...args })` on each matching `send`.
   * - `sender`: only sends from this object (by identity) reach the receiver.
   * - `dispatchUid`: identifies the connection instead of the receiver function, so connecting
   *   a second function with the same uid (and sender) is ignored.
   *
   * Connecting the same (receiver or uid, sender) again is a no-op.
   *
   * @example
   * requestFinished.connect(closeConnections, { dispatchUid: 'db.close' });
   */
  connect(receiver: Receiver<Args>, options: ConnectOptions = {}): void {
    if (typeof receiver !== 'function') {
      throw new TypeError(
        `Signal receivers must be functions; got ${receiver === null ? 'null' : typeof receiver}. ` +
          'Pass a function taking one argument: ({ signal, sender, ...args }) => {...}.',
      );
    }
    if (options.weak === true) {
      throw new TypeError(
        'Signal#connect(receiver, { weak: true }) is not supported: receivers are held strongly ' +
          'until disconnect(). Drop the weak option and call signal.disconnect(receiver) when done.',
      );
    }
    const key = options.dispatchUid ?? receiver;
    const sender = senderKey(options.sender);
    if (this.#connections.some((c) => c.key === key && c.sender === sender)) return;
    // Django flags coroutine functions at connect time (asyncio.iscoroutinefunction).
    const isAsync = receiver.constructor?.name === 'AsyncFunction';
    this.#connections = [...this.#connections, { key, sender, receiver, isAsync }];
  }

  /**
   * Disconnect the connection keyed by `dispatchUid` (or `receiver`) and `sender`. Like Django,
   * a receiver connected for a specific sender is only removed by naming that sender.
   *
   * Returns whether something was disconnected.
   *
   * @example
   * signal.disconnect(onSave);                          // the "any sender" connection
   * signal.disconnect(undefined, { dispatchUid: 'x' }); // by uid
   */
  disconnect(receiver?: Receiver<Args>, options: DisconnectOptions = {}): boolean {
    const key = options.dispatchUid ?? receiver;
    if (key === undefined) return false;
    const sender = senderKey(options.sender);
    const before = this.#connections.length;
    // A fresh array: a send already in progress keeps iterating over its own snapshot.
    this.#connections = this.#connections.filter((c) => !(c.key === key && c.sender === sender));
    return this.#connections.length !== before;
  }

  /**
   * Whether a send from `sender` would reach any receiver (receivers for any sender count).
   * Omitting `sender` asks about receivers connected for any sender only, as Django does.
   *
   * @example
   * if (signal.hasListeners(MyModel)) await signal.send(MyModel, { instance });
   */
  hasListeners(sender?: unknown): boolean {
    // Asked on every request by the Koa host: no list is built for the answer.
    const key = senderKey(sender);
    return this.#connections.some((c) => c.sender === undefined || c.sender === key);
  }

  /**
   * Call every receiver connected for `sender` or for any sender, and collect what they return.
   * Sync receivers run first in connection order, then async ones concurrently; the list holds
   * `[receiver, result]` pairs with the sync results first. An exception (or rejection) stops
   * the dispatch and propagates: later sync receivers and async receivers are not called.
   *
   * Arguments:
   * - `sender`: who is sending (receivers connected for another sender are skipped).
   * - `args`: the signal's own arguments, spread into the receiver's payload.
   *
   * @example
   * const results = await gotRequestException.send(undefined, { request });
   */
  async send(sender: unknown, args: Args): Promise<Array<[Receiver<Args>, unknown]>> {
    const connections = this.#live(sender);
    if (connections.length === 0) return [];
    const payload = this.#payload(sender, args);
    const syncResults: Array<[Receiver<Args>, unknown]> = [];
    const pending: Array<[Receiver<Args>, PromiseLike<unknown>]> = [];
    try {
      for (const { receiver } of syncFirst(connections)) {
        const result = receiver(payload);
        if (isThenable(result)) pending.push([receiver, result]);
        else syncResults.push([receiver, result]);
      }
    } catch (error) {
      // The error propagates; promises already started must not become unhandled rejections
      // (Promise.all likewise drops the rejections that come after the first one).
      for (const [, promise] of pending) Promise.resolve(promise).then(undefined, () => {});
      throw error;
    }
    const asyncResults = await Promise.all(pending.map(([, promise]) => promise));
    return [
      ...syncResults,
      ...pending.map(([receiver], i): [Receiver<Args>, unknown] => [receiver, asyncResults[i]]),
    ];
  }

  /**
   * Like `send`, but an exception from a receiver is caught, logged on `koa-django.dispatch`
   * (error level, `Error calling <name> in Signal.sendRobust() (<message>)`) and put in the
   * result list in place of a result. Never rejects.
   *
   * @example
   * await requestFinished.sendRobust(KoaHandler, {});
   */
  async sendRobust(sender: unknown, args: Args): Promise<Array<[Receiver<Args>, unknown]>> {
    const connections = this.#live(sender);
    if (connections.length === 0) return [];
    const payload = this.#payload(sender, args);
    const failed = (receiver: Receiver<Args>, error: unknown): unknown => {
      logger.error(
        `Error calling ${receiverName(receiver)} in Signal.sendRobust() (${errorText(error)})`,
        { receiver, sender },
        error,
      );
      return error;
    };
    const syncResults: Array<[Receiver<Args>, unknown]> = [];
    const pending: Array<[Receiver<Args>, Promise<unknown>]> = [];
    const call = (receiver: Receiver<Args>): void => {
      let result: unknown;
      try {
        result = receiver(payload);
      } catch (error) {
        syncResults.push([receiver, failed(receiver, error)]);
        return;
      }
      if (isThenable(result)) {
        pending.push([receiver, Promise.resolve(result).catch((error: unknown) => failed(receiver, error))]);
      } else {
        syncResults.push([receiver, result]);
      }
    };
    for (const { receiver } of syncFirst(connections)) call(receiver);
    const asyncResults = await Promise.all(pending.map(([, promise]) => promise));
    return [
      ...syncResults,
      ...pending.map(([receiver], i): [Receiver<Args>, unknown] => [receiver, asyncResults[i]]),
    ];
  }

  #live(sender: unknown): Connection<Args>[] {
    const key = senderKey(sender);
    return this.#connections.filter((c) => c.sender === undefined || c.sender === key);
  }

  #payload(sender: unknown, args: Args): SignalPayload<Args> {
    if ('signal' in args || 'sender' in args) {
      throw new TypeError(
        "Signal#send(sender, args): args may not contain 'signal' or 'sender'; those are set by the signal.",
      );
    }
    return { ...args, signal: this, sender };
  }
}

/**
 * Connect the function to one or more signals and return it unchanged (Django's `@receiver`).
 *
 * @example
 * export const logStart = receiver(requestStarted, { dispatchUid: 'log-start' })(() => {
 *   console.log('request started');
 * });
 */
export function receiver<Args extends object>(
  signal: Signal<Args> | Signal<Args>[],
  options: ConnectOptions = {},
): <R extends Receiver<Args>>(fn: R) => R {
  const signals = Array.isArray(signal) ? signal : [signal];
  return (fn) => {
    for (const s of signals) s.connect(fn, options);
    return fn;
  };
}
