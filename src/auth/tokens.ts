import { createHash, randomBytes } from 'node:crypto';
import type { Adapter } from '../adapters/adapter.js';
import type { Project } from '../ir/types.js';
import { TOKENS_TABLE } from '../managed/names.js';
import type { SqlNames } from '../managed/sql-names.js';
import { type ErrorDetail, type Outcome, type WriteError, failure } from '../rules/outcome.js';
import { textProblem } from '../rules/column-rules.js';
import { isoFromDb } from '../rules/wire-values.js';
import type { AuthenticatedActor, CreateTokenInput, TokenInfo } from './types.js';

const TOKEN_RE = /^wb_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;
/** The columns a token is read from, quoted by `d`. */
const columns = (d: SqlNames['dialect']) => ['token_id', 'user_name', 'role', 'attributes', 'created_at', 'created_by', 'revoked_at'].map((c) => d.quoteIdent(c)).join(', ');

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
  };
}

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
  constructor(
    private readonly writer: Adapter,
    private readonly reader: Adapter,
    private readonly names: () => SqlNames,
    private readonly project: () => Project,
  ) {}

  private get table(): string {
    return this.names().meta(TOKENS_TABLE);
  }

  /** Create a token for a user with a declared role; the secret is returned once and never stored. */
  async create(input: CreateTokenInput): Promise<Outcome<{ token: string; info: TokenInfo }>> {
    const problem = identityProblem(this.project(), input.user, input.role, input.attributes ?? {});
    if (problem) return { ok: false, error: problem };
    const attributes = input.attributes ?? {};
    const tokenId = randomBytes(6).toString('hex');
    const token = `wb_${tokenId}_${randomBytes(32).toString('base64url')}`;
    const now = new Date(Date.now());
    const d = this.names().dialect;
    const cols = ['token_id', 'token_hash', 'user_name', 'role', 'attributes', 'created_at', 'created_by', 'revoked_at'].map((c) => d.quoteIdent(c));
    await this.writer.execute(
      `insert into ${this.table} (${cols.join(', ')}) ` +
        `values (${[1, 2, 3, 4, 5, 6, 7].map((i) => d.param(i)).join(', ')}, null)`,
      [tokenId, hashToken(token), input.user, input.role, JSON.stringify(attributes), now, input.createdBy ?? input.user],
    );
    const info: TokenInfo = {
      tokenId,
      user: input.user,
      role: input.role,
      attributes,
      createdAt: now.toISOString(),
      createdBy: input.createdBy ?? input.user,
      revokedAt: null,
    };
    return { ok: true, token, info };
  }

  /** Every token, oldest first (revoked ones included, with `revokedAt`). */
  async list(): Promise<TokenInfo[]> {
    const d = this.names().dialect;
    const rows = await this.reader.query(`select ${columns(d)} from ${this.table} order by ${d.quoteIdent('created_at')}, ${d.quoteIdent('token_id')}`);
    return rows.map(toInfo);
  }

  /** Revoke a token by id (idempotent); `not_found` for an unknown id. */
  async revoke(tokenId: string): Promise<Outcome<{ info: TokenInfo }>> {
    const d = this.names().dialect;
    const q = (c: string) => d.quoteIdent(c);
    await this.writer.execute(`update ${this.table} set ${q('revoked_at')} = ${d.param(1)} where ${q('token_id')} = ${d.param(2)} and ${q('revoked_at')} is null`, [
      new Date(Date.now()),
      tokenId,
    ]);
    const rows = await this.writer.query(`select ${columns(d)} from ${this.table} where ${q('token_id')} = ${d.param(1)}`, [tokenId]);
    if (!rows[0]) return failure('not_found', `no token with id '${tokenId}'`);
    return { ok: true, info: toInfo(rows[0]) };
  }

  /** The actor of a valid, unrevoked token whose role still exists; null otherwise (HTTP 401). */
  async authenticate(token: string): Promise<AuthenticatedActor | null> {
    if (typeof token !== 'string' || !TOKEN_RE.test(token)) return null;
    const d = this.names().dialect;
    const q = (c: string) => d.quoteIdent(c);
    const rows = await this.reader.query(`select ${columns(d)} from ${this.table} where ${q('token_hash')} = ${d.param(1)} and ${q('revoked_at')} is null`, [hashToken(token)]);
    if (!rows[0]) return null;
    const info = toInfo(rows[0]);
    if (!Object.hasOwn(this.project().roles, info.role)) return null;
    return { user: info.user, role: info.role, attributes: info.attributes, tokenId: info.tokenId };
  }
}
