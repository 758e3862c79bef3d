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

/** One bound value as the SDK takes it. */
export type SnowflakeBind = string | number | boolean | null;

/**
 * The SDK boundary: one Snowflake session. `snowflake-driver.ts` implements it with
 * `snowflake-sdk`; unit tests implement it with a mock.
 */
export interface SnowflakeSession {
  /**
   * Run one statement. `binds` is one value per placeholder, or — the SDK's array binding — one
   * array of values per row, the statement running once for each row in a single request.
   */
  execute(sql: string, binds: SnowflakeBind[] | SnowflakeBind[][]): Promise<SnowflakeResult>;
  /** False once the SDK knows the session is gone (terminated, expired and not renewable). Absent: assumed up. */
  isUp?(): boolean;
  destroy(): Promise<void>;
}

/** Opens sessions (the real one connects through the SDK). */
export type SnowflakeConnector = () => Promise<SnowflakeSession>;
