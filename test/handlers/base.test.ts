import { fileURLToPath } from 'node:url';
import test from 'ava';
import { MiddlewareNotUsed, PermissionDenied } from '../../src/exceptions.ts';
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { MiddlewareMixin } from '../../src/middleware/base.ts';
import { TemplateResponse } from '../../src/template/index.ts';
import { include, path } from '../../src/urls/index.ts';
import { addLogHandler, type LogRecord } from '../../src/utils/log.ts';
import { decoratorFromMiddleware } from '../../src/views/decorators.ts';
import { Client, testSettings } from '../helpers/client.ts';
import { loggingMiddleware } from '../helpers/log-middleware.ts';

function setup(log: string[], behaviours: Record<string, Parameters<typeof loggingMiddleware>[2]> = {}) {
  const ok = async () => {
    log.push('(view)');
    return new HttpResponse('ok');
  };
  const boom = async () => {
    log.push('(view)');
    throw new Error('view failed');
  };
  const urls = { urlpatterns: [path('ok/', ok), path('boom/', boom)] };
  const MIDDLEWARE = ['A', 'B', 'C'].map((n) => loggingMiddleware(n, log, behaviours[n]));
  return Client.create(testSettings({ ROOT_URLCONF: urls, MIDDLEWARE }));
}

test('BaseHandler#getResponse(request) runs the onion: request top-down, view hooks top-down, response bottom-up', async (t) => {
  const log: string[] = [];
  const response = await (await setup(log)).get('/ok/');
  t.is(response.status, 200);
  t.deepEqual(log, [
    'A.req',
    'B.req',
    'C.req',
    'A.view',
    'B.view',
    'C.view',
    '(view)',
    'C.resp(200)',
    'B.resp(200)',
    'A.resp(200)',
  ]);
});

test('BaseHandler#getResponse(request): a response from processRequest short-circuits everything inner', async (t) => {
  const log: string[] = [];
  const response = await (await setup(log, { B: { respond: ['req'] } })).get('/ok/');
  t.is(response.text, 'B.req');
  t.deepEqual(log, ['A.req', 'B.req', 'B.resp(200)', 'A.resp(200)']);
});

test('BaseHandler#getResponse(request): a response from processView skips the view, every processResponse runs', async (t) => {
  const log: string[] = [];
  const response = await (await setup(log, { B: { respond: ['view'] } })).get('/ok/');
  t.is(response.text, 'B.view');
  t.deepEqual(log, [
    'A.req',
    'B.req',
    'C.req',
    'A.view',
    'B.view',
    'C.resp(200)',
    'B.resp(200)',
    'A.resp(200)',
  ]);
});

test('BaseHandler#getResponse(request): processException runs bottom-up and the first response wins', async (t) => {
  const log: string[] = [];
  const response = await (await setup(log, { B: { respond: ['exc'] } })).get('/boom/');
  t.is(response.status, 200);
  t.is(response.text, 'B.exc');
  t.deepEqual(log.slice(6), ['(view)', 'C.exc', 'B.exc', 'C.resp(200)', 'B.resp(200)', 'A.resp(200)']);
});

test('BaseHandler#getResponse(request): an unhandled view error is a 500 seen by every processResponse', async (t) => {
  const log: string[] = [];
  const response = await (await setup(log)).get('/boom/');
  t.is(response.status, 500);
  t.deepEqual(log.slice(6), [
    '(view)',
    'C.exc',
    'B.exc',
    'A.exc',
    'C.resp(500)',
    'B.resp(500)',
    'A.resp(500)',
  ]);
});

test('BaseHandler#getResponse(request): an unresolvable URL is a 404 without processView', async (t) => {
  const log: string[] = [];
  const response = await (await setup(log)).get('/nowhere/');
  t.is(response.status, 404);
  t.deepEqual(log, ['A.req', 'B.req', 'C.req', 'C.resp(404)', 'B.resp(404)', 'A.resp(404)']);
});

test('BaseHandler#getResponse(request): a throw in processRequest is converted at that layer', async (t) => {
  const log: string[] = [];
  const response = await (await setup(log, { B: { raise: ['req'] } })).get('/ok/');
  t.is(response.status, 500);
  // B's own processResponse does not run; only the layers above it see the 500.
  t.deepEqual(log, ['A.req', 'B.req', 'A.resp(500)']);
});

test('BaseHandler#getResponse(request): a throw in processResponse is converted at that layer', async (t) => {
  const log: string[] = [];
  const response = await (await setup(log, { B: { raise: ['resp'] } })).get('/ok/');
  t.is(response.status, 500);
  t.deepEqual(log.slice(-3), ['C.resp(200)', 'B.resp(200)', 'A.resp(500)']);
});

test('BaseHandler#getResponse(request): a throw in processView skips processException and reaches every processResponse as a 500', async (t) => {
  const log: string[] = [];
  const response = await (await setup(log, { B: { raise: ['view'] } })).get('/ok/');
  t.is(response.status, 500);
  t.deepEqual(log, [
    'A.req',
    'B.req',
    'C.req',
    'A.view',
    'B.view',
    'C.resp(500)',
    'B.resp(500)',
    'A.resp(500)',
  ]);
});

test('BaseHandler#getResponse(request): a throw in processException skips the remaining ones', async (t) => {
  const log: string[] = [];
  const response = await (await setup(log, { C: { raise: ['exc'] } })).get('/boom/');
  t.is(response.status, 500);
  t.deepEqual(log.slice(6), ['(view)', 'C.exc', 'C.resp(500)', 'B.resp(500)', 'A.resp(500)']);
});

test('BaseHandler#getResponse(request): PermissionDenied from a view becomes 403 after processException', async (t) => {
  const log: string[] = [];
  const denied = async () => {
    throw new PermissionDenied('Members only.');
  };
  const client = await Client.create(
    testSettings({
      ROOT_URLCONF: { urlpatterns: [path('x/', denied)] },
      MIDDLEWARE: [loggingMiddleware('A', log)],
    }),
  );
  const response = await client.get('/x/');
  t.is(response.status, 403);
  t.regex(response.text, /<h1>403 Forbidden<\/h1><p>Members only\.<\/p>/);
  t.deepEqual(log, ['A.req', 'A.view', 'A.exc', 'A.resp(403)']);
});

test('BaseHandler#loadMiddleware() skips a middleware that throws MiddlewareNotUsed', async (t) => {
  const log: string[] = [];
  class Off extends MiddlewareMixin {
    constructor(...args: ConstructorParameters<typeof MiddlewareMixin>) {
      super(...args);
      throw new MiddlewareNotUsed('not today');
    }
  }
  const client = await Client.create(
    testSettings({
      ROOT_URLCONF: { urlpatterns: [path('ok/', async () => new HttpResponse('ok'))] },
      MIDDLEWARE: [loggingMiddleware('A', log), Off],
    }),
  );
  t.is((await client.get('/ok/')).status, 200);
  t.deepEqual(log, ['A.req', 'A.view', 'A.resp(200)']);
});

test('BaseHandler#loadMiddleware() passes [Class, options] and the settings to the constructor', async (t) => {
  const seen: unknown[] = [];
  class Configured extends MiddlewareMixin<{ greeting: string }> {
    processResponse(_request: unknown, response: HttpResponse) {
      seen.push(this.options.greeting, this.settings?.SECRET_KEY !== undefined);
      return response;
    }
  }
  const client = await Client.create(
    testSettings({
      ROOT_URLCONF: { urlpatterns: [path('ok/', async () => new HttpResponse('ok'))] },
      MIDDLEWARE: [[Configured, { greeting: 'hello' }]],
    }),
  );
  await client.get('/ok/');
  t.deepEqual(seen, ['hello', true]);
});

test('BaseHandler#loadMiddleware() resolves middleware named by string and refuses a non-class', async (t) => {
  const ok = testSettings({
    ROOT_URLCONF: { urlpatterns: [] },
    MIDDLEWARE: ['../../src/middleware/base.ts#MiddlewareMixin'],
    BASE_DIR: new URL('.', import.meta.url).pathname,
  });
  await t.notThrowsAsync(Client.create(ok));
  const bad = testSettings({
    ROOT_URLCONF: { urlpatterns: [] },
    MIDDLEWARE: ['../../src/middleware/base.ts#runHooks2'],
    BASE_DIR: new URL('.', import.meta.url).pathname,
  });
  await t.throwsAsync(Client.create(bad), {
    message: /MIDDLEWARE: module '.*base\.ts' has no export 'runHooks2'/,
  });
});

test('BaseHandler#loadMiddleware() refuses a ROOT_URLCONF without urlpatterns', async (t) => {
  await t.throwsAsync(Client.create(testSettings({ ROOT_URLCONF: { nothing: true } })), {
    message: /ROOT_URLCONF module does not export `urlpatterns`/,
  });
});

test('BaseHandler#loadMiddleware() warns about a view decorated with a middleware MIDDLEWARE also runs', async (t) => {
  const records: LogRecord[] = [];
  const stop = addLogHandler((r) => r.logger === 'koa-django.checks' && records.push(r));
  class Padding extends MiddlewareMixin {}
  const padded = decoratorFromMiddleware(Padding)(async function paddedView() {
    return new HttpResponse('x');
  });
  try {
    await Client.create(
      testSettings({ ROOT_URLCONF: { urlpatterns: [path('p/', padded)] }, MIDDLEWARE: [Padding] }),
    );
    await Client.create(testSettings({ ROOT_URLCONF: { urlpatterns: [path('p/', padded)] } }));
  } finally {
    stop();
  }
  t.is(records.length, 1);
  t.regex(
    records[0]?.message ?? '',
    /^View `paddedView` \(route 'p\/'\) is decorated with Padding, which MIDDLEWARE also runs/,
  );
});

test('BaseHandler#getResponse(request): a view returning undefined is a 500 naming the view and the fix', async (t) => {
  const records: LogRecord[] = [];
  const stop = addLogHandler((r) => records.push(r));
  async function inboundSms() {
    return undefined as unknown as HttpResponse;
  }
  try {
    const client = await Client.create(
      testSettings({ ROOT_URLCONF: { urlpatterns: [path('sms/', inboundSms)] } }),
    );
    t.is((await client.get('/sms/')).status, 500);
  } finally {
    stop();
  }
  const error = records.find((r) => r.level === 'error' && r.message.endsWith('/sms/'))?.error as Error;
  t.is(
    error.message,
    'View `inboundSms` returned undefined. Views must return an HttpResponse; did you forget `return`?',
  );
});

test('BaseHandler#getResponse(request): a view returning a string is a 500 that says how to wrap it', async (t) => {
  const client = await Client.create(
    testSettings({ DEBUG: true, ROOT_URLCONF: { urlpatterns: [path('s/', async () => 'text' as never)] } }),
  );
  const response = await client.get('/s/');
  t.is(response.status, 500);
  t.regex(response.text, /returned a string\. Views must return an HttpResponse; wrap it/);
});

test('BaseHandler#getResponse(request): a processResponse that returns nothing is a clear 500', async (t) => {
  const records: LogRecord[] = [];
  const stop = addLogHandler((r) => records.push(r));
  class Forgetful extends MiddlewareMixin {
    processResponse() {
      return undefined as never;
    }
  }
  try {
    const client = await Client.create(
      testSettings({
        ROOT_URLCONF: { urlpatterns: [path('forgetful/', async () => new HttpResponse('ok'))] },
        MIDDLEWARE: [Forgetful],
      }),
    );
    t.is((await client.get('/forgetful/')).status, 500);
  } finally {
    stop();
  }
  const error = records.find((r) => r.level === 'error' && r.message.endsWith('/forgetful/'))?.error as Error;
  t.regex(
    error.message,
    /^Forgetful\.processResponse didn't return an HttpResponse object\. It returned undefined instead; did you forget `return response`\?/,
  );
});

test('BaseHandler#loadMiddleware() refuses a view whose requiredKwargs the urlconf does not give', async (t) => {
  const say = Object.assign(
    async function say() {
      return new HttpResponse('x');
    },
    { requiredKwargs: ['text'] },
  );
  await t.notThrowsAsync(
    Client.create(testSettings({ ROOT_URLCONF: { urlpatterns: [path('hi/', say, { text: 'Hi' })] } })),
  );
  await t.notThrowsAsync(
    Client.create(testSettings({ ROOT_URLCONF: { urlpatterns: [path('hi/<str:text>/', say)] } })),
  );
  const nested = { urlpatterns: [path('say/', say)] };
  await t.notThrowsAsync(
    Client.create(
      testSettings({ ROOT_URLCONF: { urlpatterns: [path('a/', include(nested), { text: 'Hi' })] } }),
    ),
  );
  const error = await t.throwsAsync(
    Client.create(testSettings({ ROOT_URLCONF: { urlpatterns: [path('a/', include(nested))] } })),
  );
  t.is(
    error.message,
    "View `say` (route 'a/say/') needs the keyword argument 'text', which the urlconf does not give. Pass it as extra kwargs, e.g. path('a/say/', say, { text: '...' }), or capture it in the route.",
  );
});

test('BaseHandler#loadMiddleware() runs each view ready() hook once, before the first request', async (t) => {
  const calls: string[] = [];
  const ready = async (settings: { SECRET_KEY: string }) => {
    calls.push(settings.SECRET_KEY.slice(0, 4));
  };
  const a = Object.assign(async () => new HttpResponse('a'), { ready });
  const b = Object.assign(async () => new HttpResponse('b'), { ready });
  await Client.create(testSettings({ ROOT_URLCONF: { urlpatterns: [path('a/', a), path('b/', b)] } }));
  t.deepEqual(calls, ['test']);
  const failing = Object.assign(async () => new HttpResponse('x'), {
    ready: () => {
      throw new Error('no token');
    },
  });
  await t.throwsAsync(Client.create(testSettings({ ROOT_URLCONF: { urlpatterns: [path('x/', failing)] } })), {
    message: 'no token',
  });
});

test('BaseHandler#getResponse(request): processTemplateResponse also runs for a TemplateResponse the view already rendered, as in Django', async (t) => {
  const log: string[] = [];
  const rendered = async (request: HttpRequest) => {
    const response = new TemplateResponse(request, 'page.html', { title: 'Hi', pk: 1 });
    await response.render();
    return response;
  };
  const client = await Client.create(
    testSettings({
      BASE_DIR: fileURLToPath(new URL('../views/', import.meta.url)),
      TEMPLATES: [{ DIRS: ['templates'] }],
      ROOT_URLCONF: { urlpatterns: [path('rendered/', rendered)] },
      MIDDLEWARE: [loggingMiddleware('A', log)],
    }),
  );
  const response = await client.get('/rendered/');
  t.is(response.text, 'Hi|1|\n');
  t.deepEqual(log, ['A.req', 'A.view', 'A.tmpl', 'A.resp(200)']);
});
