/**
 * A person's stable identity from an identity provider: the issuer and the subject it gives them.
 * E-mail addresses and display names change; `(issuer, subject)` does not, so it is what the log
 * records as `_user` (and what history, four-eyes approval and row ownership compare).
 */
export interface Identity {
  issuer: string;
  subject: string;
  /** Display name and e-mail address as the provider last sent them (kept in `_wb_users`). */
  name?: string;
  email?: string;
}

/**
 * The user id of an identity: `<issuer>#<subject>`. An issuer is a URL without a fragment (OpenID
 * Connect Discovery §3), so the first `#` separates the two parts unambiguously.
 */
export function userIdOf(identity: Pick<Identity, 'issuer' | 'subject'>): string {
  return `${identity.issuer}#${identity.subject}`;
}
