/**
 * decompose(request) and TwilioRequest: django-twilio's TestDecompose (items 46–50), with our
 * camelCase names (django-twilio: `from_`, `accountsid`).
 */
import test from 'ava';
import { camelCase, decompose, NotHttpRequest, TwilioRequest } from '../../../src/contrib/twilio/index.ts';
import { RequestFactory } from '../../helpers/request-factory.ts';
import { CALL, SMS, twilioSettings } from './helpers.ts';

const rf = new RequestFactory({ settings: twilioSettings() });

test('decompose(request) of a voice POST: type voice, every parameter camelCased (django-twilio: accountsid, from_)', async (t) => {
  const twilioRequest = decompose(await rf.post('/voice/', CALL));
  t.is(twilioRequest.type, 'voice');
  t.is(twilioRequest.accountSid, 'ACXXXX');
  t.is(twilioRequest.from, '+44123456789');
  t.is(twilioRequest.callSid, 'CA1234567890ABCDE');
  t.is(twilioRequest.callStatus, 'ringing');
  t.is(twilioRequest.apiVersion, '2010-04-01');
  t.is(twilioRequest.forwardedFrom, '');
  t.is(twilioRequest.callerName, 'Alice');
  t.deepEqual({ ...twilioRequest.params }, CALL);
});

test('decompose(request) of an SMS POST: type message', async (t) => {
  const twilioRequest = decompose(
    await rf.post('/sms/', { ...SMS, NumMedia: '1', MediaUrl0: 'https://x/1.png' }),
  );
  t.is(twilioRequest.type, 'message');
  t.is(twilioRequest.messageSid, 'SM1234567890ABCDE');
  t.is(twilioRequest.smsSid, 'SM1234567890ABCDE');
  t.is(twilioRequest.body, 'Hi!');
  t.is(twilioRequest.numMedia, '1');
  t.is(twilioRequest.mediaUrl0, 'https://x/1.png');
});

test('decompose(request) of an empty POST: type unknown', async (t) => {
  const twilioRequest = decompose(await rf.post('/x/', {}));
  t.is(twilioRequest.type, 'unknown');
  t.deepEqual({ ...twilioRequest.params }, {});
});

test('decompose(request) of a GET reads the query string; SIDs match whatever their case', async (t) => {
  t.is(decompose(await rf.get('/x/?messageSid=ACXXXX')).type, 'message');
  t.is(decompose(await rf.get('/x/?CALLSID=CA1')).type, 'voice');
});

test('decompose(request) of a POST ignores the query string', async (t) => {
  t.is(decompose(await rf.post('/x/?CallSid=CA1', { Body: 'hi' })).type, 'unknown');
});

test('decompose(request) of another method has no parameters (django-twilio returns None)', async (t) => {
  const twilioRequest = decompose(await rf.put('/x/', { CallSid: 'CA1' }));
  t.is(twilioRequest.type, 'unknown');
  t.is(twilioRequest.callSid, undefined);
});

test('decompose(request): a CallSid beats a MessageSid, an empty one does not count, a Type parameter cannot replace type', async (t) => {
  t.is(decompose(await rf.post('/x/', { CallSid: 'CA1', MessageSid: 'SM1' })).type, 'voice');
  t.is(decompose(await rf.post('/x/', { CallSid: '', MessageSid: 'SM1' })).type, 'message');
  const typed = decompose(await rf.post('/x/', { Type: 'voice', Params: 'x' }));
  t.is(typed.type, 'unknown');
  t.is(typed.params.Type, 'voice');
  t.is(typeof typed.params, 'object');
});

test('decompose(request): a repeated parameter gives its last value', async (t) => {
  t.is(decompose(await rf.post('/x/', { Body: ['one', 'two'] })).body, 'two');
});

test('decompose(value) throws NotHttpRequest for anything but an HttpRequest', (t) => {
  const error = t.throws(() => decompose({} as never), { instanceOf: NotHttpRequest });
  t.is(error.code, 'KD_TWILIO_NOT_HTTP_REQUEST');
  t.regex(error.message, /^decompose\(\) needs the HttpRequest a view receives, got an Object\./);
});

test('new TwilioRequest(params) builds from a plain object or entries; odd names stay in params and clobber nothing', (t) => {
  t.is(new TwilioRequest({ CallSid: 'CA1' }).callSid, 'CA1');
  const twilioRequest = new TwilioRequest([
    ['SipHeader_X-Foo', 'bar'],
    ['__proto__', 'x'],
    ['Constructor', 'y'],
  ]);
  t.is((twilioRequest as unknown as Record<string, string>)['sipHeader_X-Foo'], 'bar');
  t.is(twilioRequest.params['SipHeader_X-Foo'], 'bar');
  t.is(Object.getOwnPropertyDescriptor(twilioRequest.params, '__proto__')?.value, 'x');
  t.is(twilioRequest.params.Constructor, 'y');
  t.true(twilioRequest instanceof TwilioRequest);
  t.is(twilioRequest.constructor, TwilioRequest);
});

test('camelCase(name) lower-cases the leading capitals, keeping the one that starts the next word', (t) => {
  t.is(camelCase('CallSid'), 'callSid');
  t.is(camelCase('From'), 'from');
  t.is(camelCase('MediaUrl0'), 'mediaUrl0');
  t.is(camelCase('SMSStatus'), 'smsStatus');
  t.is(camelCase('ID'), 'id');
  t.is(camelCase('from'), 'from');
});
