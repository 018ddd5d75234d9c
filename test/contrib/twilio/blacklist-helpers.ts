/**
 * Shared by the blacklist tests: waiting for something that happens asynchronously (a NOTIFY,
 * a reconnection) with a deadline instead of a fixed sleep.
 */
import { connect, createServer, type Socket } from 'node:net';

/**
 * Poll `condition` every 10 ms until it holds (true) or `deadlineMs` passes (false).
 *
 * @example
 * t.true(await eventually(() => blacklist.isBlacklisted('+15005550001')));
 */
export async function eventually(condition: () => boolean, deadlineMs = 15_000): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}

/** A TCP proxy in front of the PostgreSQL server, to take "the database" away and give it back. */
export interface DatabaseProxy {
  /** `DATABASE_URL` through the proxy. */
  url: string;
  /** Forward everything (the default). */
  up(): void;
  /** Refuse new connections at once; open ones keep working. */
  refuseNew(): void;
  /** The server is gone: cut every open connection and refuse new ones. */
  down(): void;
  /** A network partition: open connections go silent (nothing forwarded, nothing closed), new ones hang. */
  freeze(): void;
  close(): Promise<void>;
}

/**
 * Start a proxy to the server of `databaseUrl` on 127.0.0.1 and a free port.
 *
 * @example
 * const proxy = await databaseProxy(db.settings.DATABASE_URL);
 * t.teardown(proxy.close);
 * proxy.down();
 */
export async function databaseProxy(databaseUrl: string): Promise<DatabaseProxy> {
  const target = new URL(databaseUrl);
  const targetPort = Number(target.port || 5432);
  let mode: 'up' | 'refuse' | 'freeze' = 'up';
  type Pair = { client: Socket; upstream: Socket | null; frozen: boolean };
  const pairs = new Set<Pair>();
  const server = createServer((client) => {
    client.on('error', () => {});
    if (mode === 'refuse') {
      client.destroy();
      return;
    }
    const pair: Pair = { client, upstream: null, frozen: false };
    pairs.add(pair);
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (mode === 'freeze') {
      pair.frozen = true;
      client.pause();
      return;
    }
    const upstream = connect(targetPort, target.hostname);
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address() as { port: number };
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  return {
    url: url.href,
    up() {
      mode = 'up';
      // Connections that went silent are dead to their clients by now: end them.
      for (const pair of pairs) {
        if (!pair.frozen) continue;
        pair.client.destroy();
        pair.upstream?.destroy();
      }
    },
    refuseNew() {
      mode = 'refuse';
    },
    down() {
      mode = 'refuse';
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
    },
    freeze() {
      mode = 'freeze';
      for (const pair of pairs) {
        pair.frozen = true;
        pair.client.unpipe();
        pair.upstream?.unpipe();
        pair.client.pause();
        pair.upstream?.pause();
      }
    },
    async close() {
      mode = 'refuse';
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
