import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openAdapter, resolveTarget } from '../../../src/adapters/registry.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import { planProject } from '../../../src/plan/plan-project.js';
import { loadProject } from '../../../src/project/load-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { inject } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * A copy of the root demo project in a temp dir, applied (seeds loaded, tables and views created);
 * `prepare` edits the copy first. Without `prepare`, a copy of the demo that this run's global
 * setup applied once (test/helpers/build-setup.ts), folder and DuckDB file, when there is one.
 */
export async function appliedDemoProject(prepare?: (dir: string) => void): Promise<string> {
  const applied = prepare ? undefined : inject('appliedDemo');
  if (!applied) return applyDemoProject(prepare);
  const dir = mkdtempSync(join(tmpdir(), 'wb-server-'));
  cpSync(applied, dir, { recursive: true });
  return dir;
}

/** A new copy of the root demo project in a temp dir, edited by `prepare`, then applied. */
export async function applyDemoProject(prepare?: (dir: string) => void): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'wb-server-'));
  for (const part of ['project.yml', 'inputs', 'models', 'macros', 'seeds']) {
    cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  }
  prepare?.(dir);
  const loaded = await loadProject(dir);
  if (!loaded.ok) throw new Error(`demo does not load: ${JSON.stringify(loaded.diagnostics)}`);
  const project = loaded.value;
  const target = resolveTarget(project);
  const adapter = await openAdapter(project, target);
  try {
    const plan = await planProject(project, { targetName: target.name, adapter, user: 'test' });
    if (!plan.ok) throw new Error(`demo does not plan: ${JSON.stringify(plan.diagnostics)}`);
    const applied = await applyPlan(plan.value, adapter);
    if (!applied.ok) throw new Error(`demo does not apply: ${JSON.stringify(applied.diagnostics)}`);
  } finally {
    await adapter.close();
  }
  return dir;
}

/** A SQL model whose SQL fails in the warehouse on every read (INT64 overflow). */
export const BROKEN_MODEL = 'name: broken_total\nkind: sql\nsql: |\n  select cast(9223372036854775807 as bigint) + 1 as x\n';

/** A new API token for `user` with `role` (and the row filters' `attributes`). */
export async function tokenFor(wb: Writeback, user: string, role: string, attributes?: Record<string, string>): Promise<string> {
  const r = await wb.tokens.create({ user, role, ...(attributes ? { attributes } : {}) });
  if (!r.ok) throw new Error(r.error.message);
  return r.token;
}

/** The demo's users, as the tests sign in: ana and bob plan EMEA and AMER, fin and fin2 are finance, vic a viewer. */
export type DemoUser = 'ana' | 'bob' | 'fin' | 'fin2' | 'vic';

/** A token for each of the demo's users. */
export async function demoTokens(wb: Writeback): Promise<Record<DemoUser, string>> {
  return {
    ana: await tokenFor(wb, 'ana', 'planner', { region: 'EMEA' }),
    bob: await tokenFor(wb, 'bob', 'planner', { region: 'AMER' }),
    fin: await tokenFor(wb, 'fin', 'finance'),
    fin2: await tokenFor(wb, 'fin2', 'finance'),
    vic: await tokenFor(wb, 'vic', 'viewer'),
  };
}
