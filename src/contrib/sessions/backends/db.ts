/**
 * The `db` session backend (Django's `django/contrib/sessions/backends/db.py`): sessions are
 * rows of Django's own `django_session` table (`session_key`, `session_data`, `expire_date`,
 * migration `20260101000000_sessions_initial`), with `session_data` encoded exactly as Django
 * encodes it, so a Django app on the same database and `SECRET_KEY` shares the sessions.
 *
 * The cookie holds only a random 32-character key; the data stays on the server, and
 * `flush()` really ends a session. Expired rows are ignored when read and removed by
 * `koa-django clearsessions`.
 *
 * The database is `getDatabase(settings)` (the app's shared knex); a subclass can point it
 * elsewhere by overriding the static `database(settings)`.
 *
 * @module
 */
import type { Knex } from 'knex';
import type { Settings } from '../../../conf/index.ts';
import { getDatabase } from '../../../db/index.ts';
import { SessionBase } from '../base.ts';
import { CreateError, UpdateError } from '../exceptions.ts';

/** Django's session table. */
export const SESSION_TABLE = 'django_session';

/** The longest key the table holds (`session_key varchar(40)`). */
const MAX_KEY_LENGTH = 40;
const KEY_PATTERN = /^[a-z0-9]+$/;

interface SessionRow {
  session_key: string;
  session_data: string;
  expire_date: Date;
}

/**
 * A session stored in the `django_session` table: `SESSION_ENGINE: 'db'` (the default).
 *
 * @example
 * // settings.ts (run `koa-django migrate` once to create the table)
 * MIDDLEWARE: [SessionMiddleware],
 * SESSION_ENGINE: 'db',
 */
export class DbSessionStore extends SessionBase {
  /**
   * The knex the sessions live in: `getDatabase(settings)`. Override in a subclass to use
   * another connection (tests hand it their own database this way).
   *
   * @example
   * class ReplicaSessionStore extends DbSessionStore {
   *   static override database() { return sessionsKnex; }
   * }
   */
  static database(settings: Settings): Knex {
    return getDatabase(settings);
  }

  /**
   * Delete every expired session (what `koa-django clearsessions` runs); resolves to how many.
   *
   * @example
   * await DbSessionStore.clearExpired(settings); // 12
   */
  static async clearExpired(settings: Settings): Promise<number> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass, whose database() may differ
    const knex = this.database(settings);
    return knex(SESSION_TABLE).where('expire_date', '<', new Date()).delete();
  }

  #table(): Knex.QueryBuilder<SessionRow> {
    return (this.constructor as typeof DbSessionStore).database(this.settings)<SessionRow>(SESSION_TABLE);
  }

  /** Keys are what Django generates: up to 40 characters of `a-z0-9` (anything else never reaches the database). */
  protected override validateSessionKey(key: string): boolean {
    return super.validateSessionKey(key) && key.length <= MAX_KEY_LENGTH && KEY_PATTERN.test(key);
  }

  /** The row's data if it exists and has not expired; otherwise an empty session without a key. */
  async load(): Promise<Record<string, unknown>> {
    const key = this.sessionKey;
    if (key === null) return {};
    const row = await this.#table()
      .where({ session_key: key })
      .andWhere('expire_date', '>', new Date(this.now() * 1000))
      .first('session_data');
    if (!row) {
      this.sessionKey = null;
      return {};
    }
    return this.decode(row.session_data);
  }

  async exists(sessionKey: string): Promise<boolean> {
    return (await this.#table().where({ session_key: sessionKey }).first('session_key')) !== undefined;
  }

  /** Draw unused keys until an insert succeeds. */
  async create(): Promise<void> {
    for (;;) {
      this.sessionKey = await this.getNewSessionKey();
      try {
        await this.save(true);
      } catch (error) {
        // Another request took the key between exists() and the insert: draw again.
        if (error instanceof CreateError) continue;
        throw error;
      }
      this.modified = true;
      return;
    }
  }

  /**
   * Insert (`mustCreate`) or update the row, with `expire_date` = `getExpiryDate()`. An update
   * that finds no row throws `UpdateError` (SessionMiddleware answers 400 SessionInterrupted).
   */
  async save(mustCreate = false): Promise<void> {
    const key = this.sessionKey;
    if (key === null) return this.create();
    const data = await this.sessionData(mustCreate);
    const row = { session_data: this.encode(data), expire_date: this.getExpiryDate() };
    if (mustCreate) {
      const inserted = await this.#table()
        .insert({ session_key: key, ...row })
        .onConflict('session_key')
        .ignore()
        .returning('session_key');
      if (inserted.length === 0) throw new CreateError(`Session key ${key} is already in use.`);
      return;
    }
    const updated = await this.#table().where({ session_key: key }).update(row);
    if (updated === 0) throw new UpdateError(`Session ${key} is no longer in ${SESSION_TABLE}.`);
  }

  async destroy(sessionKey: string | null = this.sessionKey): Promise<void> {
    if (sessionKey === null) return;
    await this.#table().where({ session_key: sessionKey }).delete();
  }
}
