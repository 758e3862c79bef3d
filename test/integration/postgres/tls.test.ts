import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../src/adapters/postgres/open-postgres.js';
import type { PostgresAdapter } from '../../../src/adapters/postgres/postgres-adapter.js';
import { UsageError } from '../../../src/adapters/usage-error.js';
import { postgresDialect } from '../../../src/dialects/postgres/postgres-dialect.js';
import { postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';
import { makeTestCertificates, opensslUnavailable } from '../../helpers/test-certificates.js';

// sslmode against a real PostgreSQL that accepts TLS with a certificate issued for `localhost` by
// a CA made for this test: what each mode accepts and refuses, with ssl_ca read relative to the
// project directory.
const missing = postgresUnavailable() ?? opensslUnavailable();
let server: PgServer | undefined;
let projectDir = '';
const opened: PostgresAdapter[] = [];

if (missing && process.env.CI === 'true') {
  describe('Postgres sslmode', () => {
    it('needs a PostgreSQL server and openssl in CI', () => {
      expect.fail(`${missing}; .ci/run installs PostgreSQL with \`apt-get install -y postgresql\``);
    });
  });
}


describe.skipIf(Boolean(missing))(`Postgres sslmode${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const open = async (settings: Record<string, string>) => {
    const adapter = await openPostgres('wh', { host: '127.0.0.1', port: String(server!.port), database: 'postgres', user: server!.user, ...settings }, postgresDialect, projectDir);
    opened.push(adapter);
    return adapter;
  };
  const usesTls = async (adapter: PostgresAdapter) => (await adapter.query<{ ssl: boolean }>('select ssl from pg_stat_ssl where pid = pg_backend_pid()'))[0]!.ssl;

  beforeAll(async () => {
    projectDir = mkdtempSync(join(tmpdir(), 'wb-tls-'));
    server = await startPostgres({ tls: makeTestCertificates(projectDir, { otherCa: true }) });
  }, 120_000);

  afterAll(async () => {
    for (const a of opened) await a.close();
    server?.stop();
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('prefer (the default) and require use TLS when the server offers it; disable does not', async () => {
    expect(await usesTls(await open({}))).toBe(true);
    expect(await usesTls(await open({ sslmode: 'prefer' }))).toBe(true);
    expect(await usesTls(await open({ sslmode: 'require' }))).toBe(true);
    expect(await usesTls(await open({ sslmode: 'disable' }))).toBe(false);
  });

  it('verify-ca accepts a certificate signed by ssl_ca (whatever the host name) and refuses one another CA signed', async () => {
    const adapter = await open({ sslmode: 'verify-ca', ssl_ca: 'certs/ca.pem' });
    expect(await usesTls(adapter)).toBe(true);
    // forks and pooled readers use the same checks
    const fork = await adapter.fork();
    opened.push(fork);
    expect(await usesTls(fork)).toBe(true);
    const err = await open({ sslmode: 'verify-ca', ssl_ca: 'certs/other-ca.pem' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/^Postgres at 127\.0\.0\.1:\d+ presented a TLS certificate that sslmode 'verify-ca' does not accept \([A-Z_]+: .*\): check ssl_ca/);
  });

  it('verify-full also checks that the certificate was issued for the host', async () => {
    expect(await usesTls(await open({ host: 'localhost', sslmode: 'verify-full', ssl_ca: 'certs/ca.pem' }))).toBe(true);
    const err = await open({ sslmode: 'verify-full', ssl_ca: 'certs/ca.pem' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(
      /^Postgres at 127\.0\.0\.1:\d+ presented a TLS certificate that sslmode 'verify-full' does not accept \(ERR_TLS_CERT_ALTNAME_INVALID: .*\): .*for verify-full, that host is a name the certificate was issued for$/,
    );
  });
});
