import type { Actor } from './actor.js';

/** A stored API token as listed (the secret itself is never stored, only its sha256). */
export interface TokenInfo {
  /** Public id (the token's prefix), used by `revoke` and shown by `token list`. */
  tokenId: string;
  user: string;
  role: string;
  attributes: Record<string, string>;
  /** ISO `Z`. */
  createdAt: string;
  createdBy: string;
  /** ISO `Z`, or null while the token is valid. */
  revokedAt: string | null;
  /** `service` (created by an administrator with `writeback token create`) or `personal` (created by a signed-in user). */
  kind: TokenKind;
  /** What the token is for; null for service tokens created without one. */
  name: string | null;
  /** ISO `Z`; null = never expires. */
  expiresAt: string | null;
  /** ISO `Z` of the latest request it signed in (updated at most once a minute); null = never used. */
  lastUsedAt: string | null;
}

/** Who created a token: an administrator for a script or service, or a signed-in person for their own scripts. */
export type TokenKind = 'service' | 'personal';

/** What `authenticate` returns for a valid token: an actor to pass to write/read calls. */
export interface AuthenticatedActor extends Actor {
  role: string;
  attributes: Record<string, string>;
  tokenId: string;
}

/** Input of `tokens.create`. */
export interface CreateTokenInput {
  user: string;
  /** A role declared in project.yml. */
  role: string;
  /** Values of the role's attributes (e.g. `{ region: 'EMEA' }`). */
  attributes?: Record<string, string>;
  /** Who created it (recorded); default: `user`. */
  createdBy?: string;
  /** What it is for. */
  name?: string;
  /** Default `service`. */
  kind?: TokenKind;
  /** When it stops signing in (ISO 8601 or a Date); absent = never. Must be in the future. */
  expiresAt?: string | Date;
}

/** Input of `tokens.createPersonal`: a signed-in person's token for their own scripts. */
export interface PersonalTokenInput {
  /** What script it is for (required). */
  name: unknown;
  /** Lifetime in whole days from now (1 or more); or give `expiresAt`; neither = the longest allowed. */
  expiresInDays?: unknown;
  /** ISO 8601 timestamp in the future, within the longest allowed lifetime. */
  expiresAt?: unknown;
}

/** What signing in with a token gives: the actor, or why not (`invalid` covers unknown, malformed and revoked). */
export type TokenSignIn = { ok: true; actor: AuthenticatedActor } | { ok: false; reason: 'invalid' | 'expired' };
