import { BigQuery } from '@google-cloud/bigquery';
import type { BigQueryClient } from './bigquery-client.js';

/** Connection settings of a BigQuery target (after `{{ env() }}` resolution). */
export interface BigQueryConnectionOptions {
  projectId: string;
  /** Service-account key file; absent = application-default credentials. */
  keyFilename?: string;
  /** Dataset location (`EU`, `US`, `europe-west3`, …). */
  location?: string;
}

/** A client over `@google-cloud/bigquery` (INT64 wrapped so no integer loses precision). */
export function sdkClient(options: BigQueryConnectionOptions): BigQueryClient {
  const bq = new BigQuery({
    projectId: options.projectId,
    ...(options.keyFilename ? { keyFilename: options.keyFilename } : {}),
    ...(options.location ? { location: options.location } : {}),
  });
  return {
    async query(sql, params, types, session) {
      const [job] = await bq.createQueryJob({
        query: sql,
        params,
        types,
        useLegacySql: false,
        ...(options.location ? { location: options.location } : {}),
        ...(session.create ? { createSession: true } : {}),
        ...(session.id ? { connectionProperties: [{ key: 'session_id', value: session.id }] } : {}),
      });
      const [rows] = await job.getQueryResults({ wrapIntegers: true });
      const [meta] = await job.getMetadata();
      const stats = (meta as { statistics?: { query?: { numDmlAffectedRows?: string }; sessionInfo?: { sessionId?: string } } }).statistics;
      const affected = stats?.query?.numDmlAffectedRows;
      return {
        rows: rows as Record<string, unknown>[],
        affected: affected === undefined ? undefined : Number(affected),
        sessionId: stats?.sessionInfo?.sessionId,
      };
    },
    async datasetExists(name) {
      const [exists] = await bq.dataset(name).exists();
      return exists;
    },
  };
}
