import snowflake from 'snowflake-sdk';
import { MAX_ARRAY_BINDS } from './snowflake-bulk.js';
import type { SnowflakeConnector, SnowflakeSession } from './snowflake-session.js';

/** Connection settings of a Snowflake target (after `{{ env() }}` resolution). */
export interface SnowflakeConnectionOptions {
  account: string;
  username: string;
  /** Password auth. */
  password?: string;
  /** Key-pair auth: a PKCS#8 private key file (`authenticator: SNOWFLAKE_JWT`). */
  privateKeyPath?: string;
  privateKeyPass?: string;
  warehouse?: string;
  database: string;
  /** Current schema of the session (where temporary tables go). */
  schema?: string;
  role?: string;
  /** Seconds to wait for the login (not a bound on later statements). */
  loginTimeout?: number;
  /** QUERY_TAG of the session (at most 2,000 characters): every statement of it carries the tag in QUERY_HISTORY. */
  queryTag?: string;
}

let configured = false;

/** A connector that opens real sessions through `snowflake-sdk` (quiet: ERROR-level logs only). */
export function sdkConnector(options: SnowflakeConnectionOptions): SnowflakeConnector {
  if (!configured) {
    snowflake.configure({ logLevel: 'ERROR' });
    configured = true;
  }
  return async () => {
    const conn = snowflake.createConnection({
      account: options.account,
      username: options.username,
      ...(options.privateKeyPath
        ? { authenticator: 'SNOWFLAKE_JWT', privateKeyPath: options.privateKeyPath, ...(options.privateKeyPass ? { privateKeyPass: options.privateKeyPass } : {}) }
        : { password: options.password ?? '' }),
      ...(options.warehouse ? { warehouse: options.warehouse } : {}),
      database: options.database,
      ...(options.schema ? { schema: options.schema } : {}),
      ...(options.role ? { role: options.role } : {}),
      // a long-running `serve` keeps its sessions: without heartbeats Snowflake ends them ~4 h after the last query
      clientSessionKeepAlive: true,
      application: 'writeback',
      // set at login as the session's QUERY_TAG, so a re-opened session carries it too
      ...(options.queryTag ? { queryTag: options.queryTag } : {}),
      // array binds up to this many values go inline; above it the SDK would stage them with DDL, which commits the open transaction
      arrayBindingThreshold: MAX_ARRAY_BINDS,
    });
    // the SDK's `timeout` caps every request, not the login: the login's own bound is kept here
    await new Promise<void>((resolve, reject) => {
      const timer = options.loginTimeout
        ? setTimeout(() => {
            conn.destroy(() => undefined);
            reject(new Error(`could not log in to Snowflake account '${options.account}' within login_timeout (${options.loginTimeout} s)`));
          }, options.loginTimeout * 1000)
        : undefined;
      conn.connect((err) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      });
    });
    const session: SnowflakeSession = {
      execute: (sql, binds) =>
        new Promise((resolve, reject) => {
          conn.execute({
            sqlText: sql,
            binds,
            fetchAsString: ['Number', 'Date', 'JSON'],
            complete: (err, stmt, rows) => {
              if (err) return reject(err);
              const columns = ('getColumns' in stmt ? (stmt.getColumns() ?? []) : []).map((c) => ({ name: c.getName(), type: c.getType().toLowerCase(), scale: c.getScale() }));
              const updated = 'getNumUpdatedRows' in stmt ? stmt.getNumUpdatedRows() : undefined;
              resolve({ columns, rows: (rows ?? []) as Record<string, unknown>[], updated: updated ?? undefined });
            },
          });
        }),
      isUp: () => conn.isUp(),
      destroy: () => new Promise((resolve) => conn.destroy(() => resolve())),
    };
    return session;
  };
}
