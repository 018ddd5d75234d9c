/**
 * Shared fixtures of the CSRF tests: Django's own test vectors (tests/csrf_tests/tests.py), a
 * RequestFactory per settings, and `runCsrf()`, which drives one CsrfViewMiddleware through its
 * hooks the way the pipeline does (processRequest, processView, the view, processResponse).
 */
import { defineSettings, type SettingsInput } from '../../src/conf/index.ts';
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse, type HttpResponseBase } from '../../src/http/response.ts';
import { CsrfViewMiddleware, getToken } from '../../src/middleware/csrf.ts';
import { addLogHandler, type LogRecord } from '../../src/utils/log.ts';
import type { View } from '../../src/views/view.ts';
import { RequestFactory } from '../helpers/request-factory.ts';

/** Django's TEST_SECRET and two masked tokens of it (MASKED_TEST_SECRET1/2). */
export const TEST_SECRET = 'lcccccccX2kcccccccY2jcccccccssIC';
export const MASKED_TEST_SECRET1 = '1bcdefghij2bcdefghij3bcdefghij4bcdefghij5bcdefghij6bcdefghijABCD';
export const MASKED_TEST_SECRET2 = '2JgchWvM1tpxT2lfz9aydoXW9yT1DN3NdLiejYxOOlzzV4nhBbYqmqZYbAV3V5Bf';
/** Another valid secret, not the one in the cookie. */
export const OTHER_SECRET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** A factory over test settings (plus `overrides`), with the CSRF cookie set to `cookie` unless null. */
export function factory(overrides: SettingsInput = {}, cookie: string | null = TEST_SECRET): RequestFactory {
  const rf = new RequestFactory({
    settings: defineSettings({ SECRET_KEY: 'test-secret-key', ALLOWED_HOSTS: ['testserver'], ...overrides }),
  });
  if (cookie !== null) rf.cookies.csrftoken = cookie;
  return rf;
}

/** A view that records that it ran and hands out a token (so the cookie is sent). */
export function tokenView(): View & { calls: number } {
  const view = Object.assign(
    (request: HttpRequest) => {
      view.calls++;
      return new HttpResponse(getToken(request));
    },
    { calls: 0 },
  );
  return view;
}

/** A view that records that it ran. */
export function plainView(): View & { calls: number } {
  const view = Object.assign(
    () => {
      view.calls++;
      return new HttpResponse('ok');
    },
    { calls: 0 },
  );
  return view;
}

/** Run CsrfViewMiddleware around `view` for `request`, as the pipeline would. */
export async function runCsrf(
  request: HttpRequest,
  view: View = plainView(),
  Middleware: typeof CsrfViewMiddleware = CsrfViewMiddleware,
): Promise<HttpResponseBase> {
  const middleware = new Middleware(async (r) => view(r, {}), undefined, request.settings);
  await middleware.processRequest(request);
  const early = await middleware.processView(request, view, [], {});
  const response = early ?? (await view(request, {}));
  return middleware.processResponse(request, response);
}

/** Collect records of `logger` until the returned `stop()` is called. */
export function captureLogs(logger: string): { records: LogRecord[]; stop: () => void } {
  const records: LogRecord[] = [];
  const stop = addLogHandler((record) => {
    if (record.logger === logger) records.push(record);
  });
  return { records, stop: () => void stop() };
}
