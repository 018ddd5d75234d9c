/**
 * `koa-django runserver [addr:port]`: check, build the app, serve it over HTTP, and shut down
 * gracefully on Ctrl-C / SIGTERM (stop accepting, let in-flight requests finish, close the
 * database).
 *
 * @module
 */
import { once } from 'node:events';
import http from 'node:http';
import { createApp } from '../../app.ts';
import { closeDatabase, describeDatabase, getDatabase, showMigrations } from '../../db/index.ts';
import type { Command } from '../base.ts';
import { CommandError } from '../base.ts';

const DEFAULT_ADDR = '127.0.0.1';
const DEFAULT_PORT = 8000;
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Parse Django's runserver address forms: `8000`, `0.0.0.0:8000`, `[::1]:8000`, `localhost`.
 *
 * @example
 * parseAddrPort('0.0.0.0:9000'); // { host: '0.0.0.0', port: 9000 }
 */
export function parseAddrPort(value: string | undefined): { host: string; port: number } {
  if (!value) return { host: DEFAULT_ADDR, port: DEFAULT_PORT };
  if (/^\d+$/.test(value)) return checkPort(DEFAULT_ADDR, value, value);
  const match = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(value) ?? /^([^:[\]]+)(?::(\d+))?$/.exec(value);
  if (!match) {
    throw new CommandError(
      `"${value}" is not a valid port number or address:port pair (e.g. 8000 or 0.0.0.0:8000).`,
    );
  }
  return checkPort(match[1] as string, match[2] ?? String(DEFAULT_PORT), value);
}

function checkPort(host: string, portText: string, value: string) {
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CommandError(`"${value}": port must be a number from 1 to 65535.`);
  }
  return { host, port };
}

export const runserver: Command = {
  name: 'runserver',
  help: 'Serve the app over HTTP for development (default 127.0.0.1:8000).',
  usage: '[addr:port]',
  async run({ settings: loadSettings, args, out, err }) {
    const { host, port } = parseAddrPort(args[0]);
    const settings = await loadSettings();
    out('Performing system checks...');
    const app = await createApp(settings);
    out('System check identified no issues.');

    const db = getDatabase(settings);
    try {
      const pending = (await showMigrations(db)).filter((m) => !m.applied);
      if (pending.length > 0) {
        err(
          `You have ${pending.length} unapplied migration(s). Your project may not work properly until you apply them.\nRun 'koa-django migrate' to apply them.`,
        );
      }
    } catch (error) {
      err(`Could not check migrations: ${(error as Error).message}`);
    }

    const server = http.createServer(app.callback());
    // Responses not yet sent when shutdown starts, and any request a kept-alive connection sends
    // after it, answer `Connection: close`; otherwise an idle keep-alive connection holds the
    // server open for keepAliveTimeout and is served meanwhile.
    const unsent = new Set<http.ServerResponse>();
    let draining = false;
    server.on('request', (_request: http.IncomingMessage, response: http.ServerResponse) => {
      if (draining) {
        response.shouldKeepAlive = false;
        return;
      }
      unsent.add(response);
      response.once('close', () => unsent.delete(response));
    });
    server.listen(port, host);
    try {
      await once(server, 'listening');
    } catch (error) {
      await closeDatabase(db);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') {
        throw new CommandError(
          `Port ${port} on ${host} is already in use. Stop the other server or pick another port: koa-django runserver ${port + 1}`,
        );
      }
      throw new CommandError(`Could not listen on ${host}:${port}: ${(error as Error).message}`);
    }
    const shown = host.includes(':') ? `[${host}]` : host;
    out(`Database: ${describeDatabase(settings)}`);
    out(`Starting development server at http://${shown}:${port}/`);
    out('Quit the server with CONTROL-C.');

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    out(`\n${signal}: finishing in-flight requests...`);
    draining = true;
    for (const response of unsent) if (!response.headersSent) response.shouldKeepAlive = false;
    server.close();
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
    await once(server, 'close');
    clearTimeout(timer);
    await closeDatabase(db);
    return 0;
  },
};
