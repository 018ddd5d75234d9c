import { fileURLToPath } from 'node:url';
import test from 'ava';
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse, type HttpResponseBase } from '../../src/http/response.ts';
import { MiddlewareMixin } from '../../src/middleware/base.ts';
import { TemplateResponse } from '../../src/template/index.ts';
import { path } from '../../src/urls/index.ts';
import { addLogHandler, type LogRecord } from '../../src/utils/log.ts';
import { decoratorFromMiddleware } from '../../src/views/index.ts';
import { Client, testSettings } from '../helpers/client.ts';
import { loggingMiddleware } from '../helpers/log-middleware.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));

function isTemplateResponse(response: HttpResponseBase): response is TemplateResponse {
  return response instanceof TemplateResponse;
}

const page = (request: HttpRequest) => new TemplateResponse(request, 'page.html', { title: 'Hi', pk: 1 });
const boom = (request: HttpRequest) =>
  new TemplateResponse(request, 'boom.html', {
    boom() {
      throw new Error('render failed');
    },
  });

function clientFor(middleware: unknown[], urlpatterns = [path('page/', page), path('boom/', boom)]) {
  return Client.create(
    testSettings({
      BASE_DIR: HERE,
      TEMPLATES: [{ DIRS: ['templates'] }],
      MIDDLEWARE: middleware as never,
      ROOT_URLCONF: { urlpatterns },
    }),
  );
}

test('BaseHandler: a TemplateResponse from a view is rendered by the pipeline', async (t) => {
  const response = await (await clientFor([])).get('/page/');
  t.is(response.status, 200);
  t.is(response.text, 'Hi|1|\n');
});

test('BaseHandler: processTemplateResponse can change contextData before rendering; processResponse sees the result', async (t) => {
  const seen: string[] = [];
  class Retitle extends MiddlewareMixin {
    processTemplateResponse(_request: HttpRequest, response: HttpResponseBase) {
      if (isTemplateResponse(response)) response.contextData.title = 'Changed';
      return response;
    }
    processResponse(_request: HttpRequest, response: HttpResponseBase) {
      seen.push(response.text);
      return response;
    }
  }
  const response = await (await clientFor([Retitle])).get('/page/');
  t.is(response.text, 'Changed|1|\n');
  t.deepEqual(seen, ['Changed|1|\n']);
});

test('BaseHandler: processTemplateResponse can change templateName', async (t) => {
  class Swap extends MiddlewareMixin {
    processTemplateResponse(_request: HttpRequest, response: HttpResponseBase) {
      if (isTemplateResponse(response)) response.templateName = 'other.html';
      return response;
    }
  }
  t.is((await (await clientFor([Swap])).get('/page/')).text, 'other Hi\n');
});

test('BaseHandler: processTemplateResponse runs bottom-up, only for template responses', async (t) => {
  const log: string[] = [];
  const plain = async () => new HttpResponse('plain');
  const client = await clientFor(
    [loggingMiddleware('A', log), loggingMiddleware('B', log)],
    [path('page/', page), path('plain/', plain)],
  );
  await client.get('/page/');
  t.deepEqual(log, ['A.req', 'B.req', 'A.view', 'B.view', 'B.tmpl', 'A.tmpl', 'B.resp(200)', 'A.resp(200)']);
  log.length = 0;
  await client.get('/plain/');
  t.false(log.some((entry) => entry.endsWith('.tmpl')));
});

test('BaseHandler: a processTemplateResponse that returns nothing is a 500 naming the middleware and the hook', async (t) => {
  const records: LogRecord[] = [];
  t.teardown(addLogHandler((r) => records.push(r)));
  class Forgetful extends MiddlewareMixin {
    processTemplateResponse() {
      return undefined as unknown as HttpResponseBase;
    }
  }
  const response = await (await clientFor([Forgetful])).get('/page/');
  t.is(response.status, 500);
  t.true(
    records.some((r) =>
      String((r.error as Error | undefined)?.message).includes(
        "Forgetful.processTemplateResponse didn't return an HttpResponse object",
      ),
    ),
  );
});

test('BaseHandler: an error while rendering goes to processException, whose response wins', async (t) => {
  const log: string[] = [];
  const response = await (await clientFor([loggingMiddleware('A', log, { respond: ['exc'] })])).get('/boom/');
  t.is(response.status, 200);
  t.is(response.text, 'A.exc');
  t.deepEqual(log.slice(-3), ['A.tmpl', 'A.exc', 'A.resp(200)']);
});

test('BaseHandler: an unhandled error while rendering is a 500', async (t) => {
  const records: LogRecord[] = [];
  t.teardown(addLogHandler((r) => records.push(r)));
  const response = await (await clientFor([])).get('/boom/');
  t.is(response.status, 500);
  t.true(
    records.some((r) =>
      /Rendering template 'boom\.html' failed at line 1: Error: render failed/.test(
        String((r.error as Error)?.message),
      ),
    ),
  );
});

test('BaseHandler: a TemplateResponse returned by processView is rendered too', async (t) => {
  class Shortcut extends MiddlewareMixin {
    processView(request: HttpRequest) {
      return new TemplateResponse(request, 'other.html', { title: 'from processView' });
    }
  }
  t.is((await (await clientFor([Shortcut])).get('/page/')).text, 'other from processView\n');
});

test('decoratorFromMiddleware(M) with processTemplateResponse + processResponse: processResponse sees the rendered content', async (t) => {
  const seen: string[] = [];
  class Annotate extends MiddlewareMixin {
    processTemplateResponse(_request: HttpRequest, response: HttpResponseBase) {
      if (isTemplateResponse(response)) response.contextData.pk = 42;
      return response;
    }
    processResponse(_request: HttpRequest, response: HttpResponseBase) {
      seen.push(response.text);
      response.set('Content-Length-Seen', String(response.content.length));
      return response;
    }
  }
  const decorated = decoratorFromMiddleware(Annotate)(page);
  const response = await (await clientFor([], [path('page/', decorated)])).get('/page/');
  t.is(response.text, 'Hi|42|\n');
  t.deepEqual(seen, ['Hi|42|\n']);
  t.is(response.headers['content-length-seen'], String(Buffer.byteLength('Hi|42|\n')));
});

test('decoratorFromMiddleware(M): a response returned by processResponse after rendering replaces the TemplateResponse', async (t) => {
  class Replace extends MiddlewareMixin {
    async processResponse(_request: HttpRequest, response: HttpResponseBase) {
      return new HttpResponse(`wrapped[${response.text.trim()}]`, { status: 202 });
    }
  }
  const decorated = decoratorFromMiddleware(Replace)(page);
  const response = await (await clientFor([], [path('page/', decorated)])).get('/page/');
  t.is(response.status, 202);
  t.is(response.text, 'wrapped[Hi|1|]');
});

test('decoratorFromMiddleware(M) hooks run inside MIDDLEWARE hooks, and both see a template response', async (t) => {
  const log: string[] = [];
  const decorated = decoratorFromMiddleware(loggingMiddleware('D', log))(page);
  const response = await (await clientFor([loggingMiddleware('A', log)], [path('page/', decorated)])).get(
    '/page/',
  );
  t.is(response.text, 'Hi|1|\n');
  t.deepEqual(log, ['A.req', 'A.view', 'D.req', 'D.view', 'D.tmpl', 'A.tmpl', 'D.resp(200)', 'A.resp(200)']);
});
