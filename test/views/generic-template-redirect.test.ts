import { fileURLToPath } from 'node:url';
import test from 'ava';
import { ImproperlyConfigured } from '../../src/exceptions.ts';
import type { HttpRequest } from '../../src/http/request.ts';
import { HttpResponse } from '../../src/http/response.ts';
import { TemplateResponse } from '../../src/template/index.ts';
import { include, path } from '../../src/urls/index.ts';
import { addLogHandler, type LogRecord } from '../../src/utils/log.ts';
import { RedirectView, TemplateView } from '../../src/views/index.ts';
import type { Kwargs } from '../../src/views/view.ts';
import { Client, testSettings } from '../helpers/client.ts';
import { RequestFactory } from '../helpers/request-factory.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const settings = testSettings({ BASE_DIR: HERE, TEMPLATES: [{ DIRS: ['templates'] }] });
const rf = new RequestFactory({ settings });

class NoteView extends TemplateView {
  override templateName = 'note.html';
  override async getContextData(kwargs: Kwargs) {
    await new Promise((resolve) => setImmediate(resolve));
    return { ...(await super.getContextData(kwargs)), note: `async ${String(kwargs.pk)}` };
  }
}

const sms = async () => new HttpResponse('sms');
const urls = {
  urlpatterns: [
    path(
      'about/<int:pk>/',
      TemplateView.asView({ templateName: 'page.html', extraContext: { title: 'About' } }),
    ),
    path('note/<int:pk>/', NoteView.asView()),
    path(
      'text/',
      TemplateView.asView({ templateName: ['missing.html', 'other.html'], contentType: 'text/plain' }),
    ),
    path('sms/<int:pk>/', sms, 'sms'),
    path('twilio/', include({ appName: 'twilio', urlpatterns: [path('voice/', sms, 'voice')] })),
    path('go/<int:pk>/', RedirectView.asView({ url: '/articles/%(pk)s/?x=100%%' })),
    path('old-sms/<int:pk>/', RedirectView.asView({ patternName: 'sms', queryString: true })),
    path('old-voice/', RedirectView.asView({ patternName: 'twilio:voice', permanent: true })),
    path('gone/', RedirectView.asView()),
  ],
};

test('TemplateView.asView({ templateName, extraContext }) renders the URL kwargs, view and extraContext', async (t) => {
  const client = await Client.create(testSettings({ ...settings, ROOT_URLCONF: urls }));
  const response = await client.get('/about/5/');
  t.is(response.status, 200);
  t.is(response.text, 'About|5|page.html\n');
  t.is(response.headers['content-type'], 'text/html; charset=utf-8');
});

test('TemplateView#getContextData(kwargs) may be overridden and async', async (t) => {
  const client = await Client.create(testSettings({ ...settings, ROOT_URLCONF: urls }));
  t.is((await client.get('/note/9/')).text, 'note: async 9\n');
});

test('TemplateView: a list templateName renders the first that exists; contentType sets Content-Type', async (t) => {
  const client = await Client.create(testSettings({ ...settings, ROOT_URLCONF: urls }));
  const response = await client.get('/text/');
  t.is(response.text, 'other \n');
  t.is(response.headers['content-type'], 'text/plain');
});

test('TemplateView#get returns an unrendered TemplateResponse, so middleware can still change it', async (t) => {
  const response = await TemplateView.asView({ templateName: 'page.html' })(await rf.get('/'), { pk: 2 });
  t.true(response instanceof TemplateResponse);
  t.false((response as TemplateResponse).isRendered);
  await (response as TemplateResponse).render();
  t.is(response.text, '|2|page.html\n');
});

test('TemplateView.asView() without templateName is refused at once, with the fix', (t) => {
  t.throws(() => TemplateView.asView(), {
    instanceOf: ImproperlyConfigured,
    message:
      /TemplateView requires either a definition of 'templateName' or an implementation of 'getTemplateNames\(\)'/,
  });
  class Computed extends TemplateView {
    override getTemplateNames() {
      return ['page.html'];
    }
  }
  t.notThrows(() => Computed.asView());
});

test('RedirectView.asView({ url }) fills %(name)s from the URL kwargs and redirects with 302', async (t) => {
  const client = await Client.create(testSettings({ ...settings, ROOT_URLCONF: urls }));
  const response = await client.get('/go/12/');
  t.is(response.status, 302);
  t.is(response.headers.location, '/articles/12/?x=100%');
  const post = await client.post('/go/12/', { a: '1' });
  t.is(post.status, 302, 'every method redirects');
});

test('RedirectView.asView({ patternName, queryString }) reverses the pattern with the same kwargs and keeps the query', async (t) => {
  const client = await Client.create(testSettings({ ...settings, ROOT_URLCONF: urls }));
  const response = await client.get('/old-sms/4/?From=%2B15551234567');
  t.is(response.status, 302);
  t.is(response.headers.location, '/sms/4/?From=%2B15551234567');
});

test('RedirectView.asView({ patternName, permanent }) reverses namespaced names and answers 301', async (t) => {
  const client = await Client.create(testSettings({ ...settings, ROOT_URLCONF: urls }));
  const response = await client.get('/old-voice/?dropped=1');
  t.is(response.status, 301);
  t.is(response.headers.location, '/twilio/voice/');
});

test('RedirectView without url or patternName answers 410 Gone and logs it', async (t) => {
  const records: LogRecord[] = [];
  t.teardown(addLogHandler((r) => records.push(r)));
  const client = await Client.create(testSettings({ ...settings, ROOT_URLCONF: urls }));
  const response = await client.get('/gone/');
  t.is(response.status, 410);
  t.true(records.some((r) => r.level === 'warning' && r.message === 'Gone: /gone/'));
});

test('RedirectView#getRedirectUrl(kwargs): a %(name)s the URL does not give is reported by name', async (t) => {
  const view = RedirectView.asView({ url: '/a/%(slug)s/' });
  await t.throwsAsync(async () => view(await rf.get('/'), { pk: 1 }), {
    instanceOf: ImproperlyConfigured,
    message: "RedirectView.url '/a/%(slug)s/' uses %(slug)s, but the URL gives no 'slug' (it gives pk).",
  });
});

test('RedirectView: subclasses may compute the URL in getRedirectUrl', async (t) => {
  class ToCaller extends RedirectView {
    override getRedirectUrl(kwargs: Kwargs) {
      return `/callers/${String(kwargs.number)}/`;
    }
  }
  const response = await ToCaller.asView()(await rf.get('/'), { number: '+1555' });
  t.is(response.get('Location'), '/callers/+1555/');
  const request: HttpRequest = await rf.get('/');
  t.is((await RedirectView.asView()(request, {})).statusCode, 410);
});
