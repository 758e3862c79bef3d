import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import { CLI_ARGV, runCli } from '../../helpers/cli.js';
import { appliedDemoProject, tokenFor } from '../server/demo-project.js';
import { call } from '../server/http-client.js';
import { psql, psqlUnavailable } from './psql.js';

// `writeback serve --postgres-port 0` as a user runs it: the start-up line with the connection
// URL, target/server.json, an API write read by a separate psql process, a clean stop.
const missing = psqlUnavailable();
if (missing && process.env.CI === 'true') {
  describe('writeback serve --postgres-port', () => {
    it('needs psql in CI', () => {
      expect.fail(`${missing} (.ci/run installs it)`);
    });
  });
}

describe.skipIf(Boolean(missing))(`writeback serve --postgres-port${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let dir: string;
  let token = '';

  beforeAll(async () => {
    dir = await appliedDemoProject();
    const wb = await openProject(dir);
    token = await tokenFor(wb, 'fin', 'finance');
    await wb.close();
  }, 120_000);

  it('prints the endpoint URL, records its port, and psql reads what the API wrote', async () => {
    const child = spawn(process.execPath, [...CLI_ARGV, 'serve', '--port', '0', '--postgres-port', '0', '--project', dir], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const started = await new Promise<{ http: string; pg: string }>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          const http = /serving \S+ on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
          const pg = /Postgres endpoint: (postgresql:\/\/127\.0\.0\.1:\d+\/revenue_planning) /.exec(stdout);
          if (http && pg) resolve({ http: http[1]!, pg: pg[1]! });
        });
        child.on('close', () => reject(new Error(`serve exited: ${stdout}\n${stderr}`)));
      });
      const port = Number(/:(\d+)\//.exec(started.pg)![1]);
      const discovery = JSON.parse(readFileSync(join(dir, 'target', 'server.json'), 'utf8')) as { postgres_port?: number };
      expect(discovery.postgres_port).toBe(port);
      const w = await call(started.http, 'POST', '/api/v1/inputs/revenue_forecast/rows', { token, body: { rows: [{ account_id: 'acc_001', quarter: '2027-Q3', amount: 77 }] } });
      expect(w.status).toBe(200);
      const read = await psql(port, token, ['-c', `select amount from planning.account_forecast where id = 'acc_001' and quarter = '2027-Q3'`]);
      expect(read.stderr).toBe('');
      expect(read.stdout.trim()).toBe('77.00');
      expect(stderr).toContain('"message":"postgres connection"');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('--postgres-port with --no-postgres is a usage error', async () => {
    const r = await runCli(['serve', '--port', '0', '--postgres-port', '0', '--no-postgres', '--project', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('give --postgres-port or --no-postgres, not both');
  });
});

