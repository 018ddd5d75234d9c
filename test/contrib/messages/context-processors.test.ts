import { fileURLToPath } from 'node:url';
import test from 'ava';
import * as messages from '../../../src/contrib/messages/index.ts';
import { MessageMiddleware, messagesContextProcessor } from '../../../src/contrib/messages/index.ts';
import { SessionMiddleware } from '../../../src/contrib/sessions/index.ts';
import { HttpResponseRedirect } from '../../../src/http/index.ts';
import type { HttpRequest } from '../../../src/http/request.ts';
import { TemplateResponse } from '../../../src/template/index.ts';
import { path } from '../../../src/urls/index.ts';
import { Client, testSettings } from '../../helpers/client.ts';
import { RequestFactory } from '../../helpers/request-factory.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));

const urlpatterns = [
  path('save/', async (request: HttpRequest) => {
    messages.success(request, 'Profile <saved>.');
    messages.error(request, 'Avatar too large.', { extraTags: 'avatar' });
    return new HttpResponseRedirect('/profile/');
  }),
  path('profile/', async (request: HttpRequest) => new TemplateResponse(request, 'messages.html')),
];

const app = (processor: unknown) =>
  Client.create(
    testSettings({
      BASE_DIR: HERE,
      MIDDLEWARE: [SessionMiddleware, MessageMiddleware],
      SESSION_ENGINE: 'signed_cookies',
      TEMPLATES: [{ DIRS: ['templates'], OPTIONS: { contextProcessors: [processor] } }],
      ROOT_URLCONF: { urlpatterns },
    }),
  );

test('messagesContextProcessor in TEMPLATES: a nunjucks template lists the messages of the previous request, escaped, once', async (t) => {
  const client = await app(messagesContextProcessor);
  t.is((await client.get('/save/')).status, 302);
  const page = await client.get('/profile/');
  t.is(
    page.text.trim(),
    '<ul class="messages"><li class="success">Profile &lt;saved&gt;.</li><li class="avatar error"><strong>Avatar too large.</strong></li></ul>',
  );
  t.is((await client.get('/profile/')).text.trim(), '<p>No messages.</p>');
});

test("messagesContextProcessor can be named as 'koa-django/contrib/messages#messagesContextProcessor'", async (t) => {
  const client = await app('koa-django/contrib/messages#messagesContextProcessor');
  await client.get('/save/');
  t.regex((await client.get('/profile/')).text, /<li class="success">Profile &lt;saved&gt;\.<\/li>/);
});

test('messagesContextProcessor(request) gives the storage and DEFAULT_MESSAGE_LEVELS (an empty list without MessageMiddleware)', async (t) => {
  const request = await new RequestFactory().get('/');
  t.deepEqual(messagesContextProcessor(request), {
    messages: [],
    DEFAULT_MESSAGE_LEVELS: { DEBUG: 10, INFO: 20, SUCCESS: 25, WARNING: 30, ERROR: 40 },
  });
});
