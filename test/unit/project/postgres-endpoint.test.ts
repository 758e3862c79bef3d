import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/project/load-project.js';
import { diagnose, writeProject } from './helpers.js';

/** project.yml whose target `dev` has `postgres_endpoint:` made of `lines` (the first on line 6, column 7). */
function projectWith(lines: string[], type = 'duckdb'): string {
  return ['name: demo', 'targets:', '  dev:', `    type: ${type}`, '    postgres_endpoint:', ...lines.map((l) => `      ${l}`), ''].join('\n');
}

async function problems(lines: string[], type = 'duckdb'): Promise<string[]> {
  const diags = await diagnose({ 'project.yml': projectWith(lines, type) });
  return diags.filter((d) => d.loc?.file === 'project.yml').map((d) => `${d.code}@${d.loc?.file}:${d.loc?.line}:${d.loc?.col} ${d.message}`);
}

describe('targets.<t>.postgres_endpoint', () => {
  it('loads with its defaults filled in', async () => {
    const r = await loadProject(writeProject({ 'project.yml': projectWith(['port: 5433']) }));
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.value.targets['dev']!.postgresEndpoint).toMatchObject({ port: 5433, host: '127.0.0.1', statementTimeoutMs: 30_000, maxRows: 1_000_000, maxConnections: 64 });
  });

  it('reads every setting', async () => {
    const r = await loadProject(
      writeProject({
        'project.yml': projectWith(['port: 0', 'host: 0.0.0.0', 'tls: { cert_file: certs/server.pem, key_file: certs/server.key }', 'statement_timeout: 5m', 'max_rows: 5000', 'max_connections: 8', 'memory_limit: 1.5GB']),
      }),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.value.targets['dev']!.postgresEndpoint).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      tls: { certFile: 'certs/server.pem', keyFile: 'certs/server.key' },
      statementTimeoutMs: 300_000,
      maxRows: 5000,
      maxConnections: 8,
      memoryLimitBytes: 1.5 * 1024 ** 3,
    });
  });

  it('refuses, at file:line:col: a non-loopback host without TLS, a bad duration, a bad size, an unknown key, a bad port, a non-DuckDB target', async () => {
    expect(await problems(['host: 0.0.0.0'])).toEqual([
      'invalid-postgres-endpoint@project.yml:6:13 `targets.dev.postgres_endpoint.host` 0.0.0.0 is not a loopback address, so the endpoint needs `tls: { cert_file, key_file }`: clients send their API token as a cleartext password',
    ]);
    expect(await problems(['statement_timeout: 30'])).toEqual([
      'invalid-postgres-endpoint@project.yml:6:26 `targets.dev.postgres_endpoint.statement_timeout` must be a duration greater than zero: a whole number and a unit: s, m, h or d (e.g. 30s, 15m, 12h, 90d); found `30`',
    ]);
    for (const size of ['lots', '4TB', '32MB', '0.01GB'])
      expect(await problems([`memory_limit: ${size}`])).toEqual([
        `invalid-postgres-endpoint@project.yml:6:21 \`targets.dev.postgres_endpoint.memory_limit\` must be a size of at least 64MB: a number and a unit: MB or GB (e.g. 512MB, 4GB); found \`${size}\``,
      ]);
    const unknown = await problems(['port: 5433', 'ssl: true']);
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatch(/@project\.yml:7:7 .*ssl/);
    expect((await problems(['port: 70000']))[0]).toMatch(/@project\.yml:6:13 /);
    expect(await problems(['port: 5433'], 'postgres')).toEqual([
      'invalid-postgres-endpoint@project.yml:5:5 `targets.dev.postgres_endpoint` is for DuckDB targets only: BI tools connect to the postgres warehouse itself',
    ]);
  });
});
