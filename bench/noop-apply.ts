/**
 * Benchmark 2 — no-op apply: apply the generated 1,000 + 1,000 project once, then run load + plan +
 * apply again with nothing changed, through an adapter that counts statements. Target: zero DDL, < 3 s.
 * Run: node --import tsx bench/noop-apply.ts [--quick]
 */
import { rmSync } from 'node:fs';
import { openAdapter, resolveTarget } from '../src/adapters/registry.js';
import { applyPlan } from '../src/apply/apply-plan.js';
import { planProject } from '../src/plan/plan-project.js';
import { loadProject } from '../src/project/load-project.js';
import type { Project } from '../src/project/types.js';
import { CountingAdapter } from './lib/counting-adapter.js';
import { QUICK, Recorder } from './lib/result.js';
import { scaleProject } from './lib/scale-project.js';

const rec = new Recorder('noop-apply', '2. No-op apply');
const N = QUICK ? 200 : 1000;
console.log(rec.title);

async function loadAndApply(dir: string): Promise<{ ms: number; cpu: number; operations: number; statements: number; ddl: number; ddlSql: string[] }> {
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const loaded = await loadProject(dir);
  if (!loaded.ok) throw new Error(`does not load: ${loaded.diagnostics[0]?.message}`);
  const project: Project = loaded.value;
  const target = resolveTarget(project);
  const counting = new CountingAdapter(await openAdapter(project, target));
  try {
    const plan = await planProject(project, { targetName: target.name, adapter: counting, user: 'bench' });
    if (!plan.ok) throw new Error(`does not plan: ${plan.diagnostics[0]?.message}`);
    const applied = await applyPlan(plan.value, counting);
    if (!applied.ok) throw new Error(`does not apply: ${applied.diagnostics[0]?.message}`);
    const cpu = process.cpuUsage(cpu0);
    return { ms: performance.now() - t, cpu: (cpu.user + cpu.system) / 1000, operations: plan.value.operations.length, ...counting.counts };
  } finally {
    await counting.close();
  }
}

const dir = await scaleProject(N);
try {
  const first = await loadAndApply(dir);
  rec.figure(`first apply of ${N} inputs + ${N} models`, first.ms, 'ms');
  rec.figure('first apply: operations', first.operations, 'ops');
  rec.figure('first apply: DDL statements', first.ddl, 'statements');
  const again = await loadAndApply(dir);
  rec.figure('no-op apply: operations planned', again.operations, 'ops');
  rec.figure('no-op apply: statements issued (reads included)', again.statements, 'statements');
  rec.check('no-op apply: DDL statements', again.ddl, 'statements', '= 0', again.ddl === 0, again.ddl > 0 ? `e.g. ${again.ddlSql[0]}` : undefined);
  rec.figure('no-op apply: CPU time of this process (user + system)', again.cpu, 'ms');
  rec.check(`no-op apply (load + plan + apply), ${N} + ${N} objects`, again.ms, 'ms', '< 3,000 ms', again.ms < 3000);
  rec.note('Statements are counted by a wrapping adapter (every query/execute, transactions included); DDL = create/alter/drop/comment/rename/truncate.');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
rec.save();
