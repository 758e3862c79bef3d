import { UsageError } from '../usage-error.js';

/**
 * A BigQuery failure a user can fix (no credentials, unreachable API, missing permission, unknown
 * project) as a UsageError with a hint; anything else is returned unchanged (the write path
 * retries "could not serialize access", "concurrent update" and "too many DML statements" by message).
 */
export function bigqueryError(err: unknown, projectId: string): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { code?: unknown };
  const message = e.message;
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
