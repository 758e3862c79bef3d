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
}

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
}
