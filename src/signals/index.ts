/**
 * The built-in signals (Django's `django/core/signals.py` and `django/test/signals.py`), and the
 * `Signal` class and `receiver()` helper to make and connect your own.
 *
 * @module
 */
import type { HttpRequest } from '../http/request.ts';
import { Signal } from './signal.ts';

export {
  type ConnectOptions,
  type DisconnectOptions,
  type Receiver,
  receiver,
  Signal,
  type SignalPayload,
} from './signal.ts';

/** A signal that sends no arguments of its own (receivers get only `signal` and `sender`). */
export type NoArgs = Record<never, never>;

/**
 * Sent when koa-django starts handling a request, before the `HttpRequest` exists (so before
 * the body is read). Sender: the handler class (`KoaHandler`). `ctx` is Koa's context; `environ`
 * is kept for code ported from Django's WSGI handler and is normally absent.
 *
 * @example
 * requestStarted.connect(({ ctx }) => metrics.increment('requests'));
 */
export const requestStarted = new Signal<{ environ?: unknown; ctx?: unknown }>();

/**
 * Sent when Node has finished sending the response, or the client went away. Sender: the
 * handler class.
 *
 * @example
 * requestFinished.connect(() => cache.closeIdle(), { dispatchUid: 'cache.close' });
 */
export const requestFinished = new Signal<NoArgs>();

/**
 * Sent when a view (or middleware) raised an exception that becomes a 500, and when an error
 * handler itself fails. Sender: `undefined`, as in Django 2+.
 *
 * @example
 * gotRequestException.connect(({ request }) => errorTracker.capture(request.path));
 */
export const gotRequestException = new Signal<{ request: HttpRequest }>();

/**
 * Sent when a setting is changed in tests (Django's `setting_changed`): `enter` is true when an
 * override starts and false when it ends, `value` is the value now in effect. Sender: the
 * settings object.
 *
 * @example
 * settingChanged.connect(({ setting }) => { if (setting === 'ROOT_URLCONF') clearUrlCaches(); });
 */
export const settingChanged = new Signal<{ setting: string; value: unknown; enter: boolean }>();
