/** A column of a Snowflake result, as the SDK describes it. */
export interface SnowflakeColumn {
  name: string;
  /** Lower-case SDK type name: `fixed`, `real`, `text`, `boolean`, `date`, `timestamp_ntz`, `timestamp_ltz`, `timestamp_tz`, … */
  type: string;
  scale: number;
}

/** The result of one statement. */
export interface SnowflakeResult {
  columns: SnowflakeColumn[];
  /** Rows keyed by column name as Snowflake reports it (unquoted names upper-case); numbers, dates and timestamps as text. */
  rows: Record<string, unknown>[];
  /** Rows inserted/updated/deleted, when the statement changed rows. */
  updated: number | undefined;
}

/**
 * The SDK boundary: one Snowflake session. `snowflake-driver.ts` implements it with
 * `snowflake-sdk`; unit tests implement it with a mock.
 */
export interface SnowflakeSession {
  execute(sql: string, binds: (string | number | boolean | null)[]): Promise<SnowflakeResult>;
  destroy(): Promise<void>;
}

/** Opens sessions (the real one connects through the SDK). */
export type SnowflakeConnector = () => Promise<SnowflakeSession>;
