/**
 * twilio: make every NOTIFY of the callers trigger unique within its transaction.
 *
 * PostgreSQL delivers only one of several notifications with the same channel and payload sent
 * in one transaction (https://www.postgresql.org/docs/current/sql-notify.html). A caller
 * blacklisted, un-blacklisted and blacklisted again in one transaction sent `true`, `false`,
 * `true` with the first and last payloads identical, so listeners heard `true`, `false` and kept
 * the caller off the blacklist the database has them on. Each payload now carries `"n"`, a
 * counter kept in a transaction-local setting (`koa_django.caller_notify_n`): it needs no
 * privilege a writer of the table might lack (a sequence would), and it resets with each
 * transaction, which is as far as PostgreSQL deduplicates. Listeners ignore the field.
 *
 * Stay within PostgreSQL 15 features: PGlite (dev, tests) is PostgreSQL 18, production is 15.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION django_twilio_caller_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
      n bigint := coalesce(nullif(current_setting('koa_django.caller_notify_n', true), ''), '0')::bigint + 1;
    BEGIN
      PERFORM set_config('koa_django.caller_notify_n', n::text, true);
      IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('koa_django_twilio_callers', json_build_object('op', TG_OP, 'n', n)::text);
        RETURN NULL;
      END IF;
      IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('koa_django_twilio_callers', json_build_object(
          'op', TG_OP, 'phone_number', OLD.phone_number, 'blacklisted', false, 'n', n)::text);
        RETURN NULL;
      END IF;
      IF TG_OP = 'UPDATE' AND NEW.phone_number = OLD.phone_number AND NEW.blacklisted = OLD.blacklisted THEN
        RETURN NULL;
      END IF;
      PERFORM pg_notify('koa_django_twilio_callers', json_build_object(
        'op', TG_OP, 'phone_number', NEW.phone_number, 'blacklisted', NEW.blacklisted,
        'old_phone_number', CASE WHEN TG_OP = 'UPDATE' THEN OLD.phone_number END, 'n', n)::text);
      RETURN NULL;
    END
    $$`);
}

export async function down(knex: Knex): Promise<void> {
  // The function as 20260301000000_twilio_initial created it.
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
}
