import type { Reporter } from '../diagnostics/reporter.js';
import type { PostgresEndpointConfig, TargetConfig } from '../ir/types.js';
import { DURATION_FORMAT, isLoopbackHost, parseDuration, parseSize, SIZE_FORMAT } from '../schema/auth-settings.js';
import type { PostgresEndpointEntry } from '../schema/project-file.js';
import { keyLoc, pathLoc, type YamlDoc } from './yaml-file.js';

/** Defaults of `postgres_endpoint` settings left out. */
export const POSTGRES_ENDPOINT_DEFAULTS = { port: 5433, host: '127.0.0.1', statementTimeoutMs: 30_000, maxRows: 1_000_000, maxConnections: 64 } as const;

/**
 * `targets.<t>.postgres_endpoint` into the IR: DuckDB targets only (other warehouses serve BI tools
 * themselves), the statement timeout a duration, and a non-loopback `host` only with `tls`.
 */
export function readPostgresEndpoint(yd: YamlDoc, target: TargetConfig, entry: unknown, report: Reporter): PostgresEndpointConfig | undefined {
  const base = ['targets', target.name, 'postgres_endpoint'];
  if (target.type !== 'duckdb') {
    report.error('invalid-postgres-endpoint', { problem: 'target-type', target: target.name, type: target.type }, keyLoc(yd, base));
    return undefined;
  }
  const e = (entry ?? {}) as PostgresEndpointEntry;
  let ok = true;
  let statementTimeoutMs: number = POSTGRES_ENDPOINT_DEFAULTS.statementTimeoutMs;
  if (e.statement_timeout !== undefined) {
    const seconds = parseDuration(String(e.statement_timeout));
    if (seconds === undefined) {
      ok = false;
      report.error(
        'invalid-postgres-endpoint',
        { problem: 'duration', setting: `targets.${target.name}.postgres_endpoint.statement_timeout`, found: String(e.statement_timeout), format: DURATION_FORMAT },
        pathLoc(yd, [...base, 'statement_timeout']),
      );
    } else statementTimeoutMs = seconds * 1000;
  }
  let memoryLimitBytes: number | undefined;
  if (e.memory_limit !== undefined) {
    memoryLimitBytes = parseSize(e.memory_limit);
    if (memoryLimitBytes === undefined) {
      ok = false;
      report.error(
        'invalid-postgres-endpoint',
        { problem: 'size', setting: `targets.${target.name}.postgres_endpoint.memory_limit`, found: e.memory_limit, format: SIZE_FORMAT },
        pathLoc(yd, [...base, 'memory_limit']),
      );
    }
  }
  const host = e.host ?? POSTGRES_ENDPOINT_DEFAULTS.host;
  if (!isLoopbackHost(host) && !e.tls) {
    ok = false;
    report.error('invalid-postgres-endpoint', { problem: 'needs-tls', target: target.name, host }, pathLoc(yd, [...base, 'host']));
  }
  if (!ok) return undefined;
  return {
    port: e.port ?? POSTGRES_ENDPOINT_DEFAULTS.port,
    host,
    ...(e.tls ? { tls: { certFile: e.tls.cert_file, keyFile: e.tls.key_file } } : {}),
    statementTimeoutMs,
    maxRows: e.max_rows ?? POSTGRES_ENDPOINT_DEFAULTS.maxRows,
    maxConnections: e.max_connections ?? POSTGRES_ENDPOINT_DEFAULTS.maxConnections,
    ...(memoryLimitBytes !== undefined ? { memoryLimitBytes } : {}),
    loc: keyLoc(yd, base),
  };
}
