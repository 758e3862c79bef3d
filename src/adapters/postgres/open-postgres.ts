import type { Dialect } from '../../dialects/dialect.js';
import { intSetting, requireSetting } from '../target-settings.js';
import { UsageError } from '../usage-error.js';
import { PostgresAdapter, type PostgresConnectionOptions } from './postgres-adapter.js';

const SSL_MODES = ['disable', 'require', 'verify-full'] as const;

/**
 * Connection options of a Postgres target from its (env-resolved) settings:
 * `host`, `port` (5432), `database`, `user`, `password`, `sslmode` (disable | require | verify-full),
 * `connect_timeout`, `statement_timeout`, `lock_timeout`, `idle_in_transaction_timeout` (seconds).
 */
export function postgresOptions(targetName: string, settings: Record<string, string>): PostgresConnectionOptions {
  const sslmode = settings.sslmode ?? 'disable';
  if (!(SSL_MODES as readonly string[]).includes(sslmode))
    throw new UsageError(`target '${targetName}': sslmode must be one of ${SSL_MODES.join(', ')}, got '${sslmode}'`);
  const known = new Set(['host', 'port', 'database', 'user', 'password', 'sslmode', 'connect_timeout', 'statement_timeout', 'lock_timeout', 'idle_in_transaction_timeout']);
  const unknown = Object.keys(settings).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new UsageError(`target '${targetName}' (postgres): unknown setting(s) ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  return {
    host: requireSetting(targetName, settings, 'host', 'db.internal'),
    port: intSetting(targetName, settings, 'port') ?? 5432,
    database: requireSetting(targetName, settings, 'database', 'analytics'),
    user: requireSetting(targetName, settings, 'user', '"{{ env(\'PGUSER\') }}"'),
    ...(settings.password !== undefined ? { password: settings.password } : {}),
    sslmode: sslmode as PostgresConnectionOptions['sslmode'],
    ...(settings.connect_timeout !== undefined ? { connectTimeoutSeconds: intSetting(targetName, settings, 'connect_timeout') } : {}),
    ...(settings.statement_timeout !== undefined ? { statementTimeoutSeconds: intSetting(targetName, settings, 'statement_timeout') } : {}),
    ...(settings.lock_timeout !== undefined ? { lockTimeoutSeconds: intSetting(targetName, settings, 'lock_timeout') } : {}),
    ...(settings.idle_in_transaction_timeout !== undefined
      ? { idleInTransactionTimeoutSeconds: intSetting(targetName, settings, 'idle_in_transaction_timeout') }
      : {}),
  };
}

/** Open a Postgres target (the registry imports this module only when such a target is used). */
export function openPostgres(targetName: string, settings: Record<string, string>, dialect: Dialect): Promise<PostgresAdapter> {
  return PostgresAdapter.open(postgresOptions(targetName, settings), dialect);
}
