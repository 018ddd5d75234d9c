/**
 * sessions, initial: Django's `django_session` table, under Django's own name and columns so
 * the schema is recognisable (`django.contrib.sessions.models.Session`). The index on
 * `expire_date` serves `clearsessions` (delete where expire_date < now).
 *
 * Stay within PostgreSQL 15 features: PGlite (dev, tests) is PostgreSQL 18, production is 15.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('django_session', (table) => {
    table.string('session_key', 40).primary();
    table.text('session_data').notNullable();
    table.timestamp('expire_date', { useTz: true }).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('django_session');
}
