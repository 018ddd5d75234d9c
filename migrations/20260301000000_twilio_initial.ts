/**
 * twilio, initial: django-twilio's two tables under its own names and columns
 * (`django_twilio.models.Caller` and `Credential`), plus what the port adds:
 *
 * - `created_at`/`updated_at` on both, `updated_at` kept by a trigger so every writer (the
 *   Caller API, the admin, plain SQL) maintains it;
 * - `phone_number` checked to be E.164 (`+` and 2–15 digits): the Caller API normalises every
 *   number, and the check keeps other writers from storing a form lookups would never match;
 * - a trigger that announces every change to callers with `pg_notify` on the channel
 *   `koa_django_twilio_callers`, so each process's in-memory blacklist stays fresh (see
 *   `src/contrib/twilio/blacklist.ts`). The payload is JSON such as
 *   `{"op":"UPDATE","phone_number":"+15005550001","blacklisted":true,"old_phone_number":"+15005550001"}`,
 *   or `{"op":"TRUNCATE"}`. A phone number is at most 128 characters, so a payload stays far
 *   below PostgreSQL's 8000-byte NOTIFY limit.
 *
 * `django_twilio_credential.user_id` is a `bigint` (Django's default auto field) with django-twilio's
 * OneToOne uniqueness but no foreign key yet: there is no auth app. The auth app's migration adds
 * the `REFERENCES auth_user (id) ON DELETE CASCADE` constraint.
 *
 * Stay within PostgreSQL 15 features: PGlite (dev, tests) is PostgreSQL 18, production is 15.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION django_twilio_set_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      NEW.updated_at := now();
      RETURN NEW;
    END
    $$`);

  await knex.schema.createTable('django_twilio_caller', (table) => {
    table.increments('id');
    table.string('phone_number', 128).notNullable().unique();
    table.boolean('blacklisted').notNullable().defaultTo(false);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.check(`phone_number ~ '^\\+[1-9][0-9]{1,14}$'`, [], 'django_twilio_caller_phone_number_e164');
  });
  // Partial index: the blacklist loads exactly these rows at startup and after every reconnect.
  await knex.raw(
    'CREATE INDEX django_twilio_caller_blacklisted_idx ON django_twilio_caller (phone_number) WHERE blacklisted',
  );
  await knex.raw(`
    CREATE TRIGGER django_twilio_caller_updated_at BEFORE UPDATE ON django_twilio_caller
    FOR EACH ROW EXECUTE FUNCTION django_twilio_set_updated_at()`);

  await knex.raw(`
    CREATE OR REPLACE FUNCTION django_twilio_caller_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('koa_django_twilio_callers', json_build_object('op', TG_OP)::text);
        RETURN NULL;
      END IF;
      IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('koa_django_twilio_callers', json_build_object(
          'op', TG_OP, 'phone_number', OLD.phone_number, 'blacklisted', false)::text);
        RETURN NULL;
      END IF;
      IF TG_OP = 'UPDATE' AND NEW.phone_number = OLD.phone_number AND NEW.blacklisted = OLD.blacklisted THEN
        RETURN NULL;
      END IF;
      PERFORM pg_notify('koa_django_twilio_callers', json_build_object(
        'op', TG_OP, 'phone_number', NEW.phone_number, 'blacklisted', NEW.blacklisted,
        'old_phone_number', CASE WHEN TG_OP = 'UPDATE' THEN OLD.phone_number END)::text);
      RETURN NULL;
    END
    $$`);
  await knex.raw(`
    CREATE TRIGGER django_twilio_caller_notify AFTER INSERT OR UPDATE OR DELETE ON django_twilio_caller
    FOR EACH ROW EXECUTE FUNCTION django_twilio_caller_notify()`);
  await knex.raw(`
    CREATE TRIGGER django_twilio_caller_notify_truncate AFTER TRUNCATE ON django_twilio_caller
    FOR EACH STATEMENT EXECUTE FUNCTION django_twilio_caller_notify()`);

  await knex.schema.createTable('django_twilio_credential', (table) => {
    table.increments('id');
    table.string('name', 30).notNullable();
    table.bigInteger('user_id').notNullable().unique();
    table.string('account_sid', 34).notNullable();
    table.string('auth_token', 32).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    CREATE TRIGGER django_twilio_credential_updated_at BEFORE UPDATE ON django_twilio_credential
    FOR EACH ROW EXECUTE FUNCTION django_twilio_set_updated_at()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('django_twilio_credential');
  await knex.schema.dropTable('django_twilio_caller');
  await knex.raw('DROP FUNCTION django_twilio_caller_notify()');
  await knex.raw('DROP FUNCTION django_twilio_set_updated_at()');
}
