/**
 * The demo's urlconf: django-twilio's documented examples. The ready-made views take their
 * TwiML arguments as extra kwargs; the conference name comes from the URL.
 *
 * @module
 */
import { conference, dial, gather, message, play, record, say } from 'koa-django/twilio';
import { path } from 'koa-django/urls';
import { emailCallTranscription, inbound, index, processInput, sms, ThanksView } from './views.ts';

export const urlpatterns = [
  path('', index, 'index'),
  path('sms/', sms, 'sms'),
  path('inbound/', inbound, 'inbound'),
  path('goodbye/', say, { text: 'Adios!', voice: 'woman', language: 'es', loop: 0 }, 'goodbye'),
  path('play/', play, { url: 'https://api.twilio.com/cowbell.mp3', loop: 3 }, 'play'),
  path(
    'gather/',
    gather,
    {
      action: '/process_input/',
      method: 'GET',
      timeout: 5,
      finishOnKey: '#',
      numDigits: 10,
      say: 'Please enter your phone number, then press the pound key.',
    },
    'gather',
  ),
  path('process_input/', processInput, 'process_input'),
  path(
    'record/',
    record,
    {
      action: '/call_john/',
      playBeep: true,
      timeout: 5,
      transcribe: true,
      transcribeCallback: '/email_call_transcription/',
    },
    'record',
  ),
  path('call_john/', dial, { number: '+15005550006', timeout: 20 }, 'call_john'),
  path('email_call_transcription/', emailCallTranscription, 'email_call_transcription'),
  path('message/', message, { message: 'Thanks for the SMS. Talk to you soon!' }, 'message'),
  path('conference/<str:name>/', conference, { waitUrl: '/say_hi/', waitMethod: 'POST' }, 'conference'),
  path('say_hi/', say, { text: 'Hi! Please hold while the others join.' }, 'say_hi'),
  path('thanks/', ThanksView.asView(), 'thanks'),
];
