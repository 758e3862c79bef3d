import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Dialect } from '../../dialects/dialect.js';
import { intSetting, requireSetting } from '../target-settings.js';
import { UsageError } from '../usage-error.js';
import type { PostgresConnectionOptions, SslMode } from './postgres-connection.js';
import { PostgresAdapter } from './postgres-adapter.js';

const SSL_MODES: readonly SslMode[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];
const KNOWN = [
  'host',
  'port',
  'database',
  'user',
  'password',
  'sslmode',
  'ssl_ca',
  'connect_timeout',
  'statement_timeout',
  'lock_timeout',
  'idle_in_transaction_timeout',
  'pool_size',
];

/** The PEM text of `ssl_ca` (a path relative to the project directory), or a UsageError naming it. */
function readCa(targetName: string, path: string, projectDir: string): string {
  const file = isAbsolute(path) ? path : join(projectDir, path);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`target '${targetName}': cannot read ssl_ca '${path}' (${file}): ${(err as Error).message}`);
  }
}

/**
 * Connection options of a Postgres target from its (env-resolved) settings:
 * `host`, `port` (5432), `database`, `user`, `password`, `sslmode` (prefer | disable | require |
 * verify-ca | verify-full, as libpq; default prefer), `ssl_ca` (a CA file, relative to the project
 * directory), `connect_timeout`, `statement_timeout`, `lock_timeout`, `idle_in_transaction_timeout`
 * (seconds), `pool_size` (the readers' sessions, default 4).
 */
export function postgresOptions(targetName: string, settings: Record<string, string>, projectDir = '.'): PostgresConnectionOptions {
  const unknown = Object.keys(settings).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) throw new UsageError(`target '${targetName}' (postgres): unknown setting(s) ${unknown.join(', ')} (known: ${KNOWN.join(', ')})`);
  const sslmode = settings.sslmode ?? 'prefer';
  if (!(SSL_MODES as readonly string[]).includes(sslmode))
    throw new UsageError(`target '${targetName}': sslmode must be one of ${SSL_MODES.join(', ')}, got '${sslmode}'`);
  const ca = settings.ssl_ca;
  if (ca !== undefined && (sslmode === 'disable' || sslmode === 'prefer'))
    throw new UsageError(`target '${targetName}': ssl_ca needs sslmode verify-ca, verify-full or require (sslmode is '${sslmode}')`);
  if (ca === undefined && sslmode === 'verify-ca')
    throw new UsageError(`target '${targetName}': sslmode verify-ca needs ssl_ca (the CA file that signed the server's certificate, relative to the project directory)`);
  const poolSize = intSetting(targetName, settings, 'pool_size');
  if (poolSize === 0) throw new UsageError(`target '${targetName}': 'pool_size' must be at least 1, got '0'`);
  return {
    host: requireSetting(targetName, settings, 'host', 'db.internal'),
    port: intSetting(targetName, settings, 'port') ?? 5432,
    database: requireSetting(targetName, settings, 'database', 'analytics'),
    user: requireSetting(targetName, settings, 'user', '"{{ env(\'PGUSER\') }}"'),
    ...(settings.password !== undefined ? { password: settings.password } : {}),
    sslmode: sslmode as SslMode,
    ...(ca !== undefined ? { sslCa: readCa(targetName, ca, projectDir) } : {}),
    ...(settings.connect_timeout !== undefined ? { connectTimeoutSeconds: intSetting(targetName, settings, 'connect_timeout') } : {}),
    ...(settings.statement_timeout !== undefined ? { statementTimeoutSeconds: intSetting(targetName, settings, 'statement_timeout') } : {}),
    ...(settings.lock_timeout !== undefined ? { lockTimeoutSeconds: intSetting(targetName, settings, 'lock_timeout') } : {}),
    ...(settings.idle_in_transaction_timeout !== undefined
      ? { idleInTransactionTimeoutSeconds: intSetting(targetName, settings, 'idle_in_transaction_timeout') }
      : {}),
    ...(poolSize !== undefined ? { poolSize } : {}),
  };
}

/** Open a Postgres target (the registry imports this module only when such a target is used). */
export function openPostgres(targetName: string, settings: Record<string, string>, dialect: Dialect, projectDir = '.'): Promise<PostgresAdapter> {
  return PostgresAdapter.open(postgresOptions(targetName, settings, projectDir), dialect);
}
