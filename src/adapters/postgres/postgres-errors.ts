import { UsageError } from '../usage-error.js';
import { WarehouseError } from '../warehouse-error.js';

/** Where the adapter tried to connect (for messages). */
interface Where {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode?: string;
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
/** Every connection slot of the server is taken (`max_connections`, or the slots left to non-superusers). */
const TOO_MANY_CONNECTIONS = '53300';
/**
 * SQLSTATEs of a session that is gone: class 08 (connection exception), the shutdowns of class 57P
 * (admin_shutdown, crash_shutdown, cannot_connect_now, idle_session_timeout) and the end of a
 * session idle in a transaction too long (25P03).
 */
const LOST = /^(08...|57P0[1235]|25P03)$/;
/** Socket failures node-pg passes through while a session is open. */
const SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Node's codes of a server certificate that failed verification (unknown CA, self-signed, wrong host name, expired). */
const TLS_CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)/;
/** Why a new session could not be opened for now: the server is down, restarting or starting up. */
const NOT_NOW = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * A Postgres failure as what a caller can do about it: while connecting first, a failure a user can
 * fix (unreachable host, bad credentials, unknown database) becomes a UsageError with a hint; while
 * opening a new session for a running process (`reconnect`), a server that is down, restarting or
 * starting up is `connection-lost`; a server whose connection slots are all taken is `retryable`
 * in every phase; in an open session, a conflict, a retryable refusal or a lost connection
 * (SQLSTATE, socket code, or `lost`: pg already reported the session dead) becomes a
 * WarehouseError; a missing grant is a UsageError. Anything else is returned unchanged.
 */
export function postgresError(err: unknown, where: Where, phase: 'connect' | 'reconnect' | 'session', lost = false): unknown {
  if (!(err instanceof Error)) return err;
  const code = String((err as { code?: unknown }).code ?? '');
  const at = `${where.host}:${where.port}`;
  if (code === TOO_MANY_CONNECTIONS)
    return new WarehouseError('retryable', `Postgres at ${at} has no free connection slot (max_connections, or a connection limit of the role or database, reached): ${err.message}`, { code, cause: err });
  if (phase === 'reconnect' && (NOT_NOW.has(code) || LOST.test(code) || /timeout expired|Connection terminated/i.test(err.message)))
    return new WarehouseError('connection-lost', `the connection to Postgres at ${at} was lost and a new one cannot be opened yet: ${err.message}`, {
      ...(code ? { code } : {}),
      cause: err,
    });
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
      if (TLS_CERTIFICATE.test(code))
        return new UsageError(
          `Postgres at ${at} presented a TLS certificate that sslmode '${where.sslmode ?? 'prefer'}' does not accept (${code}: ${err.message}): ` +
            "check ssl_ca (the CA that signed the server's certificate) and, for verify-full, that host is a name the certificate was issued for",
        );
      if (err.message === 'The server does not support SSL connections')
        return new UsageError(
          `Postgres at ${at} does not accept TLS connections, which sslmode '${where.sslmode ?? 'prefer'}' requires: turn ssl on in the server, or set sslmode: prefer (TLS when offered) or disable in the target`,
        );
      if (phase !== 'session' && /timeout expired|Connection terminated due to connection timeout/i.test(err.message))
        return new UsageError(`cannot reach Postgres at ${at}: the connection timed out`);
      return err;
  }
}
