import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { PostgresEndpointConfig, TargetConfig } from '../ir/types.js';
import { UsageError } from '../library/usage-error.js';
import { POSTGRES_ENDPOINT_DEFAULTS } from '../project/read-postgres-endpoint.js';
import { isLoopbackHost } from '../schema/auth-settings.js';

/** What `serve`/`dev` flags change of `postgres_endpoint`: off, or another port (which also turns it on). */
export type PostgresOverride = false | { port?: number };

/** The endpoint's settings, TLS files read; undefined when it is off. */
export interface EndpointSettings extends Omit<PostgresEndpointConfig, 'tls' | 'loc' | 'memoryLimitBytes'> {
  tls?: { cert: Buffer; key: Buffer };
  /** The warehouse engine's memory limit: `memory_limit`, else half the machine's memory. */
  memoryLimitBytes: number;
}

/**
 * The endpoint a served target gets: its `postgres_endpoint`, with the flags' port; `--postgres-port`
 * alone turns it on with the defaults; `--no-postgres` (false) turns it off. DuckDB targets only.
 * TLS files are read here (relative to the project directory), so a missing one stops the start.
 */
export function endpointSettings(target: TargetConfig, override: PostgresOverride | undefined, projectDir: string): EndpointSettings | undefined {
  if (override === false) return undefined;
  const config = target.postgresEndpoint;
  if (!config && override?.port === undefined) return undefined;
  if (target.type !== 'duckdb')
    throw new UsageError(`the Postgres endpoint serves DuckDB targets only; target '${target.name}' is ${target.type}: BI tools connect to that warehouse itself`);
  const host = config?.host ?? POSTGRES_ENDPOINT_DEFAULTS.host;
  if (!isLoopbackHost(host) && !config?.tls)
    throw new UsageError(`the Postgres endpoint on ${host} needs postgres_endpoint.tls: clients send their API token as a cleartext password`);
  const read = (file: string, setting: string): Buffer => {
    const path = isAbsolute(file) ? file : join(projectDir, file);
    try {
      return readFileSync(path);
    } catch (err) {
      throw new UsageError(`cannot read postgres_endpoint.tls.${setting} ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  };
  return {
    port: override?.port ?? config?.port ?? POSTGRES_ENDPOINT_DEFAULTS.port,
    host,
    ...(config?.tls ? { tls: { cert: read(config.tls.certFile, 'cert_file'), key: read(config.tls.keyFile, 'key_file') } } : {}),
    statementTimeoutMs: config?.statementTimeoutMs ?? POSTGRES_ENDPOINT_DEFAULTS.statementTimeoutMs,
    maxRows: config?.maxRows ?? POSTGRES_ENDPOINT_DEFAULTS.maxRows,
    maxConnections: config?.maxConnections ?? POSTGRES_ENDPOINT_DEFAULTS.maxConnections,
    memoryLimitBytes: config?.memoryLimitBytes ?? Math.floor(totalmem() / 2),
  };
}
