/**
 * An in-process test client (Django's `Client`): requests go through the real Koa app and the
 * whole koa-django pipeline, without a socket (light-my-request, Fastify's `inject`). Cookies
 * set by responses are kept and sent back, as a browser would.
 */
import type Koa from 'koa';
import { inject, type Response } from 'light-my-request';
import { createApp } from '../../src/app.ts';
import { defineSettings, type Settings, type SettingsInput } from '../../src/conf/index.ts';

export interface ClientResponse {
  status: number;
  statusMessage: string;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | number | undefined>;
  body: Buffer;
  text: string;
  json<T = unknown>(): T;
  /** Every Set-Cookie header, as sent. */
  setCookies: string[];
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Raw body; objects are form-encoded unless `contentType` says JSON. */
  body?: string | Buffer | Record<string, string | string[]>;
  contentType?: string;
}

/** Test settings: a secret key and the `testserver` host the client sends. */
export function testSettings(overrides: SettingsInput & Record<string, unknown> = {}): Settings {
  return defineSettings({
    SECRET_KEY: 'test-secret-key-'.padEnd(60, 'x'),
    ALLOWED_HOSTS: ['testserver'],
    ...overrides,
  });
}

export class Client {
  readonly app: Koa;
  /** Cookies the client will send, as a browser keeps them. */
  readonly cookies = new Map<string, string>();
  readonly #callback: ReturnType<Koa['callback']>;

  constructor(app: Koa) {
    this.app = app;
    this.#callback = app.callback();
  }

  /** A client over `createApp(settings)`. */
  static async create(settings: Settings): Promise<Client> {
    return new Client(await createApp(settings));
  }

  get(path: string, options: RequestOptions = {}): Promise<ClientResponse> {
    return this.request('GET', path, options);
  }

  post(path: string, body?: RequestOptions['body'], options: RequestOptions = {}): Promise<ClientResponse> {
    return this.request('POST', path, { ...options, body });
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ClientResponse> {
    const headers: Record<string, string> = { host: 'testserver', ...lower(options.headers ?? {}) };
    if (this.cookies.size > 0 && !headers.cookie) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    let payload: string | Buffer | undefined;
    if (options.body === undefined || typeof options.body === 'string' || Buffer.isBuffer(options.body)) {
      payload = options.body;
      if (options.contentType) headers['content-type'] = options.contentType;
    } else if (options.contentType?.startsWith('application/json')) {
      payload = JSON.stringify(options.body);
      headers['content-type'] = options.contentType;
    } else {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(options.body)) for (const item of [v].flat()) form.append(k, item);
      payload = form.toString();
      headers['content-type'] = options.contentType ?? 'application/x-www-form-urlencoded';
    }
    const res: Response = await inject(this.#callback, {
      method: method as 'GET',
      url: path,
      headers,
      payload,
    });
    const setCookies = [res.headers['set-cookie'] ?? []].flat().map(String);
    for (const line of setCookies) this.#remember(line);
    return {
      status: res.statusCode,
      statusMessage: res.statusMessage,
      headers: res.headers as ClientResponse['headers'],
      body: res.rawPayload,
      text: res.payload,
      json: <T>() => JSON.parse(res.payload) as T,
      setCookies,
    };
  }

  #remember(setCookie: string): void {
    const [pair = '', ...attributes] = setCookie.split(';');
    const eq = pair.indexOf('=');
    if (eq < 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
    if (expired) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
