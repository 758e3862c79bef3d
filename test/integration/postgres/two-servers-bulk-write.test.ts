import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';
import { postRows, TeamServers } from './team-servers.js';

// Two `writeback serve` processes on one PostgreSQL database, each caching its table's chain head
// between requests. A batch big enough for the bulk path (the state is upserted from the log
// entries just appended) sent to one server after the other server committed must answer 200 and
// leave one intact chain.
const missing = postgresUnavailable();
let server: PgServer | undefined;
let team: TeamServers | undefined;
const urls: string[] = [];

if (missing && process.env.CI === 'true') {
  describe('two servers on one Postgres database', () => {
    it('needs a PostgreSQL server in CI', () => {
      expect.fail(`${missing}; .ci/run installs it with \`apt-get install -y postgresql\``);
    });
  });
}

describe.skipIf(Boolean(missing))(`two servers on one Postgres database${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    server = await startPostgres();
    server.createDatabase('team_bulk');
    team = new TeamServers(server, 'team_bulk');
    const first = team.projectCopy();
    const applied = team.cli(first, ['apply']);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    urls.push(await team.serve(first), await team.serve(team.projectCopy()));
  }, 180_000);

  afterAll(async () => {
    await team?.stop();
    server?.stop();
  });

  it('40 rows to server A, one of them to server B, the same 40 to A: every answer is 200 and verify finds one intact chain', async () => {
    const accounts = readFileSync(join(team!.root, 'seeds/accounts.csv'), 'utf8').trim().split('\n').slice(1, 41).map((line) => line.split(',')[0]!);
    expect(accounts).toHaveLength(40);
    const rows = (amount: string) => ({ rows: accounts.map((account_id) => ({ account_id, quarter: '2029-Q1', amount })) });
    const [a, b] = urls as [string, string];

    const first = await postRows(a, 'revenue_forecast', rows('10.00'));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const one = await postRows(b, 'revenue_forecast', { rows: [{ account_id: accounts[7], quarter: '2029-Q1', amount: '20.00' }] });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    const again = await postRows(a, 'revenue_forecast', rows('30.00'));
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const entries = again.body.entries as { key: Record<string, unknown>; version: number }[];
    expect(entries).toHaveLength(40);
    // the key server B changed is at version 3 (A, B, A); every other key at version 2
    expect(entries.filter((e) => e.version === 3).map((e) => e.key.account_id)).toEqual([accounts[7]]);

    // both servers read the latest values
    for (const url of urls) {
      const read = await fetch(`${url}/api/v1/inputs/revenue_forecast/rows?limit=1000`).then((r) => r.json() as Promise<{ rows: Record<string, unknown>[] }>);
      const mine = read.rows.filter((r) => r.quarter === '2029-Q1');
      expect(mine).toHaveLength(40);
      expect(new Set(mine.map((r) => r.amount))).toEqual(new Set(['30.00']));
    }

    await team!.stopServes();
    const verify = team!.cli(team!.projectCopy(), ['verify']);
    expect(verify.stdout + verify.stderr).toContain('every hash chain is intact');
    expect(verify.status).toBe(0);
  }, 120_000);
});
