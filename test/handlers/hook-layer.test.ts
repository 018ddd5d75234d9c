/**
 * hookLayer (src/handlers/hook-layer.ts) runs a MiddlewareMixin's hooks without runHooks'
 * async frames. These tests check it against the general path (an object with the same hooks
 * that does not extend MiddlewareMixin, run by runHooks + convertExceptionToResponse): the same
 * hooks run in the same order and the same response comes out, for sync and async hooks that
 * return nothing, return a response, or throw, and for sync and async views.
 */
import test from 'ava';
import fc from 'fast-check';
import { BaseHandler } from '../../src/handlers/base.ts';
import { hookLayer } from '../../src/handlers/hook-layer.ts';
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse, type HttpResponseBase } from '../../src/http/response.ts';
import { type GetResponse, MiddlewareMixin } from '../../src/middleware/base.ts';
import { path } from '../../src/urls/index.ts';
import { addLogHandler, type LogRecord } from '../../src/utils/log.ts';
import { testSettings } from '../helpers/client.ts';
import { RequestFactory } from '../helpers/request-factory.ts';

type Outcome = 'none' | 'respond' | 'raise' | 'nothing';
interface HookPlan {
  outcome: Outcome;
  async: boolean;
}
interface LayerPlan {
  req: HookPlan;
  view: HookPlan;
  resp: HookPlan;
  exc: HookPlan;
}
interface Plan {
  layers: LayerPlan[];
  view: HookPlan;
}

// The error records of the 500s (this also keeps them out of the test output).
const records: LogRecord[] = [];
addLogHandler((record) => {
  records.push(record);
});

/** The hooks of one layer, logging into `log` and acting as `plan` says. */
function hooksFor(name: string, plan: LayerPlan, log: string[]) {
  const act = (hook: keyof LayerPlan, response: HttpResponseBase | undefined) => {
    const { outcome, async } = plan[hook];
    const run = () => {
      if (outcome === 'raise') throw new Error(`${name}.${hook} failed`);
      if (outcome === 'respond') return new HttpResponse(`${name}.${hook}`, { status: 203 });
      if (outcome === 'nothing') return undefined;
      return response;
    };
    if (!async) return run();
    return Promise.resolve().then(run);
  };
  return {
    processRequest(_request: HttpRequest) {
      log.push(`${name}.req`);
      return act('req', undefined);
    },
    processView() {
      log.push(`${name}.view`);
      return act('view', undefined);
    },
    processResponse(_request: HttpRequest, response: HttpResponseBase) {
      log.push(`${name}.resp(${response.statusCode})`);
      return act('resp', response);
    },
    processException() {
      log.push(`${name}.exc`);
      return act('exc', undefined);
    },
  };
}

/** Run `plan` through the pipeline, with mixin middleware (`mixin`) or plain hook objects. */
async function run(plan: Plan, mixin: boolean): Promise<{ log: string[]; status: number; text: string }> {
  const log: string[] = [];
  const view = () => {
    log.push('(view)');
    const result = () => {
      if (plan.view.outcome === 'raise') throw new Error('view failed');
      return new HttpResponse('ok');
    };
    return plan.view.async ? Promise.resolve().then(result) : result();
  };
  const MIDDLEWARE = plan.layers.map((layer, i) => {
    const name = `M${i}`;
    if (mixin) {
      const Mixin = class extends MiddlewareMixin {};
      Object.assign(Mixin.prototype, hooksFor(name, layer, log));
      return Mixin;
    }
    return class Plain {
      readonly getResponse: GetResponse;
      constructor(getResponse: GetResponse) {
        this.getResponse = getResponse;
        Object.assign(this, hooksFor(name, layer, log));
      }
    };
  });
  const settings = testSettings({ ROOT_URLCONF: { urlpatterns: [path('v/', view)] }, MIDDLEWARE });
  const handler = new BaseHandler(settings);
  await handler.loadMiddleware();
  const request = await new RequestFactory({ settings }).get('/v/');
  const response = (await handler.getResponse(request)) as HttpResponse;
  return { log, status: response.statusCode, text: response.statusCode === 500 ? '' : response.text };
}

const hook = (outcomes: Outcome[]) =>
  fc.record({ outcome: fc.constantFrom(...outcomes), async: fc.boolean() });
const plans = fc.record({
  layers: fc.array(
    fc.record({
      req: hook(['none', 'respond', 'raise']),
      view: hook(['none', 'respond', 'raise']),
      resp: hook(['none', 'respond', 'raise', 'nothing']),
      exc: hook(['none', 'respond', 'raise']),
    }),
    { maxLength: 4 },
  ),
  view: hook(['none', 'raise']),
});

test('hookLayer(middleware) runs the same hooks in the same order and answers the same as runHooks', async (t) => {
  await fc.assert(
    fc.asyncProperty(plans, async (plan) => {
      const fused = await run(plan, true);
      const general = await run(plan, false);
      t.deepEqual(fused, general);
    }),
    { numRuns: 200 },
  );
});

test.serial(
  'hookLayer(middleware) answers a processResponse that returns nothing with a 500 that says so',
  async (t) => {
    for (const async of [false, true]) {
      records.length = 0;
      const layer = plan({ resp: { outcome: 'nothing', async } });
      const fused = await run({ layers: [layer], view: { outcome: 'none', async: false } }, true);
      t.is(fused.status, 500);
      t.deepEqual(fused.log, ['M0.req', 'M0.view', '(view)', 'M0.resp(200)']);
      t.regex(
        String((records[0]?.error as Error | undefined)?.message),
        /processResponse didn't return an HttpResponse/,
      );
    }
  },
);

test('hookLayer(middleware) converts a throw from a sync processRequest at its own layer', async (t) => {
  const layers = [plan({}), plan({ req: { outcome: 'raise', async: false } }), plan({})];
  const fused = await run({ layers, view: { outcome: 'none', async: false } }, true);
  t.is(fused.status, 500);
  t.deepEqual(fused.log, ['M0.req', 'M1.req', 'M0.resp(500)']);
});

test('hookLayer(middleware) reads the hooks and getResponse of the instance on every request', async (t) => {
  const seen: string[] = [];
  const middleware = {
    getResponse: (async () => new HttpResponse('inner')) as GetResponse,
    processRequest: undefined as undefined | ((request: HttpRequest) => void),
  };
  const layer = hookLayer(middleware, () => null);
  const request = await new RequestFactory().get('/');
  t.is(((await layer(request)) as HttpResponse).text, 'inner');
  middleware.processRequest = () => {
    seen.push('req');
  };
  middleware.getResponse = async () => new HttpResponse('replaced');
  t.is(((await layer(request)) as HttpResponse).text, 'replaced');
  t.deepEqual(seen, ['req']);
});

function plan(overrides: Partial<LayerPlan>): LayerPlan {
  const none = { outcome: 'none', async: false } as const;
  return { req: none, view: none, resp: none, exc: none, ...overrides };
}
