/**
 * `npm run bench`: load each server in SERVERS, one at a time, each in its own child process
 * (`node --import=tsx bench/servers/<name>.ts <port>`), with autocannon from this process over
 * loopback; then print one table — requests per second (average), p99 latency, the ratio to
 * the first server (bare Koa), and the server's own CPU time per request over the measured
 * window (asked of the server before and after the load, see serve.ts) with its ratio. Progress
 * goes to stderr; nothing is written to disk.
 *
 * Before loading a server, its answer to the benchmark request is checked (status, body, the
 * headers it promises): a server that answers wrong fails the run rather than being measured.
 *
 * Options (flag or environment variable; flags win):
 *   --connections N  BENCH_CONNECTIONS  concurrent connections (10)
 *   --warmup S       BENCH_WARMUP       seconds of load before measuring, discarded (2)
 *   --duration S     BENCH_DURATION     seconds measured (10)
 *   --only a,b       BENCH_ONLY         run only these servers (the first in SERVERS is always the baseline)
 *
 * @example
 * npm run bench
 * npm run bench -- --duration 5 --warmup 1
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { CPU, type CpuReport, READY, type ReadyMessage } from './servers/serve.ts';

/**
 * The servers, in order; the first is the baseline for the ratio. To add one, drop
 * `bench/servers/<name>.ts` (see serve.ts) and add a line here.
 */
const SERVERS: readonly { name: string; label: string }[] = [
  { name: 'bare-koa', label: 'bare Koa hello world' },
  { name: 'pipeline', label: 'koa-django: 5 middleware, 100 routes, last one matches' },
  { name: 'twilio-sms', label: 'koa-django: signed Twilio SMS webhook, blacklist on, TwiML reply' },
  { name: 'koa-twilio-sms', label: 'the same webhook hand-written on bare Koa (a floor)' },
];

/** The throughput the issue asks of the pipeline, as a fraction of bare Koa's. */
const TARGET_RATIO = 0.6;
const START_TIMEOUT_MS = 60_000;
const HERE = path.dirname(fileURLToPath(import.meta.url));

interface Options {
  connections: number;
  warmup: number;
  duration: number;
  only: string[] | null;
}

interface Row {
  name: string;
  label: string;
  requestsPerSecond: number;
  p99: number;
  /** Server process CPU time (user + system) per request over the measured window, µs. */
  cpuPerRequest: number;
  load: number;
}

interface Started {
  child: ChildProcess;
  ready: ReadyMessage;
  /** Ask the server for its CPU time and request count so far. */
  cpu: () => Promise<CpuReport>;
}

const children = new Set<ChildProcess>();

function options(): Options {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      only: { type: 'string' },
    },
  });
  const number = (flag: string, value: string | undefined, fallback: number, min: number) => {
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min)
      throw new RangeError(`--${flag} must be a number ≥ ${min}, not '${value}'.`);
    return n;
  };
  const env = process.env;
  const only = values.only ?? env.BENCH_ONLY;
  return {
    connections: number('connections', values.connections ?? env.BENCH_CONNECTIONS, 10, 1),
    warmup: number('warmup', values.warmup ?? env.BENCH_WARMUP, 2, 0),
    duration: number('duration', values.duration ?? env.BENCH_DURATION, 10, 1),
    only: only ? only.split(',').map((s) => s.trim()) : null,
  };
}

/** Spawn `bench/servers/<name>.ts 0` and wait for its READY line. */
async function start(name: string): Promise<Started> {
  const file = path.join(HERE, 'servers', `${name}.ts`);
  const child = spawn(process.execPath, ['--import=tsx', file, '0'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production', KOA_DJANGO_LOG_LEVEL: 'warning' },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const waiting: ((report: CpuReport) => void)[] = [];
  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`Server '${name}' did not print its READY line within ${START_TIMEOUT_MS / 1000} s.`),
        ),
      START_TIMEOUT_MS,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`Server '${name}' (${file}) exited before it was ready (code ${code}, signal ${signal}).`),
      );
    });
    lines.on('line', (line) => {
      if (line.startsWith(`${CPU} `)) {
        waiting.shift()?.(JSON.parse(line.slice(CPU.length + 1)) as CpuReport);
        return;
      }
      if (!line.startsWith(READY)) {
        process.stderr.write(`[${name}] ${line}\n`);
        return;
      }
      clearTimeout(timer);
      resolve(JSON.parse(line.slice(READY.length)) as ReadyMessage);
    });
  });
  const cpu = () =>
    new Promise<CpuReport>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Server '${name}' did not report its CPU time.`)),
        5_000,
      );
      waiting.push((report) => {
        clearTimeout(timer);
        resolve(report);
      });
      child.stdin?.write(`${CPU}\n`);
    });
  return { child, ready, cpu };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** The server must answer the benchmark request exactly as it says it will. */
async function verify(name: string, { port, request, expect }: ReadyMessage): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  const body = await response.text();
  const problems: string[] = [];
  if (response.status !== expect.status)
    problems.push(`status ${response.status}, expected ${expect.status}`);
  if (body !== expect.body)
    problems.push(`body ${JSON.stringify(body.slice(0, 200))}, expected ${JSON.stringify(expect.body)}`);
  for (const [header, value] of Object.entries(expect.headers ?? {})) {
    const got = response.headers.get(header);
    if (got !== value) problems.push(`${header}: ${JSON.stringify(got)}, expected ${JSON.stringify(value)}`);
  }
  if (problems.length > 0) {
    throw new Error(
      `Server '${name}' answered ${request.method} ${request.path} wrongly: ${problems.join('; ')}. Fix the server before benchmarking it.`,
    );
  }
}

async function load(ready: ReadyMessage, connections: number, duration: number): Promise<autocannon.Result> {
  const { request } = ready;
  return autocannon({
    url: `http://127.0.0.1:${ready.port}${request.path}`,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections,
    duration,
  });
}

async function measure(server: { name: string; label: string }, opts: Options): Promise<Row> {
  process.stderr.write(`${server.name}: starting\n`);
  const { child, ready, cpu } = await start(server.name);
  try {
    await verify(server.name, ready);
    if (opts.warmup > 0) {
      process.stderr.write(`${server.name}: warming up for ${opts.warmup} s\n`);
      await load(ready, opts.connections, opts.warmup);
    }
    const loadAverage = os.loadavg()[0] ?? 0;
    process.stderr.write(`${server.name}: measuring for ${opts.duration} s\n`);
    const before = await cpu();
    const result = await load(ready, opts.connections, opts.duration);
    const after = await cpu();
    const expected2xx = ready.expect.status >= 200 && ready.expect.status < 300;
    if (result.errors > 0 || result.timeouts > 0 || (expected2xx && result.non2xx > 0)) {
      throw new Error(
        `Server '${server.name}' failed under load: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses.`,
      );
    }
    return {
      ...server,
      requestsPerSecond: result.requests.average,
      p99: result.latency.p99,
      cpuPerRequest:
        (after.user + after.system - before.user - before.system) /
        Math.max(1, after.requests - before.requests),
      load: loadAverage,
    };
  } finally {
    await stop(child);
  }
}

function table(rows: Row[], opts: Options): string {
  const base = rows[0]?.requestsPerSecond ?? 0;
  const baseCpu = rows[0]?.cpuPerRequest ?? 0;
  const header = [
    'server',
    'what',
    'req/s (avg)',
    'p99 (ms)',
    `ratio vs ${rows[0]?.name}`,
    'server CPU µs/req',
    'CPU ratio',
    'load (1 min)',
  ];
  const body = rows.map((row) => [
    row.name,
    row.label,
    Math.round(row.requestsPerSecond).toLocaleString('en-US'),
    String(row.p99),
    base > 0 ? (row.requestsPerSecond / base).toFixed(2) : '-',
    row.cpuPerRequest.toFixed(1),
    row.cpuPerRequest > 0 ? (baseCpu / row.cpuPerRequest).toFixed(2) : '-',
    row.load.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${opts.connections} connections, ${opts.warmup} s warm-up, ${opts.duration} s measured. Target: pipeline/bare ≥ ${TARGET_RATIO}.`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n');
}

async function main(): Promise<void> {
  const opts = options();
  const [baseline] = SERVERS;
  const selected = SERVERS.filter((s) => s === baseline || !opts.only || opts.only.includes(s.name));
  const unknown = (opts.only ?? []).filter((name) => !SERVERS.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown server(s) ${unknown.join(', ')}. Known: ${SERVERS.map((s) => s.name).join(', ')}.`,
    );
  }
  const rows: Row[] = [];
  for (const server of selected) rows.push(await measure(server, opts));
  process.stdout.write(`${table(rows, opts)}\n`);
}

function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

process.on('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  killChildren();
}
