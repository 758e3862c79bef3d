import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Adapter } from '../adapters/adapter.js';
import type { Project } from '../ir/types.js';
import { SESSIONS_TABLE } from '../managed/names.js';
import type { SqlNames } from '../managed/sql-names.js';
import { isoFromDb } from '../rules/wire-values.js';
import type { Identity } from './identity.js';

/** last_seen_at moves at most this often (so a busy page writes at most once a minute), or twice per idle timeout when that is shorter. */
const TOUCH_EVERY_MS = 60_000;
const SECRET_RE = /^wbs_[A-Za-z0-9_-]{43}$/;

/** A browser session as the server uses it. */
export interface Session {
  /** sha256 (hex) of the session secret: the row's key, safe to log. */
  sessionId: string;
  /** The actor: `user` is the stable id `<issuer>#<subject>`. */
  user: string;
  role: string;
  attributes: Record<string, string>;
  /** Display name and e-mail as the identity provider sent them at sign-in. */
  name: string | null;
  email: string | null;
  /** ISO `Z`. */
  expiresAt: string;
  /** When the person signed in (ISO `Z`): the session's start. */
  signedInAt: string;
  /** The value `X-CSRF-Token` must carry on state-changing requests of this session. */
  csrfToken: string;
}

/** What signing in hands to {@link SessionStore.create}. */
export interface NewSession {
  identity: Identity;
  user: string;
  role: string;
  attributes: Record<string, string>;
  lifetimeSeconds: number;
}

/** sha256 (hex) of a session secret: the only form in which it is stored. */
export function hashSessionSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The CSRF token of a session: base64url(HMAC-SHA256(secret, 'csrf')) — derived, never stored. */
export function csrfTokenOf(secret: string): string {
  return createHmac('sha256', secret).update('csrf').digest('base64url');
}

const COLUMNS = ['session_hash', 'user_name', 'display_name', 'email', 'role', 'attributes', 'issuer', 'subject', 'created_at', 'last_seen_at', 'expires_at', 'revoked_at'];

/**
 * Browser sessions of OpenID Connect sign-in, in `_wb_sessions` (sha256 of the secret only). A
 * session ends at its absolute expiry, after its idle timeout, when revoked (sign-out), or when
 * its role is no longer declared in project.yml.
 */
export class SessionStore {
  constructor(
    /** The read connection: sessions are read and written there, outside the main connection's transactions. */
    private readonly reader: Adapter,
    private readonly names: () => SqlNames,
    private readonly project: () => Project,
  ) {}

  private get table(): string {
    return this.names().meta(SESSIONS_TABLE);
  }

  /** Start a session; the secret (for the cookie) is returned once and never stored. */
  async create(input: NewSession): Promise<{ secret: string; session: Session }> {
    const secret = `wbs_${randomBytes(32).toString('base64url')}`;
    const now = new Date(Date.now());
    const expires = new Date(now.getTime() + input.lifetimeSeconds * 1000);
    const d = this.names().dialect;
    const values = [
      hashSessionSecret(secret),
      input.user,
      input.identity.name ?? null,
      input.identity.email ?? null,
      input.role,
      JSON.stringify(input.attributes),
      input.identity.issuer,
      input.identity.subject,
      now,
      now,
      expires,
    ];
    // sessions are written on the read connection, never inside a transaction the main one may
    // have open (a scenario's, an apply's): a rollback there must not undo a sign-in or a sign-out
    await this.reader.execute(
      `insert into ${this.table} (${COLUMNS.map((c) => d.quoteIdent(c)).join(', ')}) values (${values.map((_, i) => d.param(i + 1)).join(', ')}, null)`,
      values,
    );
    return {
      secret,
      session: {
        sessionId: hashSessionSecret(secret),
        user: input.user,
        role: input.role,
        attributes: input.attributes,
        name: input.identity.name ?? null,
        email: input.identity.email ?? null,
        expiresAt: expires.toISOString(),
        signedInAt: now.toISOString(),
        csrfToken: csrfTokenOf(secret),
      },
    };
  }

  /**
   * The session of a cookie's secret, or null when it is unknown, revoked, past its absolute
   * expiry, idle longer than `idleTimeoutSeconds`, or its role is no longer declared. Moves
   * `last_seen_at` (at most once a minute).
   */
  async authenticate(secret: string, idleTimeoutSeconds: number): Promise<Session | null> {
    if (typeof secret !== 'string' || !SECRET_RE.test(secret)) return null;
    const d = this.names().dialect;
    const q = (c: string) => d.quoteIdent(c);
    const hash = hashSessionSecret(secret);
    const rows = await this.reader.query(`select ${COLUMNS.map(q).join(', ')} from ${this.table} where ${q('session_hash')} = ${d.param(1)} and ${q('revoked_at')} is null`, [hash]);
    const r = rows[0];
    if (!r) return null;
    const now = Date.now();
    const expiresAt = isoFromDb(r.expires_at) ?? '';
    const lastSeen = Date.parse(isoFromDb(r.last_seen_at) ?? '');
    if (!(Date.parse(expiresAt) > now) || !(now - lastSeen < idleTimeoutSeconds * 1000)) return null;
    const role = String(r.role);
    if (!Object.hasOwn(this.project().roles, role)) return null;
    // on the read connection, outside any transaction of the main one (a scenario's, an apply's);
    // best effort: a failed touch never fails the request, the next one tries again
    // at least twice per idle timeout, so a short one (a kiosk's 30 s) never ends a busy session
    if (now - lastSeen >= Math.min(TOUCH_EVERY_MS, (idleTimeoutSeconds * 1000) / 2))
      await this.reader
        .execute(`update ${this.table} set ${q('last_seen_at')} = ${d.param(1)} where ${q('session_hash')} = ${d.param(2)}`, [new Date(now), hash])
        .catch(() => undefined);
    return {
      sessionId: hash,
      user: String(r.user_name),
      role,
      attributes: JSON.parse(String(r.attributes)) as Record<string, string>,
      name: r.display_name === null || r.display_name === undefined ? null : String(r.display_name),
      email: r.email === null || r.email === undefined ? null : String(r.email),
      expiresAt,
      signedInAt: isoFromDb(r.created_at) ?? '',
      csrfToken: csrfTokenOf(secret),
    };
  }

  /**
   * Delete the sessions that ended (expired) more than `days` ago — they can no longer sign anyone
   * in; the log, not this table, is the audit trail. Returns nothing; called when a server starts.
   */
  async purgeEnded(days = 30): Promise<void> {
    const d = this.names().dialect;
    await this.reader.execute(`delete from ${this.table} where ${d.quoteIdent('expires_at')} < ${d.param(1)}`, [new Date(Date.now() - days * 86_400_000)]);
  }

  /** End a session (sign-out); idempotent. */
  async revoke(sessionId: string): Promise<void> {
    const d = this.names().dialect;
    const q = (c: string) => d.quoteIdent(c);
    await this.reader.execute(`update ${this.table} set ${q('revoked_at')} = ${d.param(1)} where ${q('session_hash')} = ${d.param(2)} and ${q('revoked_at')} is null`, [
      new Date(Date.now()),
      sessionId,
    ]);
  }
}
