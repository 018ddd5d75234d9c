/**
 * Baseline: Koa's hello world, nothing else. `node --import=tsx bench/servers/bare-koa.ts <port>`
 *
 * @module
 */
import Koa from 'koa';
import { HELLO, serve } from './serve.ts';

const app = new Koa();
app.use((ctx) => {
  ctx.body = HELLO;
});

await serve(app.callback(), () => ({
  request: { method: 'GET', path: '/' },
  expect: { status: 200, body: HELLO },
}));
