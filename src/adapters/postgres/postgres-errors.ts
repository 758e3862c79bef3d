import { UsageError } from '../usage-error.js';
import { WarehouseError } from '../warehouse-error.js';

/** Where the adapter tried to connect (for messages). */
interface Where {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** SQLSTATEs of a transaction another writer got to first (retry it on fresh reads). */
const CONFLICT: Record<string, string> = {
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  // the write path checks keys before inserting them: a taken key means another writer took it meanwhile
  '23505': 'unique_violation',
  // a set-based upsert met a key twice: its source held another writer's rows
  '21000': 'cardinality_violation',
};
/** SQLSTATEs of a refusal for now (the same transaction may pass later). */
const RETRYABLE = new Set(['55P03']); // lock_not_available
/** SQLSTATEs of a session that is gone: class 08 (connection exception) and the shutdowns of class 57P. */
const LOST = /^(08...|57P0[123])$/;
/** Socket failures node-pg passes through while a session is open. */
const SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * A Postgres failure as what a caller can do about it: while connecting, a failure a user can fix
 * (unreachable host, bad credentials, unknown database) becomes a UsageError with a hint; in an
 * open session, a conflict, a retryable refusal or a lost connection (SQLSTATE, socket code, or
 * `lost`: pg already reported the session dead) becomes a WarehouseError; a missing grant is a
 * UsageError. Anything else is returned unchanged.
 */
export function postgresError(err: unknown, where: Where, phase: 'connect' | 'session', lost = false): unknown {
  if (!(err instanceof Error)) return err;
  const code = String((err as { code?: unknown }).code ?? '');
  const at = `${where.host}:${where.port}`;
  if (phase === 'session') {
    if (CONFLICT[code]) return new WarehouseError('conflict', err.message, { code, cause: err });
    if (RETRYABLE.has(code)) return new WarehouseError('retryable', err.message, { code, cause: err });
    if (LOST.test(code) || SOCKET.has(code) || lost)
      return new WarehouseError('connection-lost', `the connection to Postgres at ${at} was lost: ${err.message}`, { ...(code ? { code } : {}), cause: err });
  }
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return new UsageError(`cannot reach Postgres at ${at} (${code}): check host/port in the target and that the server accepts TCP connections`);
    case '28P01':
    case '28000':
      return new UsageError(
        `Postgres at ${at} refused user '${where.user}': ${err.message} (check the user and the password's environment variable)`,
      );
    case '3D000':
      return new UsageError(`Postgres at ${at} has no database '${where.database}': create it or fix 'database' in the target`);
    case '42501':
      return new UsageError(
        `Postgres user '${where.user}' lacks a privilege: ${err.message}. ` +
          'The role needs to own the write-back schemas and to have USAGE + SELECT on the source schemas (see src/adapters/CONTEXT.md, "Least-privilege grants")',
      );
    default:
      if (phase === 'connect' && /timeout expired|Connection terminated due to connection timeout/i.test(err.message))
        return new UsageError(`cannot reach Postgres at ${at}: the connection timed out`);
      return err;
  }
}
