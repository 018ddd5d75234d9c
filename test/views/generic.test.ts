import test from 'ava';
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse, type HttpResponseBase } from '../../src/http/response.ts';
import { MiddlewareMixin } from '../../src/middleware/base.ts';
import { CsrfViewMiddleware } from '../../src/middleware/csrf.ts';
import { path } from '../../src/urls/index.ts';
import { addLogHandler, type LogRecord } from '../../src/utils/log.ts';
import {
  csrfExempt,
  type Decorator,
  decoratorFromMiddleware,
  methodDecorator,
  View,
  wraps,
} from '../../src/views/index.ts';
import type { Kwargs } from '../../src/views/view.ts';
import { Client, testSettings } from '../helpers/client.ts';
import { RequestFactory } from '../helpers/request-factory.ts';

const rf = new RequestFactory();

class GetView extends View {
  greeting = 'hello';
  get(_request: HttpRequest, kwargs: Kwargs) {
    return new HttpResponse(`${this.greeting} ${String(kwargs.name ?? '')}`.trim());
  }
}

class PostView extends View {
  async post() {
    return new HttpResponse('posted');
  }
}

function recordLogs(t: { teardown(fn: () => void): void }): LogRecord[] {
  const records: LogRecord[] = [];
  t.teardown(addLogHandler((r) => records.push(r)));
  return records;
}

test('View.asView() gives a view function that dispatches GET to get(request, kwargs)', async (t) => {
  const view = GetView.asView();
  const response = await view(await rf.get('/g/'), { name: 'Ada' });
  t.is(response.text, 'hello Ada');
});

test('View.asView(initkwargs) copies the initkwargs onto a new instance per request', async (t) => {
  class Counter extends View {
    count = 0;
    get() {
      this.count += 1;
      return new HttpResponse(String(this.count));
    }
  }
  const view = Counter.asView({ count: 10 });
  t.is((await view(await rf.get('/'), {})).text, '11');
  t.is((await view(await rf.get('/'), {})).text, '11', 'state does not leak between requests');
  t.is((await GetView.asView({ greeting: 'hi' })(await rf.get('/'), {})).text, 'hi');
});

test('View.asView() marks the function with viewClass and viewInitkwargs and names it after the class', (t) => {
  const view = GetView.asView({ greeting: 'hi' });
  t.is(view.viewClass, GetView);
  t.deepEqual(view.viewInitkwargs, { greeting: 'hi' });
  t.is(view.name, 'GetView');
});

test("View.asView(initkwargs) refuses an HTTP method name, with Django's message", (t) => {
  t.throws(() => GetView.asView({ get: () => new HttpResponse('x') } as never), {
    instanceOf: TypeError,
    message: 'The method name get is not accepted as a keyword argument to GetView().',
  });
});

test("View.asView(initkwargs) refuses a key that is not an attribute of the class, with Django's message", (t) => {
  t.throws(() => GetView.asView({ foobar: 1 } as never), {
    instanceOf: TypeError,
    message:
      "GetView() received an invalid keyword 'foobar'. asView only accepts arguments that are already attributes of the class.",
  });
});

test("View#asView is only available on the class (Django's classonlymethod)", (t) => {
  const instance = new GetView() as unknown as { asView: () => unknown };
  t.throws(() => instance.asView(), {
    instanceOf: TypeError,
    message: /only on the class, not on instances/,
  });
});

test('View#dispatch(request, kwargs): a method without a handler is 405 with Allow listing the implemented methods', async (t) => {
  const records = recordLogs(t);
  const response = await GetView.asView()(await rf.post('/only-get/'), {});
  t.is(response.statusCode, 405);
  t.is(response.get('Allow'), 'GET, HEAD, OPTIONS');
  t.true(records.some((r) => r.level === 'warning' && r.message === 'Method Not Allowed (POST): /only-get/'));
  const post = await PostView.asView()(await rf.get('/'), {});
  t.is(post.statusCode, 405);
  t.is(post.get('Allow'), 'POST, OPTIONS');
});

test('View#dispatch(request, kwargs) only calls handlers listed in httpMethodNames', async (t) => {
  class Narrow extends View {
    override httpMethodNames = ['get'];
    get() {
      return new HttpResponse('got');
    }
    post() {
      return new HttpResponse('never');
    }
  }
  const response = await Narrow.asView()(await rf.post('/'), {});
  t.is(response.statusCode, 405);
  t.is(response.get('Allow'), 'GET');
  const options = await Narrow.asView()(await rf.options('/'), {});
  t.is(options.statusCode, 405, 'options is not in httpMethodNames either');
});

test('View#options(request, kwargs) answers 200 with Allow and Content-Length 0', async (t) => {
  const response = await GetView.asView()(await rf.options('/'), {});
  t.is(response.statusCode, 200);
  t.is(response.get('Allow'), 'GET, HEAD, OPTIONS');
  t.is(response.get('Content-Length'), '0');
  t.is(response.content.length, 0);
});

test('View#setup(request, kwargs): HEAD falls back to get when there is no head handler', async (t) => {
  t.is((await GetView.asView()(await rf.head('/'), {})).text, 'hello');
  class WithHead extends GetView {
    head() {
      return new HttpResponse('', { headers: { 'X-Head': 'own' } });
    }
  }
  t.is((await WithHead.asView()(await rf.head('/'), {})).get('X-Head'), 'own');
  t.is((await PostView.asView()(await rf.head('/'), {})).statusCode, 405);
});

test('View#setup(request, kwargs) stores request, args and kwargs on the instance', async (t) => {
  class Echo extends View {
    get() {
      return new HttpResponse(
        `${this.request.path}|${JSON.stringify(this.kwargs)}|${JSON.stringify(this.args)}`,
      );
    }
  }
  t.is((await Echo.asView()(await rf.get('/e/'), { pk: 3 })).text, '/e/|{"pk":3}|[]');
});

test('View#setup overridden without super.setup() is reported', async (t) => {
  class Forgetful extends View {
    override setup() {}
    get() {
      return new HttpResponse('x');
    }
  }
  await t.throwsAsync(async () => Forgetful.asView()(await rf.get('/'), {}), {
    instanceOf: TypeError,
    message:
      /Forgetful instance has no 'request' attribute. Did you override setup\(\) and forget to call super.setup/,
  });
});

test('methodDecorator(csrfExempt, "dispatch")(MyView): asView() carries csrfExempt and dispatch keeps its name', (t) => {
  class Hook extends View {
    post() {
      return new HttpResponse('ok');
    }
  }
  t.is(methodDecorator(csrfExempt, 'dispatch')(Hook), Hook);
  t.is(Hook.prototype.dispatch.name, 'dispatch');
  t.true(Hook.asView().csrfExempt);
  t.is(GetView.asView().csrfExempt, undefined, 'other classes are untouched');
});

test('methodDecorator(decorator, "dispatch"): every flag the decorator sets on dispatch is on the asView() function', (t) => {
  const flagging: Decorator = (view) => {
    const wrapped = wraps(view, (request: HttpRequest, kwargs: Kwargs) => view(request, kwargs));
    Object.assign(wrapped, { requiredKwargs: ['room'], shouldAppendSlash: false });
    return wrapped;
  };
  class Room extends View {
    get() {
      return new HttpResponse('room');
    }
  }
  methodDecorator(flagging, 'dispatch')(Room);
  const view = Room.asView();
  t.deepEqual(view.requiredKwargs, ['room']);
  t.false(view.shouldAppendSlash);
  t.is(view.viewClass, Room);
});

test('methodDecorator(decorator) on one method keeps its name and binds this per call', async (t) => {
  const calls: string[] = [];
  const logging: Decorator = (view) =>
    wraps(view, (request: HttpRequest, kwargs: Kwargs) => {
      calls.push(`${view.name}:${request.method}`);
      return view(request, kwargs);
    });
  class Greeter extends View {
    word = 'hey';
    get(_request: HttpRequest, _kwargs: Kwargs): HttpResponseBase {
      return new HttpResponse(this.word);
    }
  }
  Greeter.prototype.get = methodDecorator(logging)(Greeter.prototype.get);
  t.is(Greeter.prototype.get.name, 'get');
  t.is((await Greeter.asView({ word: 'yo' })(await rf.get('/'), {})).text, 'yo');
  t.deepEqual(calls, ['get:GET']);
});

test('methodDecorator([d1, d2], "dispatch") applies the first decorator outermost', async (t) => {
  const order: string[] = [];
  const named =
    (label: string): Decorator =>
    (view) =>
      wraps(view, async (request: HttpRequest, kwargs: Kwargs) => {
        order.push(label);
        return view(request, kwargs);
      });
  class Layered extends GetView {}
  methodDecorator([named('outer'), named('inner')], 'dispatch')(Layered);
  await Layered.asView()(await rf.get('/'), {});
  t.deepEqual(order, ['outer', 'inner']);
});

class StampMiddleware extends MiddlewareMixin {
  processRequest(request: HttpRequest) {
    if (request.GET.get('stop')) return new HttpResponse('stopped early');
    return undefined;
  }
  processResponse(_request: HttpRequest, response: HttpResponseBase) {
    response.set('X-Stamp', 'stamped');
    return response;
  }
}

test('decoratorFromMiddleware(M) on View.asView() runs the middleware around the class-based view', async (t) => {
  const view = decoratorFromMiddleware(StampMiddleware)(GetView.asView());
  const response = await view(await rf.get('/'), {});
  t.is(response.text, 'hello');
  t.is(response.get('X-Stamp'), 'stamped');
  t.is((await view(await rf.get('/', { stop: '1' }), {})).text, 'stopped early');
  t.is(view.viewClass, GetView, 'the class flags survive the decorator');
});

test('methodDecorator(decoratorFromMiddleware(M), "dispatch") runs the middleware for every method of the class', async (t) => {
  class Stamped extends View {
    get() {
      return new HttpResponse('g');
    }
    async post() {
      return new HttpResponse('p');
    }
  }
  methodDecorator(decoratorFromMiddleware(StampMiddleware), 'dispatch')(Stamped);
  const view = Stamped.asView();
  t.deepEqual(view.middlewareDecorators, [StampMiddleware]);
  t.is((await view(await rf.get('/'), {})).get('X-Stamp'), 'stamped');
  t.is((await view(await rf.post('/'), {})).get('X-Stamp'), 'stamped');
  const denied = await view(await rf.put('/'), {});
  t.is(denied.statusCode, 405);
  t.is(denied.get('X-Stamp'), 'stamped');
});

test('View.asView() through the real Koa app: GET, async POST, HEAD, OPTIONS, TRACE and a URL kwarg', async (t) => {
  class Item extends View {
    get(_request: HttpRequest, kwargs: Kwargs) {
      return new HttpResponse(`item ${String(kwargs.pk)}`);
    }
    async post(request: HttpRequest) {
      return new HttpResponse(`saved ${request.POST.get('v')}`);
    }
  }
  const client = await Client.create(
    testSettings({ ROOT_URLCONF: { urlpatterns: [path('items/<int:pk>/', Item.asView(), 'item')] } }),
  );
  t.is((await client.get('/items/7/')).text, 'item 7');
  t.is((await client.post('/items/7/', { v: 'x' })).text, 'saved x');
  const head = await client.request('HEAD', '/items/7/');
  t.is(head.status, 200);
  t.is(head.text, '');
  const options = await client.request('OPTIONS', '/items/7/');
  t.is(options.status, 200);
  t.is(options.headers.allow, 'GET, POST, HEAD, OPTIONS');
  t.is(options.headers['content-length'], '0');
  const trace = await client.request('TRACE', '/items/7/');
  t.is(trace.status, 405);
  t.is(trace.headers.allow, 'GET, POST, HEAD, OPTIONS');
});

test('methodDecorator(csrfExempt, "dispatch") makes a class-based view exempt from CsrfViewMiddleware', async (t) => {
  class Open extends PostView {}
  methodDecorator(csrfExempt, 'dispatch')(Open);
  class Guarded extends PostView {}
  const client = await Client.create(
    testSettings({
      MIDDLEWARE: [CsrfViewMiddleware],
      ROOT_URLCONF: { urlpatterns: [path('open/', Open.asView()), path('guarded/', Guarded.asView())] },
    }),
  );
  const open = await client.post('/open/', { a: '1' });
  t.is(open.status, 200);
  t.is(open.text, 'posted');
  t.is((await client.post('/guarded/', { a: '1' })).status, 403);
});
