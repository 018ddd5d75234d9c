/** Context processors for the template tests, named in settings by 'specifier#Export' strings. */
import type { HttpRequest } from '../../src/http/request.ts';

export function site(_request: HttpRequest) {
  return { site: 'Acme' };
}

export async function slowSite(_request: HttpRequest) {
  await new Promise((resolve) => setImmediate(resolve));
  return { site: 'Acme (async)' };
}

export const notAFunction = 42;
