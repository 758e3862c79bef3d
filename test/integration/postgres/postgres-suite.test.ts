import { describe, expect, it } from 'vitest';
import { postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';
import { warehouseSuite } from '../shared/warehouse-suite.js';

// The shared warehouse suite on a real, throwaway PostgreSQL server (127.0.0.1 only), started
// as the `postgres` user by this file. Where the binaries are missing the suite is skipped with
// the command to install them — except in CI (CI=true), where that is a failure.
const missing = postgresUnavailable();
let server: PgServer | undefined;
const database = `wb_${process.pid}`;

if (missing && process.env.CI === 'true') {
  describe('Postgres suite', () => {
    it('needs a PostgreSQL server in CI', () => {
      expect.fail(`${missing}; .ci/run installs it with \`apt-get install -y postgresql\``);
    });
  });
}

warehouseSuite(
  'postgres',
  missing
    ? { skip: missing }
    : {
        type: 'postgres',
        multiWriter: true,
        async before() {
          server = await startPostgres();
          server.createDatabase(database);
          process.env.WB_TEST_PG_PORT = String(server.port);
        },
        async after() {
          server?.stop();
        },
        cleanup: async (adapter, schemas) => {
          for (const s of schemas) await adapter.execute(`drop schema if exists ${adapter.dialect.quoteIdent(s)} cascade`);
        },
        target: () => ({
          name: 'wh',
          type: 'postgres',
        multiWriter: true,
          // credentials and port come from the environment, as a team's project.yml would have them
          settings: { host: '127.0.0.1', port: "{{ env('WB_TEST_PG_PORT') }}", database, user: 'postgres' },
        }),
      },
);
