/**
 * Twilio credentials: `Credential` rows (django-twilio's per-user account SID and auth token,
 * table `django_twilio_credential`) and credential discovery in django-twilio's verified order:
 * the user's Credential row, then the `TWILIO_ACCOUNT_SID`/`TWILIO_AUTH_TOKEN` environment pair,
 * then the settings pair.
 *
 * Unlike django-twilio, which resolves the credentials once when its modules are imported (so
 * changing settings or the environment afterwards has no effect), discovery here runs when it
 * is called: a process without credentials starts, and fails only where credentials are needed.
 *
 * @module
 */
import type { Knex } from 'knex';
import type { Settings } from '../../conf/settings.ts';
import { getDatabase } from '../../db/index.ts';
import { ImproperlyConfigured, KoaDjangoError } from '../../exceptions.ts';

/** The table of `Credential` rows (django-twilio's name). */
export const CREDENTIAL_TABLE = 'django_twilio_credential';

/** An account SID and auth token pair, as `twilio(accountSid, authToken)` takes them. */
export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
}

/**
 * Who a credential belongs to: a user object with an `id` (what `request.user` will be), or the
 * id itself. Ids are compared as strings (`bigint` columns come back as strings).
 */
export type CredentialOwner = { id: string | number | bigint } | string | number | bigint;

/** A `django_twilio_credential` row (django-twilio's `Credential` model). */
export class Credential implements TwilioCredentials {
  constructor(
    readonly id: number,
    /** A label, at most 30 characters. */
    readonly name: string,
    /** The owning user's id, as a string. */
    readonly userId: string,
    readonly accountSid: string,
    readonly authToken: string,
    readonly createdAt: Date,
    readonly updatedAt: Date,
  ) {}

  /**
   * django-twilio's `__str__`: `'{name} - {account_sid}'`.
   *
   * @example
   * String(credential); // 'Test Credentials - AC00000000000000000000000000000000'
   */
  toString(): string {
    return `${this.name} - ${this.accountSid}`;
  }

  /** A plain object for JSON, with the auth token left out. */
  toJSON(): Record<string, unknown> {
    return { id: this.id, name: this.name, userId: this.userId, accountSid: this.accountSid };
  }
}

/** A second Credential for a user who has one (django-twilio's OneToOne `user`). */
export class DuplicateCredential extends KoaDjangoError {
  override readonly code = 'KD_TWILIO_DUPLICATE_CREDENTIAL';
  override readonly status = 400;
  override readonly expose = true;
}

/** Fields of a new Credential. */
export interface CredentialInput {
  name: string;
  user: CredentialOwner;
  accountSid: string;
  authToken: string;
}

interface CredentialRow {
  id: number;
  name: string;
  user_id: string;
  account_sid: string;
  auth_token: string;
  created_at: Date;
  updated_at: Date;
}

const LIMITS = { name: 30, accountSid: 34, authToken: 32 } as const;

function fromRow(row: CredentialRow): Credential {
  return new Credential(
    Number(row.id),
    row.name,
    String(row.user_id),
    row.account_sid,
    row.auth_token,
    row.created_at,
    row.updated_at,
  );
}

/**
 * The user id of `owner` as a string, or `null` when there is no user (`null`, `undefined`, an
 * object without an id: an anonymous user).
 *
 * @example
 * ownerId({ id: 7 }); // '7'
 * ownerId(7);         // '7'
 * ownerId(null);      // null
 */
export function ownerId(owner: unknown): string | null {
  if (owner === null || owner === undefined || owner === false || owner === '') return null;
  if (typeof owner === 'string' || typeof owner === 'number' || typeof owner === 'bigint') {
    return String(owner);
  }
  if (typeof owner === 'object' && 'id' in owner) {
    const id = (owner as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint') return ownerId(id);
  }
  return null;
}

function requireUserId(owner: CredentialOwner): string {
  const id = ownerId(owner);
  if (id === null || !/^-?\d+$/.test(id)) {
    throw new TypeError(
      `A Credential belongs to a user: pass a user object with a numeric id, or the id itself (got ${JSON.stringify(String(owner))}).`,
    );
  }
  return id;
}

/**
 * Store a Credential for a user. A user has at most one (django-twilio's OneToOne): a second
 * one throws DuplicateCredential. Over-long fields are refused with a TypeError naming the
 * field and its limit (the column sizes are django-twilio's).
 *
 * @example
 * const credential = await addCredential(knex, {
 *   name: 'Support line', user: 42, accountSid: 'AC...', authToken: '...',
 * });
 * String(credential); // 'Support line - AC...'
 */
export async function addCredential(knex: Knex, input: CredentialInput): Promise<Credential> {
  const userId = requireUserId(input.user);
  for (const field of ['name', 'accountSid', 'authToken'] as const) {
    const value = input[field];
    if (typeof value !== 'string') throw new TypeError(`Credential ${field} must be a string.`);
    if (value.length > LIMITS[field]) {
      throw new TypeError(
        `Credential ${field} is ${value.length} characters long; the column holds at most ${LIMITS[field]}.`,
      );
    }
  }
  try {
    const [row] = (await knex(CREDENTIAL_TABLE)
      .insert({
        name: input.name,
        user_id: userId,
        account_sid: input.accountSid,
        auth_token: input.authToken,
      })
      .returning('*')) as CredentialRow[];
    return fromRow(row as CredentialRow);
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new DuplicateCredential(
        `User ${userId} already has a Twilio Credential; a user has at most one. Update or delete it first.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The Credential of a user, or `null` when the user has none (or there is no user).
 *
 * @example
 * const credential = await getCredentialForUser(knex, request.user);
 */
export async function getCredentialForUser(knex: Knex, user: unknown): Promise<Credential | null> {
  const id = ownerId(user);
  if (id === null || !/^-?\d+$/.test(id)) return null;
  const row = (await knex(CREDENTIAL_TABLE).where({ user_id: id }).orderBy('id').first()) as
    | CredentialRow
    | undefined;
  return row ? fromRow(row) : null;
}

/**
 * Delete the Credential of a user; resolves to whether there was one.
 *
 * @example
 * await deleteCredentialForUser(knex, 42); // true
 */
export async function deleteCredentialForUser(knex: Knex, user: CredentialOwner): Promise<boolean> {
  // `returning` rather than del()'s count, which knex-pglite does not report.
  const rows = await knex(CREDENTIAL_TABLE)
    .where({ user_id: requireUserId(user) })
    .del()
    .returning('id');
  return rows.length > 0;
}

/**
 * The credentials that need no database: the `TWILIO_ACCOUNT_SID`/`TWILIO_AUTH_TOKEN`
 * environment variables when **both** are set (an empty value counts, as in django-twilio), else
 * the settings pair when both are non-null, else `null`. Environment and settings are never
 * mixed: one variable alone is ignored.
 *
 * @example
 * defaultCredentials(defineSettings({ TWILIO_ACCOUNT_SID: 'AC...', TWILIO_AUTH_TOKEN: 't0ken' }));
 * // { accountSid: 'AC...', authToken: 't0ken' } (unless both environment variables are set)
 */
export function defaultCredentials(settings: Settings): TwilioCredentials | null {
  const env = process.env;
  const envSid = env.TWILIO_ACCOUNT_SID;
  const envToken = env.TWILIO_AUTH_TOKEN;
  if (envSid !== undefined && envToken !== undefined) return { accountSid: envSid, authToken: envToken };
  const { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token } = settings;
  if (sid !== null && sid !== undefined && token !== null && token !== undefined) {
    return { accountSid: sid, authToken: token };
  }
  return null;
}

/**
 * Which credentials to use, in django-twilio's order: the Credential row of `user` (a user
 * object with an `id`, or the id), then the environment pair, then the settings pair (see
 * `defaultCredentials`). The database is only asked when a user is given. Throws
 * ImproperlyConfigured, naming the settings and variables, when there are none.
 *
 * @example
 * const { accountSid, authToken } = await discoverTwilioCredentials(settings, request.user);
 */
export async function discoverTwilioCredentials(
  settings: Settings,
  user?: unknown,
  knex?: Knex,
): Promise<TwilioCredentials> {
  if (ownerId(user) !== null) {
    const credential = await getCredentialForUser(knex ?? getDatabase(settings), user);
    if (credential) return { accountSid: credential.accountSid, authToken: credential.authToken };
  }
  const found = defaultCredentials(settings);
  if (found) return found;
  throw new ImproperlyConfigured(
    'Could not find Twilio credentials: set both TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in the ' +
      'environment, or both TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in settings' +
      (user === undefined ? '' : ', or store a Credential for the user') +
      '. Find them on the Twilio console (https://console.twilio.com).',
  );
}
