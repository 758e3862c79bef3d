// Measures write throughput on a throwaway local PostgreSQL server (not a test: no thresholds).
// Run: npx tsx test/integration/postgres/measure-throughput.ts   (as root, PostgreSQL installed)
import { openAdapter } from '../../../src/adapters/registry.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import { planProject } from '../../../src/plan/plan-project.js';
import type { Project } from '../../../src/ir/types.js';
import { createWriteback } from '../../../src/library/writeback.js';
import { testProject } from '../write/fixture.js';
import { startPostgres } from './pg-server.js';

const server = await startPostgres();
server.createDatabase('wb_measure');
const base = testProject('/tmp');
const project: Project = {
  ...base,
  seeds: [],
  models: [],
  defaultTarget: 'pg',
  targets: { pg: { name: 'pg', type: 'postgres', settings: { host: '127.0.0.1', port: String(server.port), database: 'wb_measure', user: 'postgres' } } },
};
const out: string[] = [];
const report = (label: string, n: number, ms: number, unit: string) => {
  const line = `${label}: ${n} ${unit} in ${Math.round(ms)} ms = ${Math.round(n / (ms / 1000))} ${unit}/s`;
  out.push(line);
  console.log(line);
};
try {
  const adapter = await openAdapter(project, project.targets.pg!);
  const plan = await planProject(project, { targetName: 'pg', adapter, user: 'm' });
  if (!plan.ok) throw new Error(JSON.stringify(plan.diagnostics));
  const applied = await applyPlan(plan.value, adapter);
  if (!applied.ok) throw new Error(JSON.stringify(applied.diagnostics));
  const wb = await createWriteback(project, adapter, { targetName: 'pg' });
  await wb.inputs.write('notes', [{ id: 0, body: 'warm' }], { user: 'm' });

  let t = performance.now();
  for (let i = 0; i < 300; i++) await wb.inputs.write('notes', [{ id: 1 + i, body: `s${i}` }], { user: 'm' });
  report('sequential single-row writes, 1 client', 300, performance.now() - t, 'writes');

  t = performance.now();
  await Promise.all(Array.from({ length: 2000 }, (_, i) => wb.inputs.write('notes', [{ id: 1000 + (i % 500), body: `c${i}` }], { user: `u${i % 50}` })));
  report('2,000 concurrent single-row writes, 1 process (group commit)', 2000, performance.now() - t, 'writes');

  const other = await openAdapter(project, project.targets.pg!);
  const wb2 = await createWriteback(project, other, { targetName: 'pg' });
  t = performance.now();
  await Promise.all(
    Array.from({ length: 2000 }, (_, i) => (i % 2 ? wb : wb2).inputs.write('notes', [{ id: 3000 + (i % 500), body: `d${i}` }], { user: `u${i % 50}` })),
  );
  report('2,000 concurrent single-row writes, 2 writer instances on one table', 2000, performance.now() - t, 'writes');
  await wb2.close();
  await other.close();

  const rows = Array.from({ length: 50_000 }, (_, i) => ({ id: 100_000 + i, region: i % 2 ? 'EMEA' : 'AMER', body: `bulk ${i}` }));
  t = performance.now();
  const r = await wb.inputs.write('notes', rows, { user: 'bulk' });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  report('one bulk request, new keys', 50_000, performance.now() - t, 'rows');
  t = performance.now();
  const r2 = await wb.inputs.write('notes', rows.map((x) => ({ ...x, body: `${x.body}!` })), { user: 'bulk' });
  if (!r2.ok) throw new Error(JSON.stringify(r2.error));
  report('one bulk request, updating existing keys', 50_000, performance.now() - t, 'rows');
  const v = await wb.verify();
  console.log(`verify: ${v.ok ? 'ok' : JSON.stringify(v.problems.slice(0, 3))}`);
  await wb.close();
  await adapter.close();
} finally {
  server.stop();
}
