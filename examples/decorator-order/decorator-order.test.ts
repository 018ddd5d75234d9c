import test from 'ava';
import { overrideSettings } from '../../src/conf/index.ts';
import { addLogHandler } from '../../src/utils/log.ts';
import { Client } from '../../test/helpers/client.ts';
import settings from './settings.ts';

// Every test listens on the exercise's logger, so they run one at a time.
async function steps(path: string, appSettings = settings): Promise<{ body: string; lines: string[] }> {
  const client = await Client.create(appSettings);
  const lines: string[] = [];
  const stop = addLogHandler((r) => r.logger === 'examples.decorator-order' && lines.push(r.message));
  try {
    return { body: (await client.get(path)).text, lines };
  } finally {
    stop();
  }
}

const body = 'Hello from the middle of the onion';
const noSiteMiddleware = overrideSettings(settings, { MIDDLEWARE: [] });

const onion = ['outer pre', 'inner pre', 'view', 'inner post', 'outer post'];

test.serial(
  'outer(inner(view)) with decoratorFromMiddleware runs outer pre, inner pre, view, inner post, outer post',
  async (t) => {
    t.deepEqual(await steps('/middleware/', noSiteMiddleware), { body, lines: onion });
  },
);

test.serial('outer(inner(view)) with plain wrapper decorators runs in the same onion order', async (t) => {
  t.deepEqual(await steps('/wrappers/', noSiteMiddleware), { body, lines: onion });
});

test.serial('inner(outer(view)): swapping the calls swaps the layers', async (t) => {
  t.deepEqual(await steps('/swapped/', noSiteMiddleware), {
    body,
    lines: ['inner pre', 'outer pre', 'view', 'outer post', 'inner post'],
  });
});

test.serial('SiteMiddleware in MIDDLEWARE wraps the view and all of its decorators', async (t) => {
  t.deepEqual(await steps('/middleware/'), { body, lines: ['site pre', ...onion, 'site post'] });
  t.deepEqual(await steps('/wrappers/'), { body, lines: ['site pre', ...onion, 'site post'] });
});
