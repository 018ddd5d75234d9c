/**
 * `Caller` rows (django-twilio's `Caller` model, table `django_twilio_caller`): phone numbers,
 * stored in E.164, that may be blacklisted. Every function normalises the number it is given
 * (`toE164`, with `region` for numbers written without a country code) and tells this process's
 * blacklists about the change before it returns; other processes hear of it through the
 * table's NOTIFY trigger.
 *
 * @module
 */
import type { Knex } from 'knex';
import { Http404, KoaDjangoError } from '../../exceptions.ts';
import { CALLER_TABLE, notifyCallerChange } from './blacklist.ts';
import { toE164 } from './phone.ts';

export { CALLER_TABLE } from './blacklist.ts';

/** A `django_twilio_caller` row. */
export class Caller {
  constructor(
    readonly id: number,
    /** E.164, e.g. `'+15005550001'`. */
    readonly phoneNumber: string,
    readonly blacklisted: boolean,
    readonly createdAt: Date,
    readonly updatedAt: Date,
  ) {}

  /**
   * django-twilio's `__str__`: the number, plus `' (blacklisted)'` when blacklisted.
   *
   * @example
   * String(caller); // '+15005550001 (blacklisted)'
   */
  toString(): string {
    return this.blacklisted ? `${this.phoneNumber} (blacklisted)` : this.phoneNumber;
  }

  /** A plain object for JSON output. */
  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      phoneNumber: this.phoneNumber,
      blacklisted: this.blacklisted,
      createdAt: this.createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(),
    };
  }
}

/** No Caller has this number: a 404 when it escapes a view. */
export class CallerNotFound extends Http404 {
  override readonly code = 'KD_TWILIO_CALLER_NOT_FOUND';

  constructor(readonly phoneNumber: string) {
    super(
      `No caller has the number ${phoneNumber}. Add it first (addCaller, or koa-django callers add ${phoneNumber}).`,
    );
  }
}

/** A Caller with this number exists already: a 409 when it escapes a view. */
export class DuplicateCaller extends KoaDjangoError {
  override readonly code = 'KD_TWILIO_DUPLICATE_CALLER';
  override readonly status = 409;
  override readonly expose = true;

  constructor(
    readonly phoneNumber: string,
    options?: ErrorOptions,
  ) {
    super(
      `A caller with the number ${phoneNumber} exists already. Use setBlacklisted (koa-django callers ` +
        'blacklist/unblacklist) to change it.',
      options,
    );
  }
}

/** How a number written without a country code is read. */
export interface NumberOptions {
  /** ISO 3166 region for numbers without a country code; pass `settings.TWILIO_PHONENUMBER_DEFAULT_REGION`. */
  region?: string | null;
}

/** Options of `addCaller`. */
export interface AddCallerOptions extends NumberOptions {
  /** Default false. */
  blacklisted?: boolean;
}

/** Options of `listCallers`. */
export interface ListCallersOptions {
  /** Only blacklisted (true) or only not blacklisted (false) callers; default all. */
  blacklisted?: boolean;
}

interface CallerRow {
  id: number;
  phone_number: string;
  blacklisted: boolean;
  created_at: Date;
  updated_at: Date;
}

function fromRow(row: CallerRow): Caller {
  return new Caller(Number(row.id), row.phone_number, row.blacklisted, row.created_at, row.updated_at);
}

/**
 * Every Caller, ordered by number; `{ blacklisted: true }` gives only the blacklisted ones.
 *
 * @example
 * (await listCallers(knex, { blacklisted: true })).map(String); // ['+15005550001 (blacklisted)']
 */
export async function listCallers(knex: Knex, options: ListCallersOptions = {}): Promise<Caller[]> {
  const query = knex(CALLER_TABLE).select('*').orderBy('phone_number');
  if (options.blacklisted !== undefined) query.where({ blacklisted: options.blacklisted });
  return ((await query) as CallerRow[]).map(fromRow);
}

/**
 * The Caller with this number, or `null`. Throws InvalidPhoneNumber for something that is not a
 * phone number.
 *
 * @example
 * await getCaller(knex, '(500) 555-0001', { region: 'US' }); // Caller +15005550001, or null
 */
export async function getCaller(
  knex: Knex,
  number: string,
  options: NumberOptions = {},
): Promise<Caller | null> {
  const phoneNumber = toE164(number, options.region);
  const row = (await knex(CALLER_TABLE).where({ phone_number: phoneNumber }).first()) as
    | CallerRow
    | undefined;
  return row ? fromRow(row) : null;
}

/**
 * Add a Caller (not blacklisted unless `{ blacklisted: true }`). Throws InvalidPhoneNumber for
 * a bad number and DuplicateCaller when the number is there already.
 *
 * @example
 * const caller = await addCaller(knex, '+1 500-555-0001', { blacklisted: true });
 * String(caller); // '+15005550001 (blacklisted)'
 */
export async function addCaller(knex: Knex, number: string, options: AddCallerOptions = {}): Promise<Caller> {
  const phoneNumber = toE164(number, options.region);
  const blacklisted = options.blacklisted ?? false;
  let row: CallerRow | undefined;
  try {
    [row] = (await knex(CALLER_TABLE)
      .insert({ phone_number: phoneNumber, blacklisted })
      .returning('*')) as CallerRow[];
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new DuplicateCaller(phoneNumber, { cause: error });
    throw error;
  }
  notifyCallerChange(knex, { phoneNumber, blacklisted });
  return fromRow(row as CallerRow);
}

/**
 * Blacklist (`true`) or un-blacklist (`false`) an existing Caller. Throws CallerNotFound for a
 * number that is not a Caller.
 *
 * @example
 * await setBlacklisted(knex, '+15005550001', true);
 */
export async function setBlacklisted(
  knex: Knex,
  number: string,
  blacklisted: boolean,
  options: NumberOptions = {},
): Promise<Caller> {
  const phoneNumber = toE164(number, options.region);
  const [row] = (await knex(CALLER_TABLE)
    .where({ phone_number: phoneNumber })
    .update({ blacklisted })
    .returning('*')) as CallerRow[];
  if (!row) throw new CallerNotFound(phoneNumber);
  notifyCallerChange(knex, { phoneNumber, blacklisted });
  return fromRow(row);
}

/**
 * Delete a Caller; resolves to the row as it was. Throws CallerNotFound for a number that is
 * not a Caller.
 *
 * @example
 * await removeCaller(knex, '+15005550001');
 */
export async function removeCaller(knex: Knex, number: string, options: NumberOptions = {}): Promise<Caller> {
  const phoneNumber = toE164(number, options.region);
  const [row] = (await knex(CALLER_TABLE)
    .where({ phone_number: phoneNumber })
    .del()
    .returning('*')) as CallerRow[];
  if (!row) throw new CallerNotFound(phoneNumber);
  notifyCallerChange(knex, { phoneNumber, blacklisted: false });
  return fromRow(row);
}
