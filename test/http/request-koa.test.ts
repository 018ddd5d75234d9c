import test from 'ava';
import type { HttpRequest } from '../../src/http/request.ts';
import { JsonResponse } from '../../src/http/responses.ts';
import { path } from '../../src/urls/index.ts';
import { Client, testSettings } from '../helpers/client.ts';
import { encodeMultipart, MULTIPART_CONTENT } from '../helpers/request-factory.ts';

async function echo(request: HttpRequest) {
  return new JsonResponse({
    method: request.method,
    path: request.path,
    host: request.getHost(),
    GET: request.GET.toJSON(),
    POST: request.POST.toJSON(),
    FILES: request.FILES.keys().map((k) => [k, request.FILES.get(k)?.name, request.FILES.get(k)?.size]),
    COOKIES: request.COOKIES,
  });
}

async function client(settings = {}) {
  return Client.create(
    testSettings({
      DATA_UPLOAD_MAX_NUMBER_FIELDS: 5,
      DATA_UPLOAD_MAX_MEMORY_SIZE: 1000,
      DATA_UPLOAD_MAX_NUMBER_FILES: 2,
      ROOT_URLCONF: { urlpatterns: [path('echo/<path:rest>', echo), path('echo/', echo)] },
      ...settings,
    }),
  );
}

test('HttpRequest through the Koa host: GET, POST, cookies and the host reach the view', async (t) => {
  const c = await client();
  const res = await c.post('/echo/caf%C3%A9?a=1&a=2', { x: 'é' }, { headers: { cookie: 'k=v' } });
  t.is(res.status, 200);
  t.deepEqual(res.json(), {
    method: 'POST',
    path: '/echo/café',
    host: 'testserver',
    GET: { a: ['1', '2'] },
    POST: { x: ['é'] },
    FILES: [],
    COOKIES: { k: 'v' },
  });
});

test('HttpRequest through the Koa host: a multipart upload reaches POST and FILES', async (t) => {
  const c = await client();
  const body = encodeMultipart('BoUnDaRyStRiNg', { a: '1', f: { name: 'x.txt', content: 'hello' } });
  const res = await c.post('/echo/', body, { contentType: MULTIPART_CONTENT });
  t.is(res.status, 200);
  t.deepEqual(res.json<{ POST: unknown; FILES: unknown }>().FILES, [['f', 'x.txt', 5]]);
  t.deepEqual(res.json<{ POST: unknown }>().POST, { a: ['1'] });
});

const BAD_INPUTS: [string, (c: Client) => ReturnType<Client['get']>][] = [
  ['a Host outside ALLOWED_HOSTS', (c) => c.get('/echo/', { headers: { host: 'evil.com' } })],
  ['an invalid Host', (c) => c.get('/echo/', { headers: { host: 'exa_mple.com:80/x' } })],
  ['too many GET fields', (c) => c.get('/echo/?a&b&c&d&e&f')],
  [
    'too many POST fields',
    (c) => c.post('/echo/', 'a&b&c&d&e&f', { contentType: 'application/x-www-form-urlencoded' }),
  ],
  [
    'an oversize body',
    (c) => c.post('/echo/', 'a='.padEnd(2000, 'x'), { contentType: 'application/x-www-form-urlencoded' }),
  ],
  ['a multipart body without boundary', (c) => c.post('/echo/', 'x', { contentType: 'multipart/form-data' })],
  [
    'a truncated multipart body',
    (c) =>
      c.post('/echo/', '--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n1', {
        contentType: 'multipart/form-data; boundary=B',
      }),
  ],
  [
    'a multipart header block over 1024 bytes',
    (c) =>
      c.post(
        '/echo/',
        `--B\r\nContent-Disposition: form-data; name="a"; x="${'y'.repeat(1100)}"\r\n\r\n1\r\n--B--\r\n`,
        {
          contentType: 'multipart/form-data; boundary=B',
        },
      ),
  ],
  [
    'too many files',
    (c) =>
      c.post(
        '/echo/',
        encodeMultipart('B', { f: [1, 2, 3].map((i) => ({ name: `${i}.txt`, content: 'x' })) }),
        { contentType: 'multipart/form-data; boundary=B' },
      ),
  ],
  [
    'a non-UTF-8 urlencoded body',
    (c) => c.post('/echo/', 'a=1', { contentType: 'application/x-www-form-urlencoded; charset=latin-1' }),
  ],
];

for (const [what, send] of BAD_INPUTS) {
  test(`HttpRequest through the Koa host: ${what} is a 400, not a 500`, async (t) => {
    const c = await client();
    const res = await send(c);
    t.is(res.status, 400);
  });
}

test('HttpRequest through the Koa host: malformed cookies and percent escapes are not errors', async (t) => {
  const c = await client();
  const res = await c.get('/echo/%zz%E9?q=%zz&r=%E9', { headers: { cookie: '"; =; ;a="\\"; \\101' } });
  t.is(res.status, 200);
  const json = res.json<{ path: string; GET: unknown }>();
  t.is(json.path, '/echo/%zz%E9');
  t.deepEqual(json.GET, { q: ['%zz'], r: ['\ufffd'] });
});
