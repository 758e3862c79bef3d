import { UsageError } from '../usage-error.js';

/** Where the adapter tried to connect (for messages). */
interface Where {
  host: string;
  port: number;
  database: string;
  user: string;
}

/**
 * A Postgres failure a user can fix (unreachable host, bad credentials, unknown database,
 * missing grant) as a UsageError with a hint; anything else is returned unchanged (the write
 * path recognises serialization failures and duplicate keys by their message and retries).
 */
export function postgresError(err: unknown, where: Where): unknown {
  if (!(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  const at = `${where.host}:${where.port}`;
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
      if (/timeout expired|Connection terminated due to connection timeout/i.test(err.message))
        return new UsageError(`cannot reach Postgres at ${at}: the connection timed out`);
      return err;
  }
}
