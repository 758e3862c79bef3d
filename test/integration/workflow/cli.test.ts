import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { appliedDemoProject } from '../server/demo-project.js';

/** The CLI commands of the planning workflows, working directly on the DuckDB file (no server running). */
describe('writeback scenario / pending / action (direct on the file)', () => {
  it('creates and lists scenarios, compares, promotes with --yes, runs an action with --yes', async () => {
    const dir = await appliedDemoProject();
    const cli = (...args: string[]) => runCli([...args, '--project', dir]);
    expect((await cli('scenario', 'create', 'stretch', '--from', 'base', '--user', 'fin')).code).toBe(0);
    const list = await cli('scenario', 'list', '--json');
    expect((JSON.parse(list.stdout) as { scenarios: { name: string; parent: string | null; created_by: string | null }[] }).scenarios.map((s) => [s.name, s.parent, s.created_by])).toEqual([
      ['base', null, null],
      ['stretch', 'base', 'fin'],
    ]);
    writeFileSync(join(dir, 'base.csv'), 'account_id,quarter,amount\nacc_022,2026-Q4,150000\n');
    writeFileSync(join(dir, 'stretch.csv'), 'account_id,quarter,amount\nacc_022,2026-Q4,180000\n');
    expect((await cli('write', 'revenue_forecast', '-f', join(dir, 'base.csv'), '--user', 'ana')).code).toBe(0);
    expect((await cli('write', 'revenue_forecast', '-f', join(dir, 'stretch.csv'), '--scenario', 'stretch', '--user', 'ana')).code).toBe(0);
    const cmp = await cli('scenario', 'compare', 'base', 'stretch', '--table', 'revenue_forecast', '--json');
    expect(JSON.parse(cmp.stdout).tables[0].rows[0].changes).toEqual([{ column: 'amount', a: '150000.00', b: '180000.00', delta: '30000.00' }]);

    const unconfirmed = await cli('scenario', 'promote', 'stretch', '--user', 'fin');
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stdout).toContain('would write 1 row');
    expect(unconfirmed.stderr).toContain('--yes');
    expect((await cli('scenario', 'promote', 'stretch', '--user', 'fin', '--yes')).code).toBe(0);

    const noYes = await cli('action', 'revenue_forecast', 'submit', '--key', 'account_id=acc_022', '--key', 'quarter=2026-Q4', '--user', 'ana');
    expect(noYes.code).toBe(1);
    const ran = await cli('action', 'revenue_forecast', 'submit', '--key', 'account_id=acc_022', '--key', 'quarter=2026-Q4', '--user', 'ana', '--yes', '--json');
    expect(ran.code).toBe(0);
    const hist = await cli('history', 'revenue_forecast', '--key', 'account_id=acc_022', '--json');
    const entries = (JSON.parse(hist.stdout) as { entries: { user: string; comment: string | null; scenario: string }[] }).entries;
    expect(entries.map((e) => [e.user, e.scenario, e.comment])).toEqual([
      ['ana', 'base', null],
      ['ana', 'stretch', null],
      ['fin', 'base', 'promote scenario stretch into base'],
      ['ana', 'base', 'action submit'],
    ]);
    const pending = await cli('pending', 'list', 'revenue_forecast', '--json');
    expect(JSON.parse(pending.stdout)).toEqual({ changes: [] });
  });
});
