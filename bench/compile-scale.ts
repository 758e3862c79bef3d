/**
 * Benchmark 1 — compile at scale: validate (load) + compile + plan of a generated project of N input
 * tables and N merge models (half enrich, half SQL with ref/input/var and two macros), for
 * N = 100, 1,000 (the target: < 2 s) and 5,000 (growth should be close to linear).
 * Run: node --import tsx bench/compile-scale.ts [--quick]
 */
import { rmSync } from 'node:fs';
import { openAdapter, resolveTarget } from '../src/adapters/registry.js';
import { getDialect } from '../src/dialects/registry.js';
import { compileProject } from '../src/emit/compile-project.js';
import { planProject } from '../src/plan/plan-project.js';
import { loadProject } from '../src/project/load-project.js';
import { seedSourceColumns } from '../src/seeds/seed-columns.js';
import { QUICK, Recorder } from './lib/result.js';
import { scaleProject } from './lib/scale-project.js';

const rec = new Recorder('compile-scale', '1. Compile at scale (validate + compile + plan)');
const sizes = QUICK ? [100, 1000] : [100, 1000, 5000];

async function measure(n: number): Promise<{ load: number; compile: number; plan: number; total: number; cpu: number }> {
  const dir = await scaleProject(n);
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const loaded = await loadProject(dir);
    if (!loaded.ok) throw new Error(`generated project does not load: ${loaded.diagnostics[0]?.message}`);
    const project = loaded.value;
    const t1 = performance.now();
    const target = resolveTarget(project);
    const objects = compileProject(project, getDialect(target.type), target.name, { sourceColumns: seedSourceColumns(project) });
    const bad = objects.flatMap((o) => o.diagnostics).filter((d) => d.severity === 'error');
    if (bad.length > 0) throw new Error(`generated project does not compile: ${bad[0]!.message}`);
    const t2 = performance.now();
    const adapter = await openAdapter(project, target);
    try {
      const plan = await planProject(project, { targetName: target.name, adapter, user: 'bench' });
      if (!plan.ok) throw new Error(`generated project does not plan: ${plan.diagnostics[0]?.message}`);
    } finally {
      await adapter.close();
    }
    const t3 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    return { load: t1 - t0, compile: t2 - t1, plan: t3 - t2, total: t3 - t0, cpu: (cpu.user + cpu.system) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(rec.title);
await measure(20); // warm up the JIT and module loading, so N=100 is not mostly start-up
const totals = new Map<number, number>();
// Wall-clock time on this shared machine swings with other jobs' load: the fastest of RUNS runs
// (whole-run totals; every run builds a fresh project) is kept, as read-merged and write-bulk do.
const RUNS = 3;
for (const n of sizes) {
  let m = await measure(n);
  for (let r = 1; r < RUNS; r++) {
    const again = await measure(n);
    if (again.total < m.total) m = again;
  }
  totals.set(n, m.total);
  rec.figure(`N=${n}: load+validate`, m.load, 'ms');
  rec.figure(`N=${n}: compile`, m.compile, 'ms');
  rec.figure(`N=${n}: plan (empty warehouse)`, m.plan, 'ms');
  rec.figure(`N=${n}: total (${2 * n} objects)`, m.total, 'ms');
  rec.figure(`N=${n}: per object`, m.total / (2 * n), 'ms');
  rec.figure(`N=${n}: CPU time of this process (user + system)`, m.cpu, 'ms');
}
const t1000 = totals.get(1000)!;
rec.check('validate + compile + plan, 1,000 inputs + 1,000 models', t1000, 'ms', '< 2,000 ms', t1000 < 2000);
const t100 = totals.get(100)!;
rec.check('growth 100 → 1,000 (10× objects)', t1000 / t100, '×', '≈ 10× (linear)', t1000 / t100 < 15);
if (totals.has(5000)) {
  const g = totals.get(5000)! / t1000;
  rec.check('growth 1,000 → 5,000 (5× objects)', g, '×', '≈ 5× (linear)', g < 7.5);
}
rec.note('Generated project: 10 source tables; every input links to one; even models are enrich joins, odd models are SQL that ref() the previous model, read an input() and call two macros and a var.');
rec.note('Targets are judged on wall-clock time; the CPU time of the process is shown beside it because other work on the machine stretches wall-clock time (see the load average in the JSON).');
rec.note('Compile pretty-prints every statement (what `writeback compile` writes); sql-formatter output is cached by statement shape (names and string values masked, src/emit/sql-skeleton.ts), and the generated objects share a few dozen shapes, so formatting is paid a few dozen times here — a project whose models are all different pays it once per model (~1–5 ms each on this machine). The plan itself never formats.');
rec.note('The plan reads an empty warehouse (only the sources exist), so it plans every create; a JIT warm-up run at N=20 precedes the measurements; every size is measured 3 times and the fastest run (by total) is reported.');
rec.save();
