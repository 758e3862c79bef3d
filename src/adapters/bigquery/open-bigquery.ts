import { isAbsolute, join } from 'node:path';
import type { Dialect } from '../../dialects/dialect.js';
import { requireSetting } from '../target-settings.js';
import { UsageError } from '../usage-error.js';
import { BigQueryAdapter } from './bigquery-adapter.js';
import { sdkClient, type BigQueryConnectionOptions } from './bigquery-driver.js';

const KNOWN = ['project', 'location', 'key_file'];

/**
 * Connection options of a BigQuery target from its (env-resolved) settings: `project`, `location`,
 * and `key_file` (a service-account key, relative to the project); without `key_file`,
 * application-default credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud, the metadata server).
 */
export function bigqueryOptions(targetName: string, settings: Record<string, string>, projectDir: string): BigQueryConnectionOptions {
  const unknown = Object.keys(settings).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) throw new UsageError(`target '${targetName}' (bigquery): unknown setting(s) ${unknown.join(', ')} (known: ${KNOWN.join(', ')})`);
  const key = settings.key_file;
  return {
    projectId: requireSetting(targetName, settings, 'project', `"{{ env('BIGQUERY_PROJECT') }}"`),
    ...(key ? { keyFilename: isAbsolute(key) ? key : join(projectDir, key) } : {}),
    ...(settings.location ? { location: settings.location } : {}),
  };
}

/** Open a BigQuery target (the registry imports this module only when such a target is used). */
export async function openBigQuery(targetName: string, settings: Record<string, string>, dialect: Dialect, projectDir: string): Promise<BigQueryAdapter> {
  const options = bigqueryOptions(targetName, settings, projectDir);
  return new BigQueryAdapter(dialect, sdkClient(options), options.projectId);
}
