import { createHash, randomBytes } from 'node:crypto';
import type { Adapter } from '../adapters/adapter.js';
import type { Project } from '../ir/types.js';
import { TOKENS_TABLE } from '../managed/names.js';
import type { SqlNames } from '../managed/sql-names.js';
import { type ErrorDetail, type Outcome, type WriteError, failure } from '../rules/outcome.js';
import { textProblem } from '../rules/column-rules.js';
import { isoFromDb } from '../rules/wire-values.js';
import type { AuthenticatedActor, CreateTokenInput, PersonalTokenInput, TokenInfo, TokenKind, TokenSignIn } from './types.js';

const TOKEN_RE = /^wb_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

/** The public id of a well-formed token (`wb_<id>_<secret>`), safe to log; undefined for anything else. */
export function publicTokenId(token: string): string | undefined {
  return TOKEN_RE.exec(token)?.[1];
}
/** The columns a token is read from, quoted by `d`. */
const COLUMNS = ['token_id', 'user_name', 'role', 'attributes', 'created_at', 'created_by', 'revoked_at', 'kind', 'name', 'expires_at', 'last_used_at'];
const columns = (d: SqlNames['dialect']) => COLUMNS.map((c) => d.quoteIdent(c)).join(', ');
/** A token's `last_used_at` moves at most this often (one write per token per minute, whatever the traffic). */
export const LAST_USED_INTERVAL_MS = 60_000;
const DAY_SECONDS = 86_400;
/** Longest token name. */
const NAME_MAX = 200;

/** sha256 (hex) of a token: the only form in which tokens are stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toInfo(r: Record<string, unknown>): TokenInfo {
  return {
    tokenId: String(r.token_id),
    user: String(r.user_name),
    role: String(r.role),
    attributes: JSON.parse(String(r.attributes)) as Record<string, string>,
    createdAt: isoFromDb(r.created_at) ?? '',
    createdBy: String(r.created_by),
    revokedAt: isoFromDb(r.revoked_at),
    // tokens of earlier versions have no kind: they were all created with `writeback token create`
    kind: r.kind === 'personal' ? 'personal' : 'service',
    name: r.name === null || r.name === undefined ? null : String(r.name),
    expiresAt: isoFromDb(r.expires_at),
    lastUsedAt: isoFromDb(r.last_used_at),
  };
}

/** A lifetime in words: `90 days`, `12 hours`, `45 minutes`, `30 seconds`. */
export function lifetimeText(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds % DAY_SECONDS === 0) return unit(seconds / DAY_SECONDS, 'day');
  if (seconds % 3600 === 0) return unit(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return unit(seconds / 60, 'minute');
  return unit(seconds, 'second');
}

/** How long a personal token may live, and the setting that says so (for messages). */
export interface PersonalTokenLimit {
  maxLifetimeSeconds: number;
  /** Where the limit is set, e.g. `targets.prod.auth.personal_tokens.max_lifetime` (or the default). */
  setting: string;
}

/** The default longest lifetime of a personal token: 90 days. */
export const DEFAULT_PERSONAL_TOKEN_LIFETIME_SECONDS = 90 * DAY_SECONDS;

/** The attributes a role's row filters read, each with the tables whose filter reads it. */
export function attributesNeeded(project: Project, role: string): { attribute: string; tables: string[] }[] {
  const needed = new Map<string, string[]>();
  for (const input of Object.values(project.inputs))
    for (const f of input.permissions[role]?.rowFilter ?? []) {
      const tables = needed.get(f.attribute) ?? [];
      if (!tables.includes(input.name)) tables.push(input.name);
      needed.set(f.attribute, tables);
    }
  return [...needed].map(([attribute, tables]) => ({ attribute, tables }));
}

/**
 * Why an identity (a token's, or `serve --dev-user`'s) cannot act: no user, a role project.yml does
 * not declare, attributes the role does not declare, a missing attribute that the role's row
 * filters read (it would silently see no rows), or text that cannot be stored exactly. Undefined
 * when it can.
 */
export function identityProblem(project: Project, user: unknown, roleName: string, attributes: Record<string, unknown>): WriteError | undefined {
  const bad = (message: string, details: ErrorDetail[] = []) => failure('bad_request', message, details).error;
  if (typeof user !== 'string' || user === '') return bad('a token needs a user');
  const role = Object.hasOwn(project.roles, roleName) ? project.roles[roleName] : undefined;
  if (!role) return bad(`unknown role '${roleName}' (project.yml declares: ${Object.keys(project.roles).join(', ') || 'none'})`);
  const unknown = Object.keys(attributes).filter((a) => !role.attributes.includes(a));
  if (unknown.length > 0) return bad(`role '${roleName}' has no attribute ${unknown.join(', ')} (declared: ${role.attributes.join(', ') || 'none'})`);
  const missing = attributesNeeded(project, roleName).filter(({ attribute }) => !Object.hasOwn(attributes, attribute) || attributes[attribute] === '');
  if (missing.length > 0)
    return bad(
      `role '${roleName}' needs ${missing.map((m) => `the attribute '${m.attribute}' (the row filter of ${m.tables.join(', ')})`).join(' and ')}: a token without it would see no rows`,
      missing.map((m) => ({ column: m.attribute, message: `required by the row filter of ${m.tables.join(', ')}` })),
    );
  for (const [what, text] of [['user', user], ...Object.entries(attributes).map(([k, v]) => [`attribute '${k}'`, v])] as [string, unknown][]) {
    if (typeof text !== 'string') return bad(`the ${what} must be a string`);
    const problem = textProblem(text);
    if (problem) return bad(`the ${what} ${problem}`);
  }
  return undefined;
}

/** API tokens stored (as hashes) in `_wb_tokens`. */
export class TokenStore {
  /** When this process last wrote each token's `last_used_at` (ms). */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly writer: Adapter,
    private readonly reader: Adapter,
    private readonly names: () => SqlNames,
    private readonly project: () => Project,
    private readonly personalLimit: () => PersonalTokenLimit = () => ({ maxLifetimeSeconds: DEFAULT_PERSONAL_TOKEN_LIFETIME_SECONDS, setting: 'the default' }),
  ) {}

  private get table(): string {
    return this.names().meta(TOKENS_TABLE);
  }

  /** Create a token for a user with a declared role; the secret is returned once and never stored. */
  async create(input: CreateTokenInput): Promise<Outcome<{ token: string; info: TokenInfo }>> {
    const problem = identityProblem(this.project(), input.user, input.role, input.attributes ?? {});
    if (problem) return { ok: false, error: problem };
    const now = new Date(Date.now());
    const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
    if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt <= now))
      return failure('bad_request', `the expiry ${String(input.expiresAt)} is not a time in the future`, [{ column: 'expires_at', message: 'not in the future' }]);
    const name = input.name ?? null;
    if (name !== null) {
      const bad = nameProblem(name);
      if (bad) return { ok: false, error: bad };
    }
    const attributes = input.attributes ?? {};
    const kind: TokenKind = input.kind ?? 'service';
    const tokenId = randomBytes(6).toString('hex');
    const token = `wb_${tokenId}_${randomBytes(32).toString('base64url')}`;
    const d = this.names().dialect;
    const cols = ['token_id', 'token_hash', 'user_name', 'role', 'attributes', 'created_at', 'created_by', 'kind', 'name', 'expires_at', 'revoked_at', 'last_used_at'];
    const values = [tokenId, hashToken(token), input.user, input.role, JSON.stringify(attributes), now, input.createdBy ?? input.user, kind, name, expiresAt];
    await this.writer.execute(
      `insert into ${this.table} (${cols.map((c) => d.quoteIdent(c)).join(', ')}) ` +
        `values (${values.map((_, i) => this.typed(i + 1, i === 5 || i === 9 ? 'timestamp' : 'string')).join(', ')}, null, null)`,
      values,
    );
    const info: TokenInfo = {
      tokenId,
      user: input.user,
      role: input.role,
      attributes,
      createdAt: now.toISOString(),
      createdBy: input.createdBy ?? input.user,
      revokedAt: null,
      kind,
      name,
      expiresAt: expiresAt ? expiresAt.toISOString() : null,
      lastUsedAt: null,
    };
    return { ok: true, token, info };
  }

  /**
   * A signed-in person's token for their own scripts: their role and attributes as they are now,
   * a name, and an expiry within the longest lifetime allowed (`personal_tokens.max_lifetime`,
   * default 90 days); without an expiry it lives that longest lifetime.
   */
  async createPersonal(owner: { user: string; role: string; attributes: Record<string, string> }, input: PersonalTokenInput): Promise<Outcome<{ token: string; info: TokenInfo }>> {
    const bad = nameProblem(input.name);
    if (bad) return { ok: false, error: bad };
    const now = Date.now();
    const limit = this.personalLimit();
    const longest = `${lifetimeText(limit.maxLifetimeSeconds)} (${limit.setting})`;
    const latest = now + limit.maxLifetimeSeconds * 1000;
    let expiresAt: number;
    if (input.expiresInDays !== undefined && input.expiresAt !== undefined)
      return failure('bad_request', 'give expires_in_days or expires_at, not both', [{ column: 'expires_at', message: 'given with expires_in_days' }]);
    if (input.expiresInDays !== undefined) {
      const days = input.expiresInDays;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 1)
        return failure('bad_request', `expires_in_days must be a whole number of days, 1 or more (got ${JSON.stringify(days)})`, [{ column: 'expires_in_days', message: 'not a whole number of days ≥ 1' }]);
      expiresAt = now + days * DAY_SECONDS * 1000;
      if (expiresAt > latest)
        return failure('bad_request', `expires_in_days ${days} is beyond the longest lifetime of a personal token: ${longest}`, [{ column: 'expires_in_days', message: `at most ${lifetimeText(limit.maxLifetimeSeconds)}` }]);
    } else if (input.expiresAt !== undefined) {
      const at = typeof input.expiresAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(input.expiresAt) ? Date.parse(input.expiresAt) : Number.NaN;
      if (Number.isNaN(at)) return failure('bad_request', `expires_at ${JSON.stringify(input.expiresAt)} is not an ISO 8601 timestamp`, [{ column: 'expires_at', message: 'not an ISO 8601 timestamp' }]);
      if (at <= now) return failure('bad_request', `expires_at ${String(input.expiresAt)} is in the past`, [{ column: 'expires_at', message: 'in the past' }]);
      if (at > latest)
        return failure('bad_request', `expires_at ${String(input.expiresAt)} is beyond the longest lifetime of a personal token: ${longest}, so ${new Date(latest).toISOString()} at the latest`, [
          { column: 'expires_at', message: `at most ${lifetimeText(limit.maxLifetimeSeconds)} from now` },
        ]);
      expiresAt = at;
    } else expiresAt = latest;
    return this.create({ user: owner.user, role: owner.role, attributes: owner.attributes, createdBy: owner.user, name: String(input.name), kind: 'personal', expiresAt: new Date(expiresAt) });
  }

  /** The longest lifetime of a personal token (seconds), and the setting that gives it. */
  personalTokenLimit(): PersonalTokenLimit {
    return this.personalLimit();
  }

  /** Every token, oldest first (revoked ones included, with `revokedAt`). */
  async list(): Promise<TokenInfo[]> {
    const d = this.names().dialect;
    const rows = await this.reader.query(`select ${columns(d)} from ${this.table} order by ${d.quoteIdent('created_at')}, ${d.quoteIdent('token_id')}`);
    return rows.map(toInfo);
  }

  /** A person's own personal tokens that are not revoked (expired ones included), oldest first. */
  async listOwn(user: string): Promise<TokenInfo[]> {
    const d = this.names().dialect;
    const q = (c: string) => d.quoteIdent(c);
    const rows = await this.reader.query(
      `select ${columns(d)} from ${this.table} where ${q('user_name')} = ${d.param(1)} and ${q('kind')} = ${d.param(2)} and ${q('revoked_at')} is null ` +
        `order by ${q('created_at')}, ${q('token_id')}`,
      [user, 'personal'],
    );
    return rows.map(toInfo);
  }

  /** Revoke a token by id (idempotent); `not_found` for an unknown id. */
  async revoke(tokenId: string): Promise<Outcome<{ info: TokenInfo }>> {
    return this.revokeWhere(tokenId, undefined);
  }

  /**
   * Revoke one of `user`'s personal tokens (idempotent). Anyone else's token, or a service token,
   * answers `not_found` exactly like an id that does not exist.
   */
  async revokeOwn(user: string, tokenId: string): Promise<Outcome<{ info: TokenInfo }>> {
    return this.revokeWhere(tokenId, user);
  }

  private async revokeWhere(tokenId: string, owner: string | undefined): Promise<Outcome<{ info: TokenInfo }>> {
    const d = this.names().dialect;
    const q = (c: string) => d.quoteIdent(c);
    const ownerParams = owner === undefined ? [] : [owner, 'personal'];
    const ownerWhere = (first: number) => (owner === undefined ? '' : ` and ${q('user_name')} = ${d.param(first)} and ${q('kind')} = ${d.param(first + 1)}`);
    await this.writer.execute(
      `update ${this.table} set ${q('revoked_at')} = ${d.param(1)} where ${q('token_id')} = ${d.param(2)}${ownerWhere(3)} and ${q('revoked_at')} is null`,
      [new Date(Date.now()), tokenId, ...ownerParams],
    );
    const rows = await this.writer.query(`select ${columns(d)} from ${this.table} where ${q('token_id')} = ${d.param(1)}${ownerWhere(2)}`, [tokenId, ...ownerParams]);
    if (!rows[0]) return failure('not_found', `no token with id '${tokenId}'`);
    return { ok: true, info: toInfo(rows[0]) };
  }

  /** The actor of a valid, unrevoked token whose role still exists; null otherwise (HTTP 401). */
  async authenticate(token: string): Promise<AuthenticatedActor | null> {
    const signedIn = await this.signIn(token);
    return signedIn.ok ? signedIn.actor : null;
  }

  /**
   * Sign in with a token: its actor when it is known, unrevoked, unexpired and its role still
   * exists (then `last_used_at` moves, at most once a minute); else why not.
   */
  async signIn(token: string): Promise<TokenSignIn> {
    if (typeof token !== 'string' || !TOKEN_RE.test(token)) return { ok: false, reason: 'invalid' };
    const d = this.names().dialect;
    const q = (c: string) => d.quoteIdent(c);
    const rows = await this.reader.query(`select ${columns(d)} from ${this.table} where ${q('token_hash')} = ${d.param(1)} and ${q('revoked_at')} is null`, [hashToken(token)]);
    if (!rows[0]) return { ok: false, reason: 'invalid' };
    const info = toInfo(rows[0]);
    if (!Object.hasOwn(this.project().roles, info.role)) return { ok: false, reason: 'invalid' };
    const now = Date.now();
    if (info.expiresAt !== null && Date.parse(info.expiresAt) <= now) return { ok: false, reason: 'expired' };
    await this.touch(info, now);
    return { ok: true, actor: { user: info.user, role: info.role, attributes: info.attributes, tokenId: info.tokenId } };
  }

  /**
   * Record a use: one write per token per minute at most (checked here and, across processes, in
   * the update). It runs on the read connection, outside any transaction of the main one (a
   * scenario's, an apply's), and is best effort: a failed update never fails the request, the
   * next use tries again.
   */
  private async touch(info: TokenInfo, now: number): Promise<void> {
    const last = Math.max(this.touched.get(info.tokenId) ?? 0, info.lastUsedAt ? Date.parse(info.lastUsedAt) : 0);
    if (now - last < LAST_USED_INTERVAL_MS) return;
    this.touched.set(info.tokenId, now);
    const d = this.names().dialect;
    const q = (c: string) => d.quoteIdent(c);
    try {
      await this.reader.execute(
        `update ${this.table} set ${q('last_used_at')} = ${d.param(1)} where ${q('token_id')} = ${d.param(2)} and (${q('last_used_at')} is null or ${q('last_used_at')} < ${d.param(3)})`,
        [new Date(now), info.tokenId, new Date(now - LAST_USED_INTERVAL_MS)],
      );
    } catch {
      this.touched.delete(info.tokenId);
    }
  }

  /** A bound parameter cast to its column's type (a null still has a type on every warehouse). */
  private typed(i: number, type: 'string' | 'timestamp'): string {
    const d = this.names().dialect;
    return `cast(${d.param(i)} as ${d.columnType({ kind: 'system', type })})`;
  }
}

/** Why a token name cannot be stored: missing, too long, or text that cannot be stored exactly. */
function nameProblem(name: unknown): WriteError | undefined {
  const bad = (message: string) => failure('bad_request', message, [{ column: 'name', message }]).error;
  if (typeof name !== 'string' || name.trim() === '') return bad('a token needs a name: what script or service it is for');
  if ([...name].length > NAME_MAX) return bad(`the name is longer than ${NAME_MAX} characters`);
  const problem = textProblem(name);
  return problem ? bad(`the name ${problem}`) : undefined;
}
