/**
 * Hosting the pipeline on Koa: `createApp(settings)` gives a Koa application that serves
 * everything through koa-django; `djangoMiddleware(settings)` gives the same thing as one Koa
 * middleware to mount inside an existing Koa app.
 *
 * Both are async because startup does real work once: the settings are checked, strings in
 * settings are imported, the urlconf is compiled and the middleware chain is built. Anything
 * misconfigured throws `ImproperlyConfigured` here, never on the first request.
 *
 * @module
 */
import Koa from 'koa';
import {
  type Check,
  checkSettings,
  formatCheckMessages,
  registeredChecks,
  type Settings,
} from './conf/index.ts';
import { ImproperlyConfigured } from './exceptions.ts';
import { BaseHandler } from './handlers/base.ts';
import { type KoaHandlerOptions, koaAppHandler, koaHandler } from './handlers/koa.ts';
import { getLogger } from './utils/log.ts';

export type DjangoMiddlewareOptions = KoaHandlerOptions;

/**
 * The koa-django pipeline as one Koa middleware.
 *
 * @example
 * const app = new Koa();
 * app.use(someKoaLogger());
 * app.use(await djangoMiddleware(settings, { prefix: '/twilio' })); // other paths fall through
 * app.use((ctx) => { ctx.body = 'the rest of the Koa app' });
 */
export async function djangoMiddleware(
  settings: Settings,
  options: DjangoMiddlewareOptions = {},
): Promise<Koa.Middleware> {
  return buildMiddleware(settings, options, koaHandler);
}

async function buildMiddleware(
  settings: Settings,
  options: DjangoMiddlewareOptions,
  host: typeof koaHandler,
): Promise<Koa.Middleware> {
  const before = registeredChecks();
  await runChecks(settings);
  const handler = new BaseHandler(settings);
  await handler.loadMiddleware();
  // The urlconf and middleware named by strings were imported just now; checks they registered
  // (templates, sessions, twilio...) run before the first request too.
  await runChecks(settings, before);
  return host(settings, (request) => handler.getResponse(request), options);
}

/**
 * A Koa application serving every request through koa-django.
 *
 * @example
 * import { createApp } from 'koa-django';
 * import settings from './settings.ts';
 * const app = await createApp(settings);
 * app.listen(8000);
 */
export async function createApp(settings: Settings, options: DjangoMiddlewareOptions = {}): Promise<Koa> {
  // `proxy` stays off: which X-Forwarded-* headers to trust is decided by Django's settings
  // (USE_X_FORWARDED_HOST, USE_X_FORWARDED_PORT, SECURE_PROXY_SSL_HEADER), not by Koa.
  const app = new Koa({ proxy: false });
  // The app's own host writes plain responses straight to Node (see koaAppHandler).
  app.use(await buildMiddleware(settings, options, koaAppHandler));
  app.silent = true;
  app.on('error', (error: unknown) =>
    getLogger('koa-django.server').error('Unhandled error in Koa', {}, error),
  );
  return app;
}

async function runChecks(settings: Settings, except?: readonly Check[]): Promise<void> {
  const messages = await checkSettings(settings, { except });
  const errors = messages.filter((m) => m.level === 'error');
  const log = getLogger('koa-django.checks');
  for (const warning of messages.filter((m) => m.level === 'warning')) {
    log.warning(`${warning.id}: ${warning.message}${warning.hint ? ` HINT: ${warning.hint}` : ''}`);
  }
  if (errors.length > 0) throw new ImproperlyConfigured(formatCheckMessages(errors));
}
