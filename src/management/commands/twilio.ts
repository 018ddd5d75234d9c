/**
 * `koa-django twilio send URL [Name=Value ...] [--method GET|POST] [--json]`: send a request
 * signed the way Twilio signs its webhooks, with the configured auth token, and print the
 * answer. Try a `twilioView` locally without Twilio or a tunnel.
 *
 * - POST (default): the parameters are a form body, signed with the URL.
 * - GET: the parameters go in the query string; the URL alone is signed.
 * - `--json`: POST the parameters as a JSON object, signed through `bodySHA256` in the URL.
 *
 * The token is the `TWILIO_ACCOUNT_SID`/`TWILIO_AUTH_TOKEN` environment pair, else the settings
 * pair of `--settings` (or KOA_DJANGO_SETTINGS).
 *
 * @module
 */
import twilio from 'twilio';
import { defineSettings, type Settings } from '../../conf/index.ts';
import { defaultCredentials } from '../../contrib/twilio/credentials.ts';
import type { Command, CommandContext } from '../base.ts';
import { CommandError } from '../base.ts';

const USAGE = 'send URL [Name=Value ...] [--method GET|POST] [--json]';
const TIMEOUT_MS = 30_000;

/** What `send` is asked to do, parsed from the command line. */
export interface SendRequest {
  url: string;
  method: 'GET' | 'POST';
  json: boolean;
  params: [string, string][];
}

/** The request to send: where, how, and the signature header. */
export interface SignedRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/**
 * Sign `request` with `authToken` as Twilio would: a form POST over the URL and its fields, a
 * GET over the URL with the parameters in its query, a JSON POST over the URL with
 * `bodySHA256` of the body.
 *
 * @example
 * const signed = signWebhook({ url: 'http://127.0.0.1:8000/sms/', method: 'POST', json: false, params: [['Body', 'hi']] }, token);
 * await fetch(signed.url, signed);
 */
export function signWebhook(request: SendRequest, authToken: string): SignedRequest {
  const grouped: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of request.params) {
    const seen = grouped[name];
    grouped[name] = seen === undefined ? value : [seen, value].flat();
  }
  const form = new URLSearchParams(request.params).toString();
  const join = (url: string, query: string) =>
    query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;

  if (request.json) {
    const body = JSON.stringify({ ...grouped });
    const url = join(request.url, `bodySHA256=${twilio.getExpectedBodyHash(body)}`);
    return {
      url,
      method: 'POST',
      headers: signatureHeader(authToken, url, {}, 'application/json'),
      body,
    };
  }
  if (request.method === 'GET') {
    const url = join(request.url, form);
    return { url, method: 'GET', headers: signatureHeader(authToken, url, {}) };
  }
  return {
    url: request.url,
    method: 'POST',
    headers: signatureHeader(authToken, request.url, grouped, 'application/x-www-form-urlencoded'),
    body: form,
  };
}

function signatureHeader(
  token: string,
  url: string,
  params: Record<string, string | string[]>,
  contentType?: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Twilio-Signature': twilio.getExpectedTwilioSignature(token, url, params),
    'User-Agent': 'TwilioProxy/1.1 (koa-django twilio send)',
  };
  if (contentType) headers['Content-Type'] = contentType;
  return headers;
}

/**
 * Read `send`'s positional arguments and options; CommandError for anything malformed.
 *
 * @example
 * parseSend(['http://127.0.0.1:8000/sms/', 'Body=hi'], {}); // { url, method: 'POST', json: false, params: [['Body', 'hi']] }
 */
export function parseSend(args: string[], options: CommandContext['options']): SendRequest {
  const [raw, ...pairs] = args;
  if (!raw) throw new CommandError(`Give the URL to send to: koa-django twilio ${USAGE}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CommandError(
      `'${raw}' is not an absolute URL. Give the webhook's full URL, e.g. http://127.0.0.1:8000/sms/`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CommandError(`'${raw}' is not an http:// or https:// URL.`);
  }
  const method = String(options.method ?? 'POST').toUpperCase();
  if (method !== 'GET' && method !== 'POST') {
    throw new CommandError(
      `--method must be GET or POST (Twilio sends nothing else), not '${options.method}'.`,
    );
  }
  const json = options.json === true;
  if (json && method === 'GET') throw new CommandError('--json sends a body: use it with POST, not GET.');
  const params = pairs.map((pair): [string, string] => {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new CommandError(
        `Parameters are Name=Value pairs, e.g. From=+15005550006 Body=hello; got '${pair}'.`,
      );
    }
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  // The URL as fetch will send it (host lower-cased, spaces escaped, no fragment: a fragment
  // never leaves the client), which is what the server sees and what must be signed.
  url.hash = '';
  return { url: url.href, method, json, params };
}

async function authTokenFor(ctx: CommandContext): Promise<string> {
  const named = ctx.options.settings !== undefined || process.env.KOA_DJANGO_SETTINGS !== undefined;
  const settings: Settings = named ? await ctx.settings() : defineSettings({});
  const token = defaultCredentials(settings)?.authToken;
  if (!token) {
    throw new CommandError(
      'No Twilio auth token to sign with. Set the TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN environment variables, ' +
        'or pass --settings with a settings module that sets TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.',
    );
  }
  return token;
}

async function send(signed: SignedRequest): Promise<Response> {
  try {
    return await fetch(signed.url, {
      method: signed.method,
      headers: signed.headers,
      body: signed.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const code = cause?.code ?? (error as { name?: string }).name;
    const origin = new URL(signed.url).host;
    const why =
      code === 'ECONNREFUSED'
        ? `connection refused. Is the server running on ${origin}? Start it with 'npm start' or 'koa-django runserver'.`
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? `the host ${new URL(signed.url).hostname} was not found.`
          : code === 'TimeoutError'
            ? `no answer within ${TIMEOUT_MS / 1000} s.`
            : `${(error as Error).message}${cause?.code ? ` (${cause.code})` : ''}.`;
    throw new CommandError(`Could not send to ${signed.url}: ${why}`, { cause: error });
  }
}

export const twilioCommand: Command = {
  name: 'twilio',
  help: 'Twilio tools: `send URL [Name=Value ...]` sends a signed webhook request and prints the answer.',
  usage: `${USAGE}`,
  options: {
    method: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    const [sub, ...rest] = ctx.args;
    if (sub !== 'send') {
      throw new CommandError(
        `${sub ? `Unknown subcommand '${sub}'. ` : ''}Usage: koa-django twilio ${USAGE} [--settings path]`,
      );
    }
    const request = parseSend(rest, ctx.options);
    const signed = signWebhook(request, await authTokenFor(ctx));
    ctx.out(`${signed.method} ${signed.url}`);
    const response = await send(signed);
    ctx.out(`${response.status} ${response.statusText}`.trim());
    const contentType = response.headers.get('content-type');
    if (contentType) ctx.out(`Content-Type: ${contentType}`);
    const location = response.headers.get('location');
    if (location) ctx.out(`Location: ${location}`);
    const body = await response.text();
    if (body) ctx.out(`\n${body}`);
    return response.status >= 400 ? 1 : 0;
  },
};
