/** TwiML responses: twimlResponse, TwiML detection, the blacklisted replies. */
import test from 'ava';
import twilio from 'twilio';
import {
  blacklistedResponse,
  TWIML_CONTENT_TYPE,
  TwiML,
  twimlResponse,
} from '../../../src/contrib/twilio/index.ts';

test('twimlResponse(twiml) is 200 application/xml (no charset), a TwiML object with its declaration', (t) => {
  const reply = new twilio.twiml.MessagingResponse();
  reply.message('Tom & Jerry');
  const response = twimlResponse(reply);
  t.is(response.statusCode, 200);
  t.is(response.get('Content-Type'), TWIML_CONTENT_TYPE);
  t.is(TWIML_CONTENT_TYPE, 'application/xml');
  t.is(
    response.text,
    '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Tom &amp; Jerry</Message></Response>',
  );
});

test('twimlResponse(string | bytes) sends them unchanged, UTF-8 for strings', (t) => {
  t.is(
    twimlResponse('<Response><Say>café</Say></Response>').content.toString('utf8'),
    '<Response><Say>café</Say></Response>',
  );
  t.deepEqual(twimlResponse(new Uint8Array([60, 82, 47, 62])).content, Buffer.from('<R/>'));
});

test('TwiML is the base of every TwiML node: responses and the verbs they return', (t) => {
  const voice = new twilio.twiml.VoiceResponse();
  t.true(voice instanceof TwiML);
  t.true(voice.gather() instanceof TwiML);
  t.true(new twilio.twiml.MessagingResponse() instanceof TwiML);
  t.true(new twilio.twiml.FaxResponse() instanceof TwiML);
  t.false({ toString: () => '<Response/>' } instanceof TwiML);
});

test('blacklistedResponse(type) rejects a call and answers anything else with an empty <Response/>', (t) => {
  t.is(
    blacklistedResponse('voice').text,
    '<?xml version="1.0" encoding="UTF-8"?><Response><Reject/></Response>',
  );
  t.is(blacklistedResponse('message').text, '<?xml version="1.0" encoding="UTF-8"?><Response/>');
  t.is(blacklistedResponse('unknown').text, '<?xml version="1.0" encoding="UTF-8"?><Response/>');
  t.is(blacklistedResponse('voice').get('Content-Type'), 'application/xml');
  t.not(blacklistedResponse('voice'), blacklistedResponse('voice'), 'a fresh response each time');
});
