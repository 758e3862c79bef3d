import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type CliResult } from '../../helpers/cli.js';
import { appliedDemoProject } from '../server/demo-project.js';

/**
 * Every CLI command that touches the warehouse, run on two copies of the applied demo: one with
 * no server (each command opens the DuckDB file itself) and one while `writeback dev` holds the
 * file (each command goes through its admin routes). Exit codes and `--json` answers must be the
 * same, once times, ids, secrets and the folder are masked.
 */

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const SECRET = /wb_[A-Za-z0-9_-]{20,}/g;
const HASH = /\b[0-9a-f]{64}\b/g;

/** The JSON of a run with what differs between two runs masked (or its text when it is not JSON). */
function masked(out: string, dir: string, more: Record<string, string> = {}): unknown {
  let text = out.split(dir).join('<dir>').replace(ISO, '<time>').replace(UUID, '<id>').replace(SECRET, '<secret>').replace(HASH, '<hash>');
  for (const [value, mask] of Object.entries(more)) text = text.split(value).join(mask);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

describe('every command gives the same answer with and without a running dev server (demo project)', () => {
  let plain: string;
  let served: string;
  let dev: ReturnType<typeof startCli>;

  beforeAll(async () => {
    [plain, served] = await Promise.all([appliedDemoProject(), appliedDemoProject()]);
    // a long debounce: dev must not re-apply the edits below by itself, so both copies stay alike
    dev = startCli(['dev', '--project', served, '--port', '0', '--no-snapshot', '--debounce', '600000']);
    await dev.waitFor(/watching/, 60_000, 0);
  });

  afterAll(async () => {
    expect(await dev.stop()).toBe(0);
    expect(existsSync(join(served, 'target/server.json'))).toBe(false);
    // dev said once that it watches (no change was applied meanwhile)
    expect(dev.output.match(/watching/g)).toHaveLength(1);
  });

  /** Run a command on both copies at once; check it went through dev's server on one and not the other. */
  async function both(args: string[], expectedCode: number, ids: (r: CliResult) => Record<string, string> = () => ({})): Promise<unknown> {
    const [a, b] = await Promise.all([runCli([...args, '--project', plain], { cwd: plain }), runCli([...args, '--project', served], { cwd: served })]);
    const what = `writeback ${args.join(' ')}\nwithout a server: ${a.code}\n${a.stdout}${a.stderr}\nthrough dev: ${b.code}\n${b.stdout}${b.stderr}`;
    expect([a.code, b.code], what).toEqual([expectedCode, expectedCode]);
    const left = masked(a.stdout, plain, ids(a));
    expect(masked(b.stdout, served, ids(b)), what).toEqual(left);
    expect(a.stderr + b.stderr, what).not.toContain('held by');
    return left;
  }

  it('plan, apply, versions, prune, compile, validate, write, history, verify, token, scenario, pending, action, query', async () => {
    // offline commands, while dev holds the file
    const [validated, compiled] = await Promise.all([both(['validate', '--json'], 0), both(['compile', '--json'], 0)]);
    expect(validated).toMatchObject({ ok: true, project: 'revenue_planning' });
    expect(compiled).toMatchObject({ ok: true, dialect: 'duckdb' });

    // the YAML changes on disk (dev does not apply it here): a model gains a column, an input loses one
    for (const dir of [plain, served]) {
      const model = join(dir, 'models/account_forecast.yml');
      writeFileSync(model, readFileSync(model, 'utf8').replace('columns: [quarter, amount, confidence]', 'columns: [quarter, amount, confidence, note]'));
      const input = join(dir, 'inputs/account_category.yml');
      writeFileSync(input, readFileSync(input, 'utf8').replace(/\n {2}reason: .*\n/, '\n'));
      writeFileSync(join(dir, 'forecast.csv'), 'account_id,quarter,amount,note\nacc_001,2026-Q4,125000.00,renewal\nacc_002,2026-Q4,80000.00,\n');
    }
    // plan reads the project on disk in both cases (the server re-loads the same files)
    const [refused, planned] = (await Promise.all([both(['plan', '--json'], 1), both(['plan', '--allow-destructive', '--json'], 0)])) as [
      { ok: boolean; diagnostics: { code: string }[] },
      { operations: { description: string; destructive: boolean }[] },
    ];
    expect(refused.ok).toBe(false);
    expect(refused.diagnostics.length).toBeGreaterThan(0);
    expect(planned.operations.some((o) => o.destructive)).toBe(true);
    expect(planned.operations.map((o) => o.description).join('\n')).toContain('account_forecast__v2');
    const applied = (await both(['apply', '--allow-destructive', '--json'], 0)) as { operations: unknown[] };
    expect(applied.operations).toEqual(planned.operations);
    const versions = (await both(['versions', 'account_forecast', '--json'], 0)) as { versions: { version: number; latest: boolean }[] };
    expect(versions.versions.map((v) => [v.version, v.latest])).toEqual([[1, false], [2, true]]);
    const pruned = (await both(['prune', '--keep', '1', '--json'], 0)) as { dropped: { model: string; version: number }[] };
    expect(pruned.dropped).toContainEqual(expect.objectContaining({ model: 'account_forecast', version: 1 }));

    // writes and reads of input tables, tokens, scenarios, approvals, actions
    const written = (await both(['write', 'revenue_forecast', '--file', 'forecast.csv', '--user', 'ana', '--comment', 'Q4 plan', '--json'], 0)) as { entries: unknown[] };
    expect(written.entries).toHaveLength(2);
    const today = new Date().toISOString().slice(0, 10);
    const tokenId = (r: CliResult): Record<string, string> => {
      const id = /"tokenId": "([^"]+)"/.exec(r.stdout)?.[1];
      return id ? { [id]: '<token-id>' } : {};
    };
    const [history, verified, token, scenario, pending] = await Promise.all([
      both(['history', 'revenue_forecast', '--since', today, '--json'], 0),
      both(['verify', '--json'], 0),
      both(['token', 'create', '--user', 'ana', '--role', 'planner', '--attr', 'region=EMEA', '--json'], 0, tokenId),
      both(['scenario', 'create', 'downside', '--description', 'what if', '--user', 'fin', '--json'], 0),
      both(['pending', 'list', 'revenue_forecast', '--json'], 0),
    ]);
    expect((history as { entries: { user: string }[] }).entries.map((e) => e.user)).toEqual(['ana', 'ana']);
    expect(verified).toMatchObject({ ok: true, problems: [] });
    expect(token).toMatchObject({ token: '<secret>', info: { user: 'ana', role: 'planner', tokenId: '<token-id>' } });
    expect(scenario).toMatchObject({ scenario: { name: 'downside', parent: 'base' } });
    expect(pending).toEqual({ changes: [] });
    const [action, compared] = (await Promise.all([
      both(['action', 'revenue_forecast', 'submit', '--key', 'account_id=acc_001', '--key', 'quarter=2026-Q4', '--yes', '--user', 'fin', '--json'], 0),
      both(['scenario', 'compare', 'base', 'downside', '--json'], 0),
    ])) as [{ entries: unknown[] }, unknown];
    expect(action.entries).toHaveLength(1);
    expect(compared).toMatchObject({ a: 'base', b: 'downside' });

    // the merged view, with the column the new version added; a statement that writes is refused alike
    const [rows, refusedQuery] = await Promise.all([
      both(['query', 'select f.id, f.quarter, f.amount, f.note, r.status from planning.account_forecast f join writeback.revenue_forecast r on r.account_id = f.id and r.quarter = f.quarter order by f.id', '--json'], 0),
      both(['query', 'delete from writeback.revenue_forecast', '--json'], 1),
    ]);
    expect((rows as { rows: unknown[] }).rows).toEqual([
      { id: 'acc_001', quarter: '2026-Q4', amount: '125000.00', note: 'renewal', status: 'submitted' },
      { id: 'acc_002', quarter: '2026-Q4', amount: '80000.00', note: null, status: 'draft' },
    ]);
    expect(refusedQuery).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('DELETE statement') } });

    // SQL is for the administrator only: a planner's token does not open the admin routes
    const secret = (await runCli(['token', 'create', '--user', 'pat', '--role', 'planner', '--attr', 'region=EMEA', '--project', served])).stdout.trim();
    const { port } = JSON.parse(readFileSync(join(served, 'target/server.json'), 'utf8')) as { port: number };
    const asPlanner = await fetch(`http://127.0.0.1:${port}/api/v1/admin/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'select * from writeback.revenue_forecast' }),
    });
    expect(asPlanner.status).toBe(401);
  }, 300_000);
});
