/**
 * `koa-django runserver` as a user runs it: a real process on a real port, stopped with SIGINT
 * while a request is in flight on a keep-alive connection.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { createServer } from 'node:net';
import test from 'ava';

const SETTINGS = 'test/management/runserver-settings.ts';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startServer(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(
    process.execPath,
    ['bin/koa-django.js', 'runserver', String(port), '--settings', SETTINGS],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  await until(() => {
    if (child.exitCode !== null) throw new Error(`runserver exited early:\n${output}`);
    return output.includes('Quit the server');
  });
  return { child, output: () => output };
}

/** Poll `condition` every 20 ms until it holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

function get(port: number, path: string, agent: http.Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
        );
      })
      .on('error', reject);
  });
}

test('koa-django runserver on SIGINT finishes the request in flight, closes its keep-alive connection and serves nothing more', async (t) => {
  const port = await freePort();
  const { child, output } = await startServer(port);
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  t.like(await get(port, '/', agent), { status: 200, connection: 'keep-alive', body: 'ok' });

  const exited = once(child, 'exit');
  const inFlight = get(port, '/slow/', agent);
  await until(() => output().includes('slow view started'));
  child.kill('SIGINT');
  t.like(await inFlight, { status: 200, body: 'slow done', connection: 'close' });
  await t.throwsAsync(get(port, '/', agent), { code: 'ECONNREFUSED' }, 'no new request is served');
  const [code] = await exited;
  t.is(code, 0, output());
  t.regex(output(), /SIGINT: finishing in-flight requests\.\.\./);
});
