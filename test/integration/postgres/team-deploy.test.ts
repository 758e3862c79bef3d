import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';
import { postRows, TeamServers } from './team-servers.js';

// "Deploying for a team" on a real PostgreSQL: the CLI applies the demo to a Postgres target whose
// port comes from the environment; two `writeback serve` processes (two machines: separate project
// copies) take writes for the same table through a round-robin "load balancer"; a client retry on the
// other instance with the same Idempotency-Key is replayed, concurrent stale writes conflict, and
// `writeback verify` finds one intact chain.
const missing = postgresUnavailable();
let server: PgServer | undefined;
let team: TeamServers | undefined;
const urls: string[] = [];
const post = (url: string, body: unknown, key?: string) => postRows(url, 'revenue_forecast', body, key);

if (missing && process.env.CI === 'true') {
  describe('a team deployment on Postgres', () => {
    it('needs a PostgreSQL server in CI', () => {
      expect.fail(`${missing}; .ci/run installs it with \`apt-get install -y postgresql\``);
    });
  });
}

describe.skipIf(Boolean(missing))(`a team deployment on Postgres${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    server = await startPostgres();
    server.createDatabase('team');
    team = new TeamServers(server, 'team');
    const first = team.projectCopy();
    const applied = team.cli(first, ['apply']);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    urls.push(await team.serve(first), await team.serve(team.projectCopy()));
  }, 180_000);

  afterAll(async () => {
    await team?.stop();
    server?.stop();
  });

  it('writes through either instance; a retry on the other instance is replayed; stale writes conflict; one intact chain', async () => {
    const account = readFileSync(join(team!.root, 'seeds/accounts.csv'), 'utf8').split('\n')[1]!.split(',')[0]!;
    const row = (quarter: string, amount: string, extra: Record<string, unknown> = {}) => ({ rows: [{ account_id: account, quarter, amount, ...extra }] });
    // round robin over both instances, 40 writes of 10 keys
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => post(urls[i % 2]!, row(`2027-Q${1 + (i % 4)}`, `${i}.00`))));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    // the client's retry lands on the other instance: same result, nothing written twice
    const first = await post(urls[0]!, row('2028-Q1', '1.00'), 'retry-1');
    const retry = await post(urls[1]!, row('2028-Q1', '1.00'), 'retry-1');
    expect(retry.body).toMatchObject({ replayed: true, entries: first.body.entries });
    // both instances write from the same _version: exactly one wins
    const [a, b] = await Promise.all([post(urls[0]!, row('2028-Q1', '2.00', { _version: 1 })), post(urls[1]!, row('2028-Q1', '3.00', { _version: 1 }))]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    await team!.stopServes();
    const verify = team!.cli(team!.projectCopy(), ['verify']);
    expect(verify.stdout + verify.stderr).toContain('every hash chain is intact');
    expect(verify.status).toBe(0);
  }, 120_000);
});
