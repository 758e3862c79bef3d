import { isAbsolute, join } from 'node:path';
import type { Dialect } from '../../dialects/dialect.js';
import { intSetting, requireSetting } from '../target-settings.js';
import { UsageError } from '../usage-error.js';
import { foldName, SnowflakeAdapter } from './snowflake-adapter.js';
import { sdkConnector, type SnowflakeConnectionOptions } from './snowflake-driver.js';

const KNOWN = ['account', 'user', 'password', 'private_key_path', 'private_key_passphrase', 'warehouse', 'database', 'role', 'login_timeout', 'query_tag'];

/** The longest QUERY_TAG Snowflake (and snowflake-sdk) accepts. */
const MAX_QUERY_TAG = 2000;

/**
 * Connection options of a Snowflake target from its (env-resolved) settings: `account`, `user`,
 * `database`, `warehouse`, `role`, and either `password` or `private_key_path` (a PKCS#8 key
 * file, relative to the project; `private_key_passphrase` when it is encrypted). `query_tag` is the
 * sessions' QUERY_TAG (default `writeback <project> <target>`), so administrators find writeback's
 * statements in QUERY_HISTORY.
 */
export function snowflakeOptions(targetName: string, settings: Record<string, string>, projectDir: string, projectName = ''): SnowflakeConnectionOptions {
  const unknown = Object.keys(settings).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) throw new UsageError(`target '${targetName}' (snowflake): unknown setting(s) ${unknown.join(', ')} (known: ${KNOWN.join(', ')})`);
  const keyPath = settings.private_key_path;
  if (!keyPath && settings.password === undefined)
    throw new UsageError(
      `target '${targetName}' (snowflake) needs credentials: private_key_path (key-pair auth, recommended) or password, ` +
        `e.g. password: "{{ env('SNOWFLAKE_PASSWORD') }}"`,
    );
  const timeout = intSetting(targetName, settings, 'login_timeout');
  const queryTag = settings.query_tag ?? ['writeback', projectName, targetName].filter((p) => p !== '').join(' ');
  if (queryTag.length > MAX_QUERY_TAG) throw new UsageError(`target '${targetName}' (snowflake): query_tag is ${queryTag.length} characters; Snowflake takes at most ${MAX_QUERY_TAG}`);
  return {
    account: requireSetting(targetName, settings, 'account', `"{{ env('SNOWFLAKE_ACCOUNT') }}"`),
    username: requireSetting(targetName, settings, 'user', `"{{ env('SNOWFLAKE_USER') }}"`),
    database: requireSetting(targetName, settings, 'database', 'ANALYTICS'),
    ...(keyPath ? { privateKeyPath: isAbsolute(keyPath) ? keyPath : join(projectDir, keyPath) } : { password: settings.password ?? '' }),
    ...(settings.private_key_passphrase ? { privateKeyPass: settings.private_key_passphrase } : {}),
    ...(settings.warehouse ? { warehouse: settings.warehouse } : {}),
    ...(settings.role ? { role: settings.role } : {}),
    ...(timeout !== undefined ? { loginTimeout: timeout } : {}),
    ...(queryTag !== '' ? { queryTag } : {}),
  };
}

/** Open a Snowflake target (the registry imports this module only when such a target is used). */
export function openSnowflake(
  targetName: string,
  settings: Record<string, string>,
  dialect: Dialect,
  projectDir: string,
  inputsSchema: string,
  projectName = '',
): Promise<SnowflakeAdapter> {
  // the session's current schema is the inputs schema: the write path's temporary tables are created unqualified
  const options = { ...snowflakeOptions(targetName, settings, projectDir, projectName), schema: foldName(inputsSchema) };
  return SnowflakeAdapter.open(sdkConnector(options), dialect, { account: options.account, user: options.username, database: options.database });
}
