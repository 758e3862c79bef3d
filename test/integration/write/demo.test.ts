import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdapter, resolveTarget } from '../../../src/adapters/registry.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import { planProject } from '../../../src/plan/plan-project.js';
import { loadProject } from '../../../src/project/load-project.js';
import { openProject, type Writeback } from '../../../src/index.js';

const ROOT = resolve(import.meta.dirname, '../../..');
let dir: string;
let wb: Writeback;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-write-demo-'));
  for (const part of ['project.yml', 'inputs', 'models', 'macros', 'seeds']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  const loaded = await loadProject(dir);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  const target = resolveTarget(loaded.value);
  const adapter = await openAdapter(loaded.value, target);
  const plan = await planProject(loaded.value, { targetName: target.name, adapter, user: 'test' });
  if (!plan.ok) throw new Error(JSON.stringify(plan.diagnostics));
  const applied = await applyPlan(plan.value, adapter);
  if (!applied.ok) throw new Error(JSON.stringify(applied.diagnostics));
  await adapter.close();
  wb = await openProject(dir);
});

afterAll(async () => {
  await wb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('openProject on the applied root demo', () => {
  it('writes, reads and verifies through the public API', async () => {
    const account = (await wb.adapter.query<{ id: string; region: string }>('select id, region from crm.accounts order by id limit 1'))[0]!;
    const r = await wb.inputs.write('revenue_forecast', [{ account_id: account.id, quarter: '2026-Q4', amount: '1250.00' }], {
      user: 'planner1',
      role: 'planner',
      attributes: { region: account.region },
      requestId: 'demo-1',
    });
    expect(r.ok).toBe(true);
    const other = await wb.inputs.write('revenue_forecast', [{ account_id: account.id, quarter: '2026-Q4', amount: '1.00' }], {
      user: 'planner2',
      role: 'planner',
      attributes: { region: 'nowhere' },
    });
    // an account outside the planner's region is, to them, an account that does not exist
    expect(!other.ok && other.error.code).toBe('validation_failed');
    const rows = await wb.inputs.rows('revenue_forecast', { actor: { user: 'v', role: 'viewer' } });
    expect(rows.ok && rows.rows).toEqual([expect.objectContaining({ account_id: account.id, amount: '1250.00', confidence: 'medium', _version: 1 })]);
    const cat = await wb.inputs.write('account_category', [{ account_id: account.id, category: 'no such category' }], { user: 'fin', role: 'finance' });
    expect(!cat.ok && cat.error.details[0]).toMatchObject({ row: 0, column: 'category' });
    expect((await wb.verify()).ok).toBe(true);
  });
});
