/**
 * A second app process for the cross-process blacklist test (run with `node --import=tsx`):
 * opens its own knex and blacklist on the PostgreSQL database named by DATABASE_URL, then
 * answers one line per command read from stdin:
 *
 *   add NUMBER true|false   -> "ok" (addCaller)
 *   set NUMBER true|false   -> "ok" (setBlacklisted)
 *   wait NUMBER true|false  -> "seen" once its own blacklist agrees, or "timeout" after 15 s
 *   exit                    -> "bye", then closes the database; the process must then exit by
 *                              itself (nothing may keep it alive)
 *
 * It prints "ready listening=<bool> size=<n>" once the blacklist has loaded.
 */
import { createInterface } from 'node:readline';
import { defineSettings } from '../../../src/conf/index.ts';
import { blacklistFor } from '../../../src/contrib/twilio/blacklist.ts';
import { addCaller, setBlacklisted } from '../../../src/contrib/twilio/callers.ts';
import { closeDatabase, getDatabase } from '../../../src/db/index.ts';
import { eventually } from './blacklist-helpers.ts';

const settings = defineSettings({ DATABASE_URL: process.env.DATABASE_URL as string });
const knex = getDatabase(settings);
const blacklist = blacklistFor(settings);
await blacklist.ready;
process.stdout.write(`ready listening=${blacklist.listening} size=${blacklist.size}\n`);

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const [command, number = '', flag] = line.trim().split(/\s+/);
  const wanted = flag === 'true';
  try {
    if (command === 'add') {
      await addCaller(knex, number, { blacklisted: wanted });
      process.stdout.write('ok\n');
    } else if (command === 'set') {
      await setBlacklisted(knex, number, wanted);
      process.stdout.write('ok\n');
    } else if (command === 'wait') {
      const seen = await eventually(() => blacklist.isBlacklisted(number) === wanted);
      process.stdout.write(seen ? 'seen\n' : 'timeout\n');
    } else if (command === 'exit') {
      process.stdout.write('bye\n');
      break;
    } else {
      process.stdout.write(`unknown command ${command}\n`);
    }
  } catch (error) {
    process.stdout.write(`error ${(error as Error).message}\n`);
  }
}
lines.close();
await closeDatabase(knex);
