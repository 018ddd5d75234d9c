/**
 * What every benchmark server shares: listen on loopback at the port given as the first argument
 * (0: any free port), then tell the bench runner, in one stdout line, where it listens, which
 * request to load it with and the exact response it must give:
 *
 *     READY {"port":41234,"request":{"method":"GET","path":"/"},"expect":{"status":200,"body":"Hello, world!"}}
 *
 * The server exits when its stdin closes (the runner went away, even by SIGKILL) or on SIGTERM.
 * While it runs, each `CPU` line the runner writes to its stdin is answered with one stdout line
 * holding the process's own CPU time so far and the number of requests it has received:
 *
 *     CPU {"user":1234567,"system":345678,"requests":20000}
 *
 * (microseconds, from `process.cpuUsage()`), so the runner can work out the server's CPU time
 * per request over exactly the measured window.
 * To add a server: write `bench/servers/<name>.ts` that builds a request listener and calls
 * `serve(listener, describe)`, then add `<name>` to `SERVERS` in bench/run.ts.
 *
 * @module
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The request autocannon sends, again and again. */
export interface BenchRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/api/v1/items/42/details/`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What the server tells the runner once it listens. */
export interface ServerDescription {
  request: BenchRequest;
  /** The response the runner checks before loading the server; a mismatch fails the run. */
  expect: {
    status: number;
    body: string;
    /** Headers that must be present with these exact values (names in any case). */
    headers?: Record<string, string>;
  };
}

/** The READY line, parsed. */
export interface ReadyMessage extends ServerDescription {
  port: number;
}

/** The body the hello-world servers answer with. */
export const HELLO = 'Hello, world!';

/** The prefix of the one stdout line the runner waits for. */
export const READY = 'READY ';

/** What the runner writes to ask for a CPU report, and the prefix of the answer line. */
export const CPU = 'CPU';

/** A CPU report: the server process's CPU time (µs) and the requests it received so far. */
export interface CpuReport {
  user: number;
  system: number;
  requests: number;
}

/**
 * Listen on 127.0.0.1 at `process.argv[2]` and announce the server. `describe` gets the origin
 * (`http://127.0.0.1:<port>`), for servers whose request depends on it (a signed webhook signs
 * the full URL).
 *
 * @example
 * await serve(app.callback(), () => ({
 *   request: { method: 'GET', path: '/' },
 *   expect: { status: 200, body: 'Hello, world!' },
 * }));
 */
export async function serve(
  listener: http.RequestListener,
  describe: (origin: string) => ServerDescription | Promise<ServerDescription>,
): Promise<http.Server> {
  const wanted = Number(process.argv[2] ?? 0);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
    throw new RangeError(
      `Port must be a number from 0 to 65535, not '${process.argv[2]}'. Usage: <server>.ts <port>`,
    );
  }
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    listener(req, res);
  });
  server.listen(wanted, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const description = await describe(`http://127.0.0.1:${port}`);
  const ready: ReadyMessage = { port, ...description };
  process.stdout.write(`${READY}${JSON.stringify(ready)}\n`);

  const stop = () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Stdin is the runner's pipe: when it closes, the runner is gone and so should we be.
  if (!process.stdin.isTTY) {
    process.stdin.on('end', stop);
    let buffered = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line === CPU) {
          const report: CpuReport = { ...process.cpuUsage(), requests };
          process.stdout.write(`${CPU} ${JSON.stringify(report)}\n`);
        }
        newline = buffered.indexOf('\n');
      }
    });
  }
  return server;
}
