import type { Adapter } from '../../../src/adapters/adapter.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import type { InputColumn, InputTable, Project } from '../../../src/ir/types.js';
import { planProject } from '../../../src/plan/plan-project.js';
import { testProject } from '../write/fixture.js';
import type { PgServer } from './pg-server.js';

/** The write tests' project (test/integration/write/fixture.ts) holding only `inputs`, on a `pg` target: `database` on `server`. */
export function postgresProject(server: PgServer, database: string, inputs: Record<string, InputTable>): Project {
  return {
    ...testProject('/tmp'),
    inputs,
    defaultTarget: 'pg',
    targets: { pg: { name: 'pg', type: 'postgres', settings: { host: server.host, port: String(server.port), database, user: server.user } } },
  };
}

/** Plan and apply `project` on its `pg` target through `adapter`; throws with the diagnostics of a failure. */
export async function applyOnPostgres(project: Project, adapter: Adapter): Promise<void> {
  const plan = await planProject(project, { targetName: 'pg', adapter, user: 'test' });
  if (!plan.ok) throw new Error(JSON.stringify(plan.diagnostics));
  const applied = await applyPlan(plan.value, adapter);
  if (!applied.ok) throw new Error(JSON.stringify(applied.diagnostics));
}

/** A maker of an input's columns, located at the start of `file` (the tests' inputs are built in code). */
export function columnsIn(file: string): (name: string, type: InputColumn['type'], more?: Partial<InputColumn>) => InputColumn {
  const loc = { file, line: 1, col: 1 };
  return (name, type, more = {}) => ({ name, type, required: false, loc, ...more });
}
