import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAdapter, resolveTarget } from '../../src/adapters/registry.js';
import type { Adapter } from '../../src/adapters/adapter.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { planProject } from '../../src/plan/plan-project.js';
import { loadProject } from '../../src/project/load-project.js';

/** Write `files` (path → text) into a new temp dir and return it. */
export function writeProject(prefix: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `wb-bench-${prefix}-`));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Load, plan and apply the project in `dir`; `before` runs first on the open connection (e.g. to create sources). */
export async function applyProject(dir: string, before?: (adapter: Adapter) => Promise<void>): Promise<void> {
  const loaded = await loadProject(dir);
  if (!loaded.ok) throw new Error(`bench project does not load: ${JSON.stringify(loaded.diagnostics.slice(0, 2))}`);
  const target = resolveTarget(loaded.value);
  const adapter = await openAdapter(loaded.value, target);
  try {
    if (before) await before(adapter);
    const plan = await planProject(loaded.value, { targetName: target.name, adapter, user: 'bench' });
    if (!plan.ok) throw new Error(`bench project does not plan: ${JSON.stringify(plan.diagnostics.slice(0, 2))}`);
    const applied = await applyPlan(plan.value, adapter);
    if (!applied.ok) throw new Error(`bench project does not apply: ${JSON.stringify(applied.diagnostics.slice(0, 2))}`);
  } finally {
    await adapter.close();
  }
}

/** project.yml of the write and read benchmarks. */
export const PROJECT_YML = `name: bench
targets:
  dev: { type: duckdb, path: target/warehouse.duckdb }
schemas: { inputs: writeback, views: planning }
sources:
  src:
    schema: src
    tables: [facts]
`;

/** The single-row-upsert input of the HTTP benchmark (no link: the raw baseline does no source check either). */
export const PLAN_YML = `name: plan
key: [id]
columns:
  id: { type: string }
  amount: { type: 'decimal(18,2)', min: 0, required: true }
  note: { type: text, max_length: 200 }
`;

/** The input of the read benchmarks: adjustments keyed like the 1,000,000-row source. */
export const ADJ_YML = `name: adj
key: [id]
links_to: { source: src.facts, on: { id: id } }
columns:
  id: { type: string }
  amount: { type: 'decimal(18,2)', required: true }
  confidence: { type: enum, values: [low, medium, high] }
`;

/** The merged view of the read benchmarks: every fact with its adjustment. */
export const FACTS_MODEL_YML = `name: adjusted_facts
kind: enrich
source: src.facts
inputs:
  - input: adj
    on: { id: id }
    columns: [amount, confidence]
`;
