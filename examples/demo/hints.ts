/**
 * What `npm start` prints once the demo is built: a command to try for every webhook. It runs
 * as the index view's startup hook (`ready`), so only when the demo is served by runserver.
 *
 * @module
 */
import { parseAddrPort } from '../../src/management/commands/runserver.ts';
import { tryCommand, WEBHOOKS } from './webhooks.ts';

/**
 * The hint lines for a server started as `argv` (`process.argv`), or none when it is not
 * `runserver` (tests, `koa-django check`).
 *
 * @example
 * hints(['node', 'koa-django', 'runserver', '8001']); // ['Try the webhooks...', '  npx koa-django twilio send http://127.0.0.1:8001/sms/ ...', ...]
 */
export function hints(argv: readonly string[]): string[] {
  const at = argv.indexOf('runserver');
  if (at === -1) return [];
  const next = argv[at + 1];
  let origin = 'http://127.0.0.1:8000';
  try {
    const { host, port } = parseAddrPort(next && !next.startsWith('-') ? next : undefined);
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    origin = `http://${shown}:${port}`;
  } catch {
    // runserver itself reports a bad address.
  }
  return [
    'Forgery protection is on: every webhook needs a valid X-Twilio-Signature. From another terminal, try:',
    ...WEBHOOKS.map((hook) => `  ${tryCommand(hook, origin)}`),
    `Or open ${origin}/ for the list, and see examples/demo/README.md.`,
  ];
}
