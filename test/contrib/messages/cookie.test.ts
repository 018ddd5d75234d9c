import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import test from 'ava';
import fc from 'fast-check';
import { defineSettings, type SettingsInput } from '../../../src/conf/index.ts';
import * as messages from '../../../src/contrib/messages/index.ts';
import { CookieStorage, Message, MessageMiddleware } from '../../../src/contrib/messages/index.ts';
import { HttpResponse } from '../../../src/http/index.ts';
import { HttpRequest } from '../../../src/http/request.ts';
import { getCookieSigner, type TimestampSigner } from '../../../src/signing.ts';
import { path } from '../../../src/urls/index.ts';
import { Client, testSettings } from '../../helpers/client.ts';
import { runMessageStorageTests } from './contract.ts';

runMessageStorageTests({
  name: 'cookie',
  storage: 'cookie',
  sessionEngine: () => 'signed_cookies',
  unbounded: false,
});

// Vectors made with Django 5.2.17: SECRET_KEY django-insecure-test-key, time.time() = 123456789.
const djangoSettings = defineSettings({ SECRET_KEY: 'django-insecure-test-key' });
const DJANGO_THREE =
  '.eJyLjlaKj88qzs-Lz00tLk5MT1XSMdAxMtBRykjNyclXyMxLy1fSUVKK1cGqzlRHqTKxEqggtaKkKBGHKmOgquTS4pL8XIWc1LLUHLB5sQBW7ybM:8M0kX:ug2Yum8oIOXtFOnUrKxr_9sQNDvbAqCbo5CHX_OiEFs';
const DJANGO_UNICODE =
  'W1siX19qc29uX21lc3NhZ2UiLDAsMjAsImhcdTAwZTlsbG8gXHVkODNkXHVkZTAwIl1d:8M0kX:rZIatiTVanxDbZxv59ItQ6uCsGXchXCUqpxNS7TvRac';
// 40 messages `m<i>-<sha256(i) hex>`: Django's _store(..., remove_oldest=False) keeps m0..m34 and
// the sentinel (remove_oldest=True keeps m5..m39).
const DJANGO_BIG_KEEP_NEWEST =
  '.eJyFV82OLTcKfpde35IMBmyeJYpaBsNMRsrN4s77K9_RZDuqXrTUdboMhu_v_Pbb1_f3f3799fP7z_r16_yrvn6MHzx-fP2pTzVf4nVrrnDhOOcOI9FSiZFGfqiZJ6_gisiOyrVb1eR0Tb9fP76-fv_xfwvYU6stB9FaVvvGyjvnCBVa0ndZrzuYLIx47nW0GzU2lfVwctvzpcB6lg829yjh3GeXWEeE6KDFprRqWzCn2qHtvYz12D3iY1OwKL0U2A-nsWAEeS8z7kHsclFj0jh5xhhn3LaTOwz3cLs-qof1rQ6M6e0G_pArbvxZwsq6Y3RTlo7gIaswE1u5LCjjVJwoxemzV07cMEJjvRSg8cgRuUk6TXDo2aNrj_IxXVQzycbmTZvxnDGUplKe89yy03SvvlWgRzo3XrVTGbIub9spGEBN3G1NPhOXi0xLxtPJwzixgYXhaVXstwr8WChdmXRb72oSzKOyMnt53Z73bqOcIcO8RxCZEYpWn4w4Tq8V5jP7xpnaA7NC98a-Ld0ZsN9LFQ90Ec2x-PhwTI17laxR_1vfawV5tvI62_HfLDTNFbsGsA4TA7GRPhvdR-zxuQpV1D2Jd5a2e9kbVgl8Rtd9TH1fTH3ZBlDAg5AwFNk4BwdvnVg9gIu5MFAEWhp-77jxVsGeAKXaLnkCmuix9gwfK9VV2W5-2h52YzMQbTqu3nvG8ZasndffKqxHAD6V0aRD8tKiMVL21NoAOzZ6xZ1IgeJd3T3U_exm9FEWXm-Eo_1IpeOtTh4TBeyASyAHsAnVOeSRn02pB6vGNVBjg-wQGO26JOetgj8u4DEEBijFSQDsmXfW-UBxqi5oEZa7DnYvgBBlg9aSGpJnQaTeOM3jac0zsV7Zh67V6c-aN5rs0KU5c1HThgBtkvnRis23aN7D13nw26aZHmugBsJMrKAsVA7kvrzcb18QI9nhGFBxHNceE3TGkDip4-4WedsD87MAyAlHKShCwxZ85B1wgGm67tw74AfCvprbF1m3WTk0NgdAdccblng-Cj5ju3cV4xWMx_uz6bV8TaAAsmc09gWc7gHcIC2rISK0FXeAtbxVkCcBVoPolF-q5XmcZa6NKnCy6JArAoMjMPgKHZjHCAiNWeokf2Uc6xMfD9hrJpqDG6eIXYgHzMUFQzM9Sy0OFKgxJlyKIgweDcte6O11SvZ8ZEFOjJ0nl-gq8AvqOWCmKAKxHqs-myU9HzDdFeW7UAt-IoDsW4X12BoGmF9fMoTUmA0W99lC84kNgN45YNPHrQZ0EFJ0PzaRGNnN028V9qNe5KhyYRPTgRRodSIBfMZWAdOmhG97qOIviXsWBAlKb9Mu2P96B3-m0tRzjiV2DhWH12TMxrKxykMgNZIU08iyUSANvGnMApw_xBF984c5HgSNsJG606HGiA-IAhsmxCAcIM9w5ADVBVhdwBwMm8ISPrKz4B3yVoEe3L3mLAQlvOkrlm7V0xadNzLgFhG3vF0cDl1onAq0aaZWEORtD5OfYoc20EZ6hFbEiIEF30_6gqmtHIKskS3bKgfc8GCmBO1r0F2A2zc-zPmk9YQtLhc54JB8VGM6YiC0Y-GHtJGi9GP9DhADa1dbGU-QRbe_Tgk-_QEnDjbdEMBJMPwaAeHWfbcg0IKAABCECZ4HyOrqGvgQao5e6nVK-kCGZCCK9him8WEaFGoiYkN8_APgUxtWAxWca3pBB-fm1dBhm-L6pq3THriajr1h64iTDHjAAhBieGNS58IUkJsK_sQwncmkiREJcjkuMia_qsZE8j5GoXMBhPXB-CiYcwMyCVaTFI_PpxHw6YCt3gXHANnAOPAf1vpWYT-noKaEhCQIe0iXE4E0ObAAgttDohEtkQWXA59oAcSxz7hscY9GMnur4A88B18LZF5830BT-XFmFvgLWAGOT1khXXGB3IbAswoC5gW4S6Rm_zMlFPjn7F8___pv__Hzj1__rvv9_fX73-G5wGY:8M0kX:WFsL3KPS6BUyGDvfmYJWoR19ODvMaImEgaBgbBz2LHY';
const DJANGO_BIG_KEEP_OLDEST =
  '.eJyFV0muJLkNvUutKwCR4iCexTAKoih6ANxelO8Pv0B7a8Tf_cgMUSTflH_5y49fv_75-99__PrX_f17_-3--Dl-8vj541_j0b7npln3WdZzVSj7smNlYcfjcOXhGVVyg1LMOcrnZu9Uv_Hj548ff_35fwvQY7ks2Wf3lD6XovBkyO3WPVtdfNeWuzdzU0mcQVe5Kn25puRHAX5KfOrFjUwv2b134NhwWhmpNeYgnOm10o5Sx6g9txm-eGjunPpRYD5yh8tYapy3EueMc4ceqnsadYssnXmOMK87qE1G-hUMKiXQ8kcBeSSZHX8lVdTH6FivJS3LhGpwShFTza7J6-RYqTrxxX1qZ6_9UUCf24wTcLvpGcK5dw0j0auSA_ViU6MD9uSbeTrv8dWqJhsdRn0UsOd6GxZH7nYXVndqzpEq5NLl1o4uMCYjnsu3Amydi671CApb86OAPx6DLSKv8Fl7XbHOTNFBjr2T3xdkfNQ2rWg31m2AVYxFyaL0UWA9fIwFIzhVzOiDOKRQY9LYZ48x9qi2fbB-9BFWMW4P67qdGNNXB_FQKDp-l-Dn1hjddK6O5CF-MRPz45Z0ct_ceRWnz_YD-Hqmpn8RbTyyReqQThMcutfou8aNMUNUzyEbixctxnPGUPrl2QR-r20wr76IQPSAwAuv2r4nxYuXrQMm553ozSfviebyHDuMp5OH8cEGHMPTe3N9VWCohUIEJlVreZNgHtCnc9rjVs-qBXbMlGHRI4nMCEVv75O5gz4rzAcsyj21B2aF2xsH1C6CAXsIjuKBOtEczjtGYGrcL5nH_XN9nxXkWVDQvQLfZqFpodg1gLWZwGTNE7Nx-4QKvq3Qharsg3dcO-LaF1YJfMate5vGghSz2wJQwAOopaHIwjk4eOnE6gFczIWBItDS6NXB-tJUsidBqbaCdAKauONdM2P40VBlq_NeexjUEMpVpqO0ao8dLeeuU5-24I8AfCqjSYecIqcxjiwo-QLYsVFYQRApULzgFT00Yq9m3ONaxv0iHC3o9gm81YfHRAHb4BLIAWxCdTZFnndTGsmqWQZqLJAdAgNPLJIvWaV4QsBjCAxQipMA2D1r3v1Ccao6tAjL9Y3dCyBEsAu9cuBqZztE6ovTPJ7WsyfWK2tT2d39rnnhkq_76pnHqQk2sRfJfLVicV2atbmC4RxfFeDPDdRAmIkVlIXKgdzFHlFdIMbhgGNAxXFcR07QGUPiQ521WuRrD8yPA5ATjnKhCA1biHFqwAGmqddccLNu4fDmhm0jicCcAxp7BkBV4wtLPB8Fn7Hd8st4BeOJfjftHj6BAsie0VgFONUG3CAt3hARWooeYC1fFeRBBFKD6NwoukhFO1imL1SBk2XDoUVgcMgXUUIb5jESQmPIHBOR53MP-uTrAcvnweXgxkfECuIBcwnB0Ey3qyVy12qMCU1RpsGjYdnIP_Y5JXteWZCN-IDg4PKGNyKo54CZogjEevh9N0u6XzCV5411UQt-IoDsVwV_zIcB5hXIS0IITGywuHcLzTsXAFpzwKZ32B3QQUhRvTZxMLI6u78qrEcDCRJVCjYxA0iBVh8kgHdsN2HadODbCH6K_yRrOwQJSm_TCuz_7CGeqTR1720HO19v5B0nZ2PZWOUmkBpJigkZ0MYFaeBNY17A-SWO6Jc_zPEgaLwZUtcJqDHiA6LAggkxCAfIMxw5QXUBVh2Yg2ETsit8ZJ0L75CvCvSg9zvnRVDCm-HpulR3W_ZBmk-4RWbd6JCAQ19cnC5o00wI5bCrrwr8XA5oAy2kR2hFjhxYcL3pC6bmZyAv83kD7D0DbrgxU4L24QfGEuD2iw9zPsjAE7boIbLBIXlVYwZiILTjDcukjRSlr_UHQAyslbYyniCLrvicEnz6BScONl0QwEkw_Dvwg0B1FdL3-xsIQgr0gmX4DGrVyP3YwgYkkPv-rIAC_zv79x___k__449__P77rV-_fvz1v9Kkwyg:8M0kX:OkRaHcXVh_UvGQcbhwdNBC_OyV_c4dmE9bHyd7ioLaw';
const bigText = (i: number) => `m${i}-${createHash('sha256').update(String(i)).digest('hex')}`;

class FrozenCookieStorage extends CookieStorage {
  protected override createSigner(): TimestampSigner {
    return getCookieSigner(this.request.settings, {
      salt: 'django.contrib.messages',
      clock: () => 123456789,
    });
  }
}

function requestWith(cookies: Record<string, string> = {}, settings = djangoSettings): HttpRequest {
  const request = new HttpRequest({ settings, method: 'GET', path: '/' });
  request.COOKIES = cookies;
  return request;
}

/** The JSON inside a messages cookie value (inflated when compressed). */
function payload(value: string): string {
  const data = Buffer.from(value.replace(/^\./, '').split(':')[0] ?? '', 'base64url');
  return (value.startsWith('.') ? inflateSync(data) : data).toString('latin1');
}

test('CookieStorage#storeMessages(messages, response) writes the cookie Django writes (same JSON, signer and attributes)', (t) => {
  const storage = new FrozenCookieStorage(requestWith());
  const response = new HttpResponse('');
  storage.storeMessages(
    [new Message(20, 'hello info', ''), new Message(25, 'yay', 'extra'), new Message(35, 'custom level', '')],
    response,
  );
  const morsel = response.cookies.get('messages');
  t.regex(
    morsel?.outputString() ?? '',
    /^messages=\.[\w-]+:8M0kX:[\w-]{43}; HttpOnly; Path=\/; SameSite=Lax$/,
  );
  // Compressed bytes depend on the zlib build (Node's differs from Python's): the JSON must not.
  t.is(payload(morsel?.value ?? ''), payload(DJANGO_THREE));
  t.is(
    payload(DJANGO_THREE),
    '[["__json_message",0,20,"hello info",""],["__json_message",0,25,"yay","extra"],["__json_message",0,35,"custom level",""]]',
  );
  // Uncompressed, the cookie is Django's byte for byte.
  const unicode = new HttpResponse('');
  new FrozenCookieStorage(requestWith()).storeMessages([new Message(20, 'héllo 😀', null)], unicode);
  t.is(unicode.cookies.get('messages')?.value, DJANGO_UNICODE);
});

test('CookieStorage reads a messages cookie Django wrote', (t) => {
  const storage = new CookieStorage(requestWith({ messages: DJANGO_THREE }));
  t.deepEqual(
    [...storage].map((m) => [m.level, m.message, m.extraTags, m.tags]),
    [
      [20, 'hello info', '', 'info'],
      [25, 'yay', 'extra', 'extra success'],
      [35, 'custom level', '', ''],
    ],
  );
});

test('CookieStorage#storeMessages(messages, response) keeps the cookie under 2048 bytes, dropping the oldest (or, removeOldest false, the newest)', (t) => {
  const big = Array.from({ length: 40 }, (_, i) => new Message(20, bigText(i), ''));
  const texts = big.map((m) => m.message);
  const newest = new HttpResponse('');
  const unstored = new FrozenCookieStorage(requestWith()).storeMessages(big, newest, true);
  const kept = newest.cookies.get('messages')?.value ?? '';
  t.true(kept.length <= 2048 && kept.length > 1900, String(kept.length));
  t.true(unstored.length > 0);
  t.deepEqual(
    unstored.map((m) => m.message),
    texts.slice(0, unstored.length),
  );
  t.deepEqual(JSON.parse(payload(kept)), [
    ...big.slice(unstored.length).map((m) => m.toJSON()),
    '__messagesnotfinished__',
  ]);
  const oldest = new HttpResponse('');
  const rest = new FrozenCookieStorage(requestWith()).storeMessages(big, oldest, false);
  t.deepEqual(
    rest.map((m) => m.message),
    texts.slice(40 - rest.length),
  );
  t.deepEqual(
    JSON.parse(payload(oldest.cookies.get('messages')?.value ?? '')).at(-1),
    '__messagesnotfinished__',
  );
  // Django's zlib compresses these a little less well: it fitted 35 where we fit more.
  t.true(unstored.length <= 5 && rest.length <= 5);
});

test('CookieStorage#loadMessages() of a partial cookie Django wrote says not all were retrieved (the "__messagesnotfinished__" sentinel)', (t) => {
  const [loaded, allRetrieved] = new CookieStorage(
    requestWith({ messages: DJANGO_BIG_KEEP_OLDEST }),
  ).loadMessages();
  t.false(allRetrieved);
  t.deepEqual(
    loaded?.map((m) => m.message),
    Array.from({ length: 35 }, (_, i) => bigText(i)),
  );
  const [newest] = new CookieStorage(requestWith({ messages: DJANGO_BIG_KEEP_NEWEST })).loadMessages();
  t.deepEqual(
    newest?.map((m) => m.message),
    Array.from({ length: 35 }, (_, i) => bigText(i + 5)),
  );
  const [full, all] = new CookieStorage(requestWith({ messages: DJANGO_THREE })).loadMessages();
  t.true(all);
  t.is(full?.length, 3);
});

test('CookieStorage: a cookie signed for another purpose, key or salt is refused and deleted on the way out', (t) => {
  const key = djangoSettings.SECRET_KEY;
  const payload = [['__json_message', 0, 20, 'forged', '']];
  for (const forged of [
    getCookieSigner(djangoSettings, { salt: 'django.core.signing.get_cookie_signer' }).signObject(payload),
    getCookieSigner({ SECRET_KEY: 'someone-else' }, { salt: 'django.contrib.messages' }).signObject(payload),
    getCookieSigner(djangoSettings, { salt: 'django.http.cookies.v2:0:messages' }).signObject(payload),
    `${key}:${key}`,
  ]) {
    const storage = new CookieStorage(requestWith({ messages: forged }));
    t.deepEqual([...storage], [], forged);
    const response = new HttpResponse('');
    storage.update(response);
    t.is(
      response.cookies.get('messages')?.outputString(),
      'messages=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax',
    );
  }
});

test('CookieStorage: messages cookies signed before SECRET_KEY was rotated stay readable through SECRET_KEY_FALLBACKS', (t) => {
  const rotated = defineSettings({
    SECRET_KEY: 'the-new-key',
    SECRET_KEY_FALLBACKS: ['django-insecure-test-key'],
  });
  t.is([...new CookieStorage(requestWith({ messages: DJANGO_THREE }, rotated))].length, 3);
  const unrotated = defineSettings({ SECRET_KEY: 'the-new-key' });
  t.is([...new CookieStorage(requestWith({ messages: DJANGO_THREE }, unrotated))].length, 0);
});

type Mutation = { kind: 'flip' | 'insert' | 'delete'; at: number; char: string };
const mutation = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('flip', 'insert', 'delete'),
  at: fc.nat(),
  char: fc.oneof(
    fc.constantFrom(':', '.', '-', '_', '=', 'A', 'a', '0'),
    fc.string({ minLength: 1, maxLength: 1 }),
  ),
});

/** A change that always alters `text`. */
function mutate(text: string, { kind, at, char }: Mutation): string {
  const i = at % (kind === 'insert' ? text.length + 1 : text.length);
  if (kind === 'insert') return text.slice(0, i) + char + text.slice(i);
  if (kind === 'delete') return text.slice(0, i) + text.slice(i + 1);
  const replacement = char === text[i] ? (char === 'x' ? 'y' : 'x') : char;
  return text.slice(0, i) + replacement + text.slice(i + 1);
}

test('CookieStorage: any flipped, inserted or deleted character in a messages cookie is rejected (property)', (t) => {
  const settings = defineSettings({ SECRET_KEY: 'property-test-key'.padEnd(50, 'p') });
  const message = fc.record({
    level: fc.constantFrom(10, 20, 25, 30, 40, 35),
    text: fc.string({ minLength: 1, maxLength: 60 }),
    extra: fc.oneof(fc.constant(''), fc.string({ maxLength: 10 })),
  });
  fc.assert(
    fc.property(fc.array(message, { minLength: 1, maxLength: 8 }), mutation, (items, m) => {
      const response = new HttpResponse('');
      new CookieStorage(requestWith({}, settings)).storeMessages(
        items.map((i) => new Message(i.level, i.text, i.extra)),
        response,
      );
      const value = response.cookies.get('messages')?.value ?? '';
      const good = [...new CookieStorage(requestWith({ messages: value }, settings))];
      const storage = new CookieStorage(requestWith({ messages: mutate(value, m) }, settings));
      return good.length === items.length && [...storage].length === 0 && storage.used;
    }),
  );
  t.pass();
});

// --- through the pipeline ------------------------------------------------------------------------

const app = (overrides: SettingsInput = {}) =>
  Client.create(
    testSettings({
      MIDDLEWARE: [MessageMiddleware],
      MESSAGE_STORAGE: 'cookie',
      ROOT_URLCONF: {
        urlpatterns: [
          path('add/', async (request: HttpRequest) => {
            messages.info(request, 'hello info');
            return new HttpResponse('added');
          }),
          path('many/', async (request: HttpRequest) => {
            for (let i = 0; i < 40; i++) messages.info(request, bigText(i));
            return new HttpResponse('added');
          }),
          path(
            'show/',
            async (request: HttpRequest) => new HttpResponse([...messages.getMessages(request)].join('|')),
          ),
        ],
      },
      ...overrides,
    }),
  );

test("MESSAGE_STORAGE 'cookie' sends Django's cookie attributes, and deletes the cookie once the messages are shown", async (t) => {
  const client = await app({ SESSION_COOKIE_SECURE: true, SESSION_COOKIE_DOMAIN: '.testserver' });
  const added = await client.get('/add/');
  t.regex(
    added.setCookies[0] ?? '',
    /^messages=[\w.:-]+; Domain=\.testserver; HttpOnly; Path=\/; SameSite=Lax; Secure$/,
  );
  const shown = await client.get('/show/');
  t.is(shown.text, 'hello info');
  t.deepEqual(shown.setCookies, [
    'messages=""; Domain=.testserver; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax',
  ]);
});

test("MESSAGE_STORAGE 'cookie' needs no SessionMiddleware, and drops the oldest messages that do not fit", async (t) => {
  const client = await app();
  await client.get('/many/');
  const shown = (await client.get('/show/')).text.split('|');
  t.true(shown.length >= 35 && shown.length < 40, String(shown.length));
  t.deepEqual(shown, Array.from({ length: 40 }, (_, i) => bigText(i)).slice(40 - shown.length));
});

test("MESSAGE_STORAGE 'cookie' with DEBUG: messages that do not fit are a MessageFailure (500), as Django's ValueError", async (t) => {
  const client = await app({ DEBUG: true });
  const response = await client.get('/many/');
  t.is(response.status, 500);
  t.regex(response.text, /Not all temporary messages could be stored: \d did not fit in CookieStorage/);
});
