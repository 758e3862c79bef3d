import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';

// "Deploying for a team" on a real PostgreSQL: the CLI applies the demo to a Postgres target whose
// port comes from the environment; two `writeback serve` processes (two machines: separate project
// copies) take writes for the same table through a round-robin "load balancer"; a client retry on the
// other instance with the same Idempotency-Key is replayed, concurrent stale writes conflict, and
// `writeback verify` finds one intact chain.
const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/writeback.js');
const missing = postgresUnavailable();
let server: PgServer;
const dirs: string[] = [];
const serves: ChildProcess[] = [];
const urls: string[] = [];
let env: NodeJS.ProcessEnv;

function projectCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wb-team-'));
  for (const part of ['project.yml', 'inputs', 'models', 'macros', 'seeds']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  const yml = join(dir, 'project.yml');
  writeFileSync(
    yml,
    readFileSync(yml, 'utf8')
      .replace('default_target: dev', 'default_target: team')
      .replace('targets:\n', "targets:\n  team: { type: postgres, host: 127.0.0.1, port: \"{{ env('WB_TEAM_PGPORT') }}\", database: team, user: \"{{ env('WB_TEAM_PGUSER') }}\" }\n"),
  );
  dirs.push(dir);
  return dir;
}

const cli = (dir: string, args: string[]) => spawnSync(process.execPath, [BIN, '-p', dir, ...args], { encoding: 'utf8', env });

async function startServe(dir: string): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, '-p', dir, 'serve', '--dev-user', 'lb-user', '--port', String(port)], { env });
  serves.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`${url}/api/v1/inputs`).then((r) => r.ok, () => false);
    if (up) return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('serve did not start');
}

const post = (url: string, body: unknown, key?: string) =>
  fetch(`${url}/api/v1/inputs/revenue_forecast/rows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

describe.skipIf(Boolean(missing))(`a team deployment on Postgres${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    server = await startPostgres();
    server.createDatabase('team');
    env = { ...process.env, WRITEBACK_FROM_SOURCE: '1', NO_COLOR: '1', WB_TEAM_PGPORT: String(server.port), WB_TEAM_PGUSER: 'postgres' };
    const first = projectCopy();
    const applied = cli(first, ['apply']);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    urls.push(await startServe(first), await startServe(projectCopy()));
  }, 180_000);

  afterAll(async () => {
    for (const s of serves) s.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('writes through either instance; a retry on the other instance is replayed; stale writes conflict; one intact chain', async () => {
    const account = readFileSync(join(ROOT, 'seeds/accounts.csv'), 'utf8').split('\n')[1]!.split(',')[0]!;
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
    for (const s of serves) s.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    const verify = cli(dirs[0]!, ['verify']);
    expect(verify.stdout + verify.stderr).toContain('every hash chain is intact');
    expect(verify.status).toBe(0);
  }, 120_000);
});
