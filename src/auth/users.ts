import type { Adapter, SqlValue } from '../adapters/adapter.js';
import { USERS_TABLE } from '../managed/names.js';
import type { SqlNames } from '../managed/sql-names.js';
import { type Identity, userIdOf } from './identity.js';

/** A person's display name and e-mail address as the identity provider last sent them. */
export interface UserNames {
  name: string | null;
  email: string | null;
}

/** Most user ids one lookup binds (several lookups for more). */
const LOOKUP_CHUNK = 500;

/**
 * The upsert of one `_wb_users` row, all values bound: `$1` user id, `$2` issuer, `$3` subject,
 * `$4` display name, `$5` e-mail, `$6` and `$7` the sign-in time (first seen when new, last seen
 * always). `merge` or `insert … on conflict` as the dialect upserts.
 */
export function recordSignInSql(names: SqlNames): string {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const table = names.meta(USERS_TABLE);
  const types = ['string', 'string', 'string', 'string', 'string', 'timestamp', 'timestamp'] as const;
  const cols = ['user_name', 'issuer', 'subject', 'display_name', 'email', 'first_seen_at', 'last_seen_at'];
  const values = types.map((type, i) => `cast(${d.param(i + 1)} as ${d.columnType({ kind: 'system', type })})`);
  const updated = ['issuer', 'subject', 'display_name', 'email', 'last_seen_at'];
  if (d.upsertStyle === 'on-conflict')
    return (
      `insert into ${table} (${cols.map(q).join(', ')}) values (${values.join(', ')}) ` +
      `on conflict (${q('user_name')}) do update set ${updated.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`
    );
  return (
    `merge into ${table} t using (select ${values.map((v, i) => `${v} as ${q(cols[i]!)}`).join(', ')}) s ` +
    `on t.${q('user_name')} = s.${q('user_name')} ` +
    `when matched then update set ${updated.map((c) => `${q(c)} = s.${q(c)}`).join(', ')} ` +
    `when not matched then insert (${cols.map(q).join(', ')}) values (${cols.map((c) => `s.${q(c)}`).join(', ')})`
  );
}

/** The select of the names of some user ids (`$1 … $n`). */
export function userNamesSql(names: SqlNames, count: number): string {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const ids = Array.from({ length: count }, (_, i) => d.param(i + 1)).join(', ');
  return `select ${['user_name', 'display_name', 'email'].map(q).join(', ')} from ${names.meta(USERS_TABLE)} where ${q('user_name')} in (${ids})`;
}

/**
 * The names of these user ids, from `_wb_users` (ids nobody signed in as are absent). Callers
 * pass only ids the reader may already see (e.g. the users of history entries inside its row
 * filter), so a name never tells more than the id beside it.
 */
export async function lookUpUsers(reader: Adapter, names: SqlNames, userIds: readonly string[]): Promise<Map<string, UserNames>> {
  const found = new Map<string, UserNames>();
  const ids = [...new Set(userIds)];
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const chunk: SqlValue[] = ids.slice(i, i + LOOKUP_CHUNK);
    for (const r of await reader.query(userNamesSql(names, chunk.length), chunk)) {
      const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
      found.set(String(r.user_name), { name: text(r.display_name), email: text(r.email) });
    }
  }
  return found;
}

/** The users directory `_wb_users`: who signed in through the identity provider, by stable id. */
export class UserDirectory {
  /** Identities (with their names) recorded by this process, for `recordSignInOnce`. */
  private readonly recorded = new Set<string>();

  constructor(
    private readonly writer: Adapter,
    private readonly reader: Adapter,
    private readonly names: () => SqlNames,
  ) {}

  /**
   * Record a sign-in: add the person, or refresh their display name, e-mail and last sign-in
   * (the first sign-in time stays). Returns their stable user id.
   */
  async recordSignIn(identity: Identity, at: Date = new Date(Date.now())): Promise<string> {
    const userId = userIdOf(identity);
    await this.writer.execute(recordSignInSql(this.names()), [userId, identity.issuer, identity.subject, identity.name ?? null, identity.email ?? null, at, at]);
    this.recorded.add(recordKey(identity));
    return userId;
  }

  /**
   * `recordSignIn` once per process for an identity with these names (signed-in-per-request modes,
   * such as a proxy's assertion on every request): a changed name or e-mail is recorded again.
   */
  async recordSignInOnce(identity: Identity): Promise<string> {
    if (this.recorded.has(recordKey(identity))) return userIdOf(identity);
    return this.recordSignIn(identity);
  }

  /** The names of these user ids (see `lookUpUsers`). */
  lookUp(userIds: readonly string[]): Promise<Map<string, UserNames>> {
    return lookUpUsers(this.reader, this.names(), userIds);
  }
}

const recordKey = (identity: Identity) => JSON.stringify([identity.issuer, identity.subject, identity.name ?? null, identity.email ?? null]);
