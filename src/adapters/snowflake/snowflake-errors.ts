import { UsageError } from '../usage-error.js';

/**
 * A Snowflake failure a user can fix (unreachable account, rejected credentials or key, missing
 * grant or object) as a UsageError with a hint; anything else is returned unchanged (the write
 * path retries lock and conflict errors by message).
 */
export function snowflakeError(err: unknown, where: { account: string; user: string; database: string }): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { code?: unknown; sqlState?: unknown; cause?: unknown };
  const code = String(e.code ?? '');
  const causeCode = String((e.cause as { code?: unknown } | undefined)?.code ?? '');
  const message = e.message;
  if (['ENOTFOUND', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN'].includes(causeCode) || code === '401001' || /network error|getaddrinfo|ENOTFOUND/i.test(message))
    return new UsageError(`cannot reach Snowflake account '${where.account}': ${message} (check 'account' — e.g. myorg-myaccount — and the network)`);
  if (['390100', '390144', '390318', '394304', '390302'].includes(code) || /incorrect username or password|JWT token is invalid|authentication failed/i.test(message))
    return new UsageError(
      `Snowflake refused user '${where.user}' on '${where.account}': ${message} ` +
        '(check the password variable, or for key-pair auth that private_key_path is the PKCS#8 key whose public key is set on the user with ALTER USER … SET RSA_PUBLIC_KEY)',
    );
  if (/insufficient privileges|not authorized|does not exist or not authorized/i.test(message) || e.sqlState === '42501')
    return new UsageError(
      `Snowflake user '${where.user}' lacks a grant in database '${where.database}': ${message}. ` +
        'The role needs OWNERSHIP of the write-back schemas, USAGE on the warehouse, and USAGE + SELECT on the source schemas (see src/adapters/CONTEXT.md, "Least-privilege grants")',
    );
  if (/no active warehouse/i.test(message))
    return new UsageError(`Snowflake has no warehouse for this session: set 'warehouse' in the target (and GRANT USAGE ON WAREHOUSE … TO ROLE …)`);
  return err;
}
