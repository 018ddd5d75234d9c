import test from 'ava';
import { Http404 } from '../src/exceptions.ts';
import { HttpResponse } from '../src/http/response.ts';
import { getListOr404, getObjectOr404 } from '../src/shortcuts.ts';
import { path } from '../src/urls/index.ts';
import { Client, testSettings } from './helpers/client.ts';
import { createTestDatabase } from './helpers/db.ts';

async function databaseWithCallers(t: { teardown(fn: () => Promise<void>): void }) {
  const db = await createTestDatabase({ migrated: false });
  t.teardown(db.destroy);
  await db.knex.schema.createTable('shortcut_caller', (table) => {
    table.increments('id');
    table.string('phone_number').notNullable();
    table.boolean('blacklisted').notNullable().defaultTo(false);
  });
  await db.knex('shortcut_caller').insert([
    { phone_number: '+15550000001', blacklisted: false },
    { phone_number: '+15550000002', blacklisted: true },
    { phone_number: '+15550000003', blacklisted: true },
  ]);
  return db.knex;
}

test('getObjectOr404(query, where) returns the first matching row', async (t) => {
  const knex = await databaseWithCallers(t);
  const row = await getObjectOr404<{ phone_number: string }>(knex('shortcut_caller'), { id: 2 });
  t.is(row.phone_number, '+15550000002');
  const first = await getObjectOr404<{ id: number }>(
    knex('shortcut_caller').where({ blacklisted: true }).orderBy('id', 'desc'),
  );
  t.is(first.id, 3);
});

test('getObjectOr404(query) throws Http404 naming the table when nothing matches, and leaves the query as it was', async (t) => {
  const knex = await databaseWithCallers(t);
  const query = knex('shortcut_caller').where({ blacklisted: true });
  await t.throwsAsync(getObjectOr404(query, { id: 1 }), {
    instanceOf: Http404,
    message: "No row in table 'shortcut_caller' matches the given query.",
  });
  t.is((await query).length, 2, "the where given to getObjectOr404 was not added to the caller's builder");
});

test('getListOr404(query) returns every row, or throws Http404 naming the table when there are none', async (t) => {
  const knex = await databaseWithCallers(t);
  const rows = await getListOr404<{ id: number }>(knex('shortcut_caller').orderBy('id'), {
    blacklisted: true,
  });
  t.deepEqual(
    rows.map((r) => r.id),
    [2, 3],
  );
  await t.throwsAsync(getListOr404(knex('shortcut_caller').where('id', '>', 99)), {
    instanceOf: Http404,
    message: "No rows in table 'shortcut_caller' match the given query.",
  });
});

test('getObjectOr404(query) in a view through the app: a missing row is a 404, an existing one is served', async (t) => {
  const knex = await databaseWithCallers(t);
  const detail = async (_request: unknown, kwargs: Record<string, unknown>) => {
    const caller = await getObjectOr404<{ phone_number: string }>(knex('shortcut_caller'), { id: kwargs.pk });
    return new HttpResponse(caller.phone_number);
  };
  const client = await Client.create(
    testSettings({ ROOT_URLCONF: { urlpatterns: [path('callers/<int:pk>/', detail)] } }),
  );
  t.is((await client.get('/callers/1/')).text, '+15550000001');
  t.is((await client.get('/callers/42/')).status, 404);
});

test('getObjectOr404(value) refuses something that is not a knex query builder', async (t) => {
  await t.throwsAsync(getObjectOr404('shortcut_caller' as never), {
    instanceOf: TypeError,
    message: /getObjectOr404\(\) needs a knex query builder.*got string/,
  });
  await t.throwsAsync(getListOr404(null as never), {
    instanceOf: TypeError,
    message: /getListOr404\(\) needs a knex query builder.*got null/,
  });
});
