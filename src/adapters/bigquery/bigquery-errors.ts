import { UsageError } from '../usage-error.js';
import { WarehouseError } from '../warehouse-error.js';

/** The first error reason BigQuery gave (`invalidQuery`, `rateLimitExceeded`, `quotaExceeded`, …). */
function reasonOf(e: { errors?: unknown }): string | undefined {
  const first = Array.isArray(e.errors) ? (e.errors[0] as { reason?: unknown } | undefined) : undefined;
  return typeof first?.reason === 'string' ? first.reason : undefined;
}

// BigQuery reports a concurrent-update abort and a DML quota with reason `invalidQuery` /
// `quotaExceeded` shared with unrelated failures, so the text tells them apart — here, and only here.
const CONCURRENT_UPDATE = /could not serialize access to table .* due to concurrent update|transaction is aborted due to concurrent update/i;
const DML_QUOTA = /too many DML statements outstanding/i;
/** The session a job was sent to has ended (24 h idle, 7 days old, aborted): its temporary tables and open transaction are gone. */
const SESSION_GONE = /\bsession\b[^.]*\b(expired|terminated|not found|aborted|no longer (valid|available|active))\b/i;
/** Socket failures of the HTTP client while a job is sent or read: the job may or may not have run. */
const SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * A BigQuery failure as what a caller can do about it: a concurrent-update abort (`conflict`), a
 * DML quota or rate limit (`retryable`), a connection reset or an ended session (`connection-lost`) become
 * WarehouseErrors; a failure a user can fix (no credentials, unreachable API, missing
 * permission, unknown project) becomes a UsageError with a hint. Anything else is returned unchanged.
 */
export function bigqueryError(err: unknown, projectId: string): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { code?: unknown; errors?: unknown };
  const message = e.message;
  const reason = reasonOf(e);
  const code = reason ?? (e.code === undefined ? undefined : String(e.code));
  const info = { ...(code !== undefined ? { code } : {}), cause: err };
  if (CONCURRENT_UPDATE.test(message)) return new WarehouseError('conflict', message, info);
  if (reason === 'rateLimitExceeded' || DML_QUOTA.test(message)) return new WarehouseError('retryable', message, info);
  if (SESSION_GONE.test(message)) return new WarehouseError('connection-lost', `the BigQuery session ended: ${message}`, info);
  if (SOCKET.has(String(e.code)) || /socket hang up/i.test(message)) return new WarehouseError('connection-lost', `the connection to BigQuery was lost: ${message}`, info);
  if (/could not load the default credentials|invalid_grant|ENOENT.*\.json|error:0[0-9A-F]+:.*(PEM|key)/i.test(message))
    return new UsageError(
      `BigQuery has no usable credentials: ${message} (set key_file in the target to a service-account key, or GOOGLE_APPLICATION_CREDENTIALS, ` +
        'or run `gcloud auth application-default login`)',
    );
  if (['ENOTFOUND', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN'].includes(String(e.code)) || /getaddrinfo|ENOTFOUND|ECONNREFUSED/.test(message))
    return new UsageError(`cannot reach BigQuery (bigquery.googleapis.com): ${message}`);
  if (e.code === 403 || /access denied|permission .* denied|does not have .*permission/i.test(message))
    return new UsageError(
      `BigQuery refused an operation in project '${projectId}': ${message}. The service account needs roles/bigquery.jobUser on the project, ` +
        'roles/bigquery.dataOwner on the write-back datasets and roles/bigquery.dataViewer on the source datasets (see src/adapters/CONTEXT.md, "Least-privilege grants")',
    );
  if (/not found: project/i.test(message)) return new UsageError(`BigQuery project '${projectId}' was not found: check 'project' in the target`);
  return err;
}
