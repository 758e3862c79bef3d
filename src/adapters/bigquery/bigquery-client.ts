/** The result of one BigQuery query job. */
export interface BigQueryResult {
  /** Rows as the client returns them (INT64 wrapped, NUMERIC as Big, DATE/TIMESTAMP as wrapper objects). */
  rows: Record<string, unknown>[];
  /** `numDmlAffectedRows` of a DML statement. */
  affected: number | undefined;
  /** The session the job ran in (set when the job created one). */
  sessionId: string | undefined;
}

/** A parameter's type as the client takes it: a scalar type name, or an array of structs (`[{ c0: 'STRING', … }]`). */
export type BigQueryParamType = string | [Record<string, string>];

/**
 * Where a job runs: `{ create: true }` opens a new session with this job (`createSession`),
 * `{ id }` runs it in that session, `{}` runs it as a plain job outside any session.
 */
export interface BigQuerySessionOption {
  id?: string;
  create: boolean;
}

/**
 * The SDK boundary: what the adapter needs from `@google-cloud/bigquery`. `bigquery-driver.ts`
 * implements it with the real client; unit tests implement it with a mock.
 */
export interface BigQueryClient {
  /** Run one statement with named parameters (`@p1` → `params.p1`, its type in `types.p1`). */
  query(sql: string, params: Record<string, unknown>, types: Record<string, BigQueryParamType>, session: BigQuerySessionOption): Promise<BigQueryResult>;
  /** Whether a dataset exists in the client's project. */
  datasetExists(name: string): Promise<boolean>;
}
