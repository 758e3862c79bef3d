import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { silentLogger } from '../../../src/server/logger.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import { appliedDemoProject, tokenFor } from '../server/demo-project.js';
import { psql, psqlUnavailable } from './psql.js';
import { makeTestCertificates, opensslUnavailable } from '../../helpers/test-certificates.js';

// `postgres_endpoint` from project.yml: its statement timeout and row cap as a client meets them,
// and TLS on a listener that is not loopback (0.0.0.0): a client without TLS is refused there.
const missing = psqlUnavailable() ?? opensslUnavailable();
if (missing && process.env.CI === 'true') {
  describe('Postgres endpoint limits and TLS', () => {
    it('needs psql and openssl in CI', () => {
      expect.fail(`${missing} (.ci/run installs them)`);
    });
  });
}


describe.skipIf(Boolean(missing))(`Postgres endpoint limits and TLS${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let dir: string;
  let wb: Writeback;
  let server: RunningHttpServer;
  let token = '';

  beforeAll(async () => {
    dir = await appliedDemoProject((d) => {
      makeTestCertificates(d);
      const file = join(d, 'project.yml');
      const endpoint =
        '\n    postgres_endpoint: { port: 0, host: 0.0.0.0, tls: { cert_file: certs/server.pem, key_file: certs/server.key }, statement_timeout: 1s, max_rows: 100 }';
      writeFileSync(file, readFileSync(file, 'utf8').replace('  dev: { type: duckdb, path: target/warehouse.duckdb }', `  dev:\n    type: duckdb\n    path: target/warehouse.duckdb${endpoint}`));
    });
    wb = await openProject(dir);
    token = await tokenFor(wb, 'fin', 'finance');
    server = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  const client = async (ssl: pg.ClientConfig['ssl']) => {
    const c = new pg.Client({ host: 'localhost', port: server.postgres!.port, user: 'bi', password: token, database: 'revenue_planning', ssl });
    await c.connect();
    return c;
  };

  it('on a non-loopback listener, a client without TLS is refused; with TLS (verify-full against the CA) it reads', async () => {
    const port = server.postgres!.port;
    const plain = await psql(port, token, ['-c', 'select 1'], { env: { PGSSLMODE: 'disable' } });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('FATAL:  SSL required');
    const secure = await psql(port, token, ['-h', 'localhost', '-c', 'select count(*) > 0 from planning.account_forecast'], {
      env: { PGSSLMODE: 'verify-full', PGSSLROOTCERT: join(dir, 'certs', 'ca.pem') },
    });
    expect(secure.stderr).toBe('');
    expect(secure.stdout.trim()).toBe('t');
  });

  it('the row cap fails a statement with 54000 naming the cap (never a silent truncation); the statement timeout cancels with 57014', async () => {
    const c = await client({ ca: readFileSync(join(dir, 'certs', 'ca.pem'), 'utf8') });
    try {
      await expect(c.query('select * from range(0, 1000) t(i)')).rejects.toMatchObject({ code: '54000', message: expect.stringContaining('100') });
      expect((await c.query('select * from range(0, 100) t(i)')).rowCount).toBe(100);
      await expect(c.query('select count(*) from range(0, 100000000000) a')).rejects.toMatchObject({ code: '57014' });
      expect((await c.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await c.end();
    }
  });
});
