import test from 'ava';
import {
  BadRequest,
  DisallowedHost,
  Http404,
  MultiPartParserError,
  PermissionDenied,
  RequestDataTooBig,
  SuspiciousOperation,
} from '../../src/exceptions.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { gotRequestException } from '../../src/signals/index.ts';
import { path } from '../../src/urls/index.ts';
import { addLogHandler, type LogRecord } from '../../src/utils/log.ts';
import { Client, testSettings } from '../helpers/client.ts';

const raising = (error: unknown) => async () => {
  throw error;
};

function urlsRaising(error: unknown, extra: Record<string, unknown> = {}) {
  return { urlpatterns: [path('x/', raising(error))], ...extra };
}

const cases: [string, unknown, number][] = [
  ['Http404', new Http404('No caller here'), 404],
  ['PermissionDenied', new PermissionDenied('Nope'), 403],
  ['MultiPartParserError', new MultiPartParserError('Invalid boundary in multipart: None'), 400],
  ['BadRequest', new BadRequest('Malformed'), 400],
  ['SuspiciousOperation', new SuspiciousOperation('Weird'), 400],
  ['DisallowedHost', new DisallowedHost("Invalid HTTP_HOST header: 'evil'."), 400],
  [
    'RequestDataTooBig',
    new RequestDataTooBig('Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.'),
    400,
  ],
  ['TypeError', new TypeError('bug'), 500],
  ['a thrown string', 'not even an Error', 500],
];

for (const [name, error, status] of cases) {
  test(`responseForException(request, ${name}) answers ${status} with DEBUG off`, async (t) => {
    const client = await Client.create(testSettings({ ROOT_URLCONF: urlsRaising(error) }));
    const response = await client.get('/x/');
    t.is(response.status, status);
    t.is(response.headers['content-type'], 'text/html; charset=utf-8');
    t.notRegex(response.text, /Traceback|bug|not even/);
  });
}

test('responseForException(request, error) shows 400/403 messages, never 404/500 details, with DEBUG off', async (t) => {
  const tooBig = await Client.create(
    testSettings({ ROOT_URLCONF: urlsRaising(new RequestDataTooBig('Body <too> big.')) }),
  );
  t.regex((await tooBig.get('/x/')).text, /<h1>Bad Request \(400\)<\/h1><p>Body &lt;too&gt; big\.<\/p>/);
  const notFound = await Client.create(
    testSettings({ ROOT_URLCONF: urlsRaising(new Http404('secret detail')) }),
  );
  const body = (await notFound.get('/x/')).text;
  t.notRegex(body, /secret detail/);
  t.regex(body, /The requested resource was not found on this server\./);
});

test('responseForException(request, error) uses the urlconf handlers, called with the exception', async (t) => {
  const seen: unknown[] = [];
  const handler404 = async (_request: unknown, exception: unknown) => {
    seen.push(exception);
    return new HttpResponse('custom 404', { status: 404 });
  };
  const handler500 = async () => new HttpResponse('custom 500', { status: 500 });
  const error = new Http404('gone');
  const client = await Client.create(
    testSettings({ ROOT_URLCONF: urlsRaising(error, { handler404, handler500 }) }),
  );
  t.is((await client.get('/x/')).text, 'custom 404');
  t.is((await client.get('/nowhere/')).text, 'custom 404');
  t.is(seen[0], error);
  const crash = await Client.create(
    testSettings({ ROOT_URLCONF: urlsRaising(new Error('x'), { handler500 }) }),
  );
  t.is((await crash.get('/x/')).text, 'custom 500');
});

test('responseForException(request, error) falls back to handler500 when an error handler throws', async (t) => {
  const handler403 = async () => {
    throw new Error('handler bug');
  };
  const handler500 = async () => new HttpResponse('custom 500', { status: 500 });
  const client = await Client.create(
    testSettings({ ROOT_URLCONF: urlsRaising(new PermissionDenied(), { handler403, handler500 }) }),
  );
  const response = await client.get('/x/');
  t.is(response.status, 500);
  t.is(response.text, 'custom 500');
});

test('responseForException(request, error) shows the technical 404 page with the patterns tried when DEBUG', async (t) => {
  const client = await Client.create(
    testSettings({
      DEBUG: true,
      ROOT_URLCONF: {
        urlpatterns: [path('sms/', raising(null)), path('conference/<str:name>/', raising(null))],
      },
    }),
  );
  const response = await client.get('/nope/');
  t.is(response.status, 404);
  t.regex(
    response.text,
    /<li><code>sms\/<\/code><\/li><li><code>conference\/&lt;str:name&gt;\/<\/code><\/li>/,
  );
  t.regex(response.text, /The current path, <code>nope\/<\/code>, didn't match any of these\./);
});

test('responseForException(request, error) shows the technical 500 page with secrets masked when DEBUG', async (t) => {
  const client = await Client.create(
    testSettings({
      DEBUG: true,
      TWILIO_AUTH_TOKEN: 'super-secret-token',
      ROOT_URLCONF: urlsRaising(new TypeError('kaboom')),
    }),
  );
  const response = await client.get('/x/?q=1', {
    headers: { 'X-Twilio-Signature': 'sig-value', Cookie: 'sessionid=abc' },
  });
  t.is(response.status, 500);
  t.regex(response.text, /TypeError at \/x\//);
  t.regex(response.text, /kaboom/);
  t.regex(response.text, /TWILIO_AUTH_TOKEN/);
  t.notRegex(response.text, /super-secret-token|sig-value|sessionid=abc|test-secret-key/);
});

test('responseForException(request, error) gives BadRequest the technical page with status 400 when DEBUG', async (t) => {
  const client = await Client.create(
    testSettings({ DEBUG: true, ROOT_URLCONF: urlsRaising(new BadRequest('Malformed')) }),
  );
  const response = await client.get('/x/');
  t.is(response.status, 400);
  t.regex(response.text, /BadRequest/);
});

test('responseForException(request, error) re-throws with DEBUG_PROPAGATE_EXCEPTIONS', async (t) => {
  const client = await Client.create(
    testSettings({ DEBUG_PROPAGATE_EXCEPTIONS: true, ROOT_URLCONF: urlsRaising(new TypeError('out')) }),
  );
  // Koa answers a propagated error with its own plain 500.
  const response = await client.get('/x/');
  t.is(response.status, 500);
  t.is(response.text, 'Internal Server Error');
});

test.serial('gotRequestException fires for server errors only, with the request', async (t) => {
  const seen: string[] = [];
  const receiver = ({ request }: { request: { path: string } }) => {
    seen.push(request.path);
  };
  gotRequestException.connect(receiver);
  try {
    for (const error of [new Http404(), new PermissionDenied(), new BadRequest(), new TypeError('x')]) {
      const client = await Client.create(testSettings({ ROOT_URLCONF: urlsRaising(error) }));
      await client.get('/x/');
    }
  } finally {
    gotRequestException.disconnect(receiver);
  }
  t.deepEqual(seen, ['/x/']);
});

test.serial(
  'responseForException(request, error) logs on koa-django.request and koa-django.security.*',
  async (t) => {
    const records: LogRecord[] = [];
    const stop = addLogHandler((r) => records.push(r));
    try {
      for (const error of [
        new Http404(),
        new PermissionDenied(),
        new DisallowedHost('bad host'),
        new TypeError('x'),
      ]) {
        const client = await Client.create(testSettings({ ROOT_URLCONF: urlsRaising(error) }));
        await client.get('/x/');
      }
    } finally {
      stop();
    }
    const lines = records
      .filter((r) => r.logger !== 'koa-django.checks')
      .map((r) => `${r.level} ${r.logger}: ${r.message}`);
    t.deepEqual(lines, [
      'warning koa-django.request: Not Found: /x/',
      'warning koa-django.request: Forbidden (Permission denied): /x/',
      'error koa-django.security.DisallowedHost: bad host',
      'error koa-django.request: Internal Server Error: /x/',
    ]);
  },
);
