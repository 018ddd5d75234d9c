import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import twilio from 'twilio';
import { defineSettings } from '../../../src/conf/index.ts';
import { twilioClient } from '../../../src/contrib/twilio/client.ts';
import { ImproperlyConfigured } from '../../../src/exceptions.ts';

type RequestOptions<TData> = Parameters<twilio.RequestClient['request']>[0] & { data?: TData };

// These tests change process.env: one at a time.
const serial = test.serial;

const SID = 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';
const TOKEN = 'YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY';
const settings = defineSettings({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN });

function withoutEnvCredentials(t: { teardown: (fn: () => void) => void }): void {
  const saved = { sid: process.env.TWILIO_ACCOUNT_SID, token: process.env.TWILIO_AUTH_TOKEN };
  delete process.env.TWILIO_ACCOUNT_SID;
  delete process.env.TWILIO_AUTH_TOKEN;
  t.teardown(() => {
    if (saved.sid !== undefined) process.env.TWILIO_ACCOUNT_SID = saved.sid;
    if (saved.token !== undefined) process.env.TWILIO_AUTH_TOKEN = saved.token;
  });
}

interface Seen {
  method: string;
  url: string;
  authorization: string;
  body: string;
}

/** A fake api.twilio.com on 127.0.0.1 (twilio-node reference §3.2), recording what it is sent. */
async function fakeTwilio(t: { teardown: (fn: () => Promise<void>) => void }, status = 201) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization ?? '',
        body,
      });
      res.writeHead(status, { 'content-type': 'application/json' });
      const form = new URLSearchParams(body);
      res.end(
        JSON.stringify(
          status < 400
            ? {
                sid: 'SM00000000000000000000000000000001',
                account_sid: SID,
                to: form.get('To'),
                from: form.get('From'),
                body: form.get('Body'),
                status: 'queued',
                date_created: 'Thu, 03 Dec 2026 12:00:00 +0000',
              }
            : { code: 21211, message: "The 'To' number is not a valid phone number.", status, more_info: '' },
        ),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;

  /** twilio's own HTTP client, sending every request to the fake server instead of Twilio. */
  class LocalRequestClient extends twilio.RequestClient {
    override request<TData>(opts: RequestOptions<TData>) {
      const uri = new URL(opts.uri);
      return super.request<TData>({ ...opts, uri: `http://127.0.0.1:${port}${uri.pathname}${uri.search}` });
    }
  }
  return { seen, httpClient: new LocalRequestClient() };
}

// upstream test 37 (test_twilio_client_exists)
serial('twilioClient(settings) is a twilio REST client', async (t) => {
  withoutEnvCredentials(t);
  t.true((await twilioClient(settings)) instanceof twilio.Twilio);
});

// upstream test 38 (test_twilio_client_sets_credentials)
serial('twilioClient(settings) authenticates with the settings pair', async (t) => {
  withoutEnvCredentials(t);
  const client = await twilioClient(settings);
  t.is(client.username, SID);
  t.is(client.password, TOKEN);
  t.is(client.accountSid, SID);
});

serial('twilioClient(settings) uses the environment pair when both variables are set', async (t) => {
  withoutEnvCredentials(t);
  process.env.TWILIO_ACCOUNT_SID = 'ACenvironment0000000000000000000000';
  process.env.TWILIO_AUTH_TOKEN = 'envtoken';
  const client = await twilioClient(settings);
  t.is(client.username, 'ACenvironment0000000000000000000000');
  t.is(client.password, 'envtoken');
});

serial('twilioClient(settings) reuses one client per credentials', async (t) => {
  withoutEnvCredentials(t);
  t.is(await twilioClient(settings), await twilioClient(settings));
  const other = defineSettings({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'another' });
  t.not(await twilioClient(other), await twilioClient(settings));
});

serial('twilioClient(settings) without credentials throws ImproperlyConfigured', async (t) => {
  withoutEnvCredentials(t);
  await t.throwsAsync(twilioClient(defineSettings({})), {
    instanceOf: ImproperlyConfigured,
    message: /TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN/,
  });
});

serial(
  'twilioClient(settings, undefined, { httpClient }).messages.create() sends the discovered credentials',
  async (t) => {
    withoutEnvCredentials(t);
    const { seen, httpClient } = await fakeTwilio(t);
    const client = await twilioClient(settings, undefined, { httpClient });
    const message = await client.messages.create({ to: '+15005550006', from: '+15005550001', body: 'Hello' });
    t.is(message.sid, 'SM00000000000000000000000000000001');
    t.is(message.status, 'queued');
    t.true(message.dateCreated instanceof Date);
    t.is(seen.length, 1);
    t.is(seen[0]?.method, 'POST');
    t.is(seen[0]?.url, `/2010-04-01/Accounts/${SID}/Messages.json`);
    t.is(seen[0]?.authorization, `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    t.deepEqual(Object.fromEntries(new URLSearchParams(seen[0]?.body)), {
      To: '+15005550006',
      From: '+15005550001',
      Body: 'Hello',
    });
  },
);

serial(
  'twilioClient(settings, undefined, { httpClient }) reports a Twilio error as a RestException',
  async (t) => {
    withoutEnvCredentials(t);
    const { httpClient } = await fakeTwilio(t, 400);
    const client = await twilioClient(settings, undefined, { httpClient });
    const error = await t.throwsAsync(
      client.messages.create({ to: 'nope', from: '+15005550001', body: 'x' }),
    );
    t.true(error instanceof twilio.RestException);
    t.is((error as unknown as { code: number }).code, 21211);
    t.is((error as unknown as { status: number }).status, 400);
  },
);
