import { UsageError } from '../usage-error.js';
import { WarehouseError } from '../warehouse-error.js';

/** Snowflake error codes of a refusal for now: 000625, the 21st statement waiting on one table's lock. */
const RETRYABLE = new Set(['000625']);
/** A MERGE met a target row twice (100090, "Duplicate row detected during DML action"): its source held another writer's rows. */
const CONFLICT = new Set(['100090']);
/**
 * A session that is gone: no longer on the server (390111), expired (390112: the SDK renews it
 * itself while its master token lives, so this arrives when it could not), its master token
 * expired (390114), the SDK's request on a disconnected connection (405503, 407001, 407002), or
 * the network failing mid-request (401001, 401002, or a socket error as the cause).
 */
const LOST = new Set(['390111', '390112', '390114', '405503', '407001', '407002', '401001', '401002']);
/** Node socket errors of a request whose connection failed. */
const SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** Snowflake's SQL error codes are six digits with leading zeros (`000625`); the SDK's own are numbers. */
function codeOf(e: { code?: unknown }): string {
  const code = String(e.code ?? '');
  return /^\d{1,5}$/.test(code) ? code.padStart(6, '0') : code;
}

/**
 * A Snowflake failure as what a caller can do about it: in an open session, a lock-waiter limit
 * (`retryable`), a MERGE that met a row twice (`conflict`) or a lost session (`connection-lost`)
 * become WarehouseErrors, by error code; a failure a user can fix (unreachable account, rejected
 * credentials or key, missing grant or warehouse) becomes a UsageError with a hint. Anything else
 * is returned unchanged.
 */
export function snowflakeError(err: unknown, where: { account: string; user: string; database: string }, phase: 'connect' | 'session'): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { code?: unknown; sqlState?: unknown; cause?: unknown };
  const code = codeOf(e);
  const causeCode = String((e.cause as { code?: unknown } | undefined)?.code ?? '');
  const message = e.message;
  if (phase === 'session') {
    if (RETRYABLE.has(code)) return new WarehouseError('retryable', message, { code, cause: err });
    if (CONFLICT.has(code)) return new WarehouseError('conflict', message, { code, cause: err });
    if (LOST.has(code) || SOCKET.has(code) || SOCKET.has(causeCode)) return new WarehouseError('connection-lost', `the Snowflake session on '${where.account}' was lost: ${message}`, { code, cause: err });
  }
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
