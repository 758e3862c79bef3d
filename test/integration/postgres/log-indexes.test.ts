import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../src/adapters/adapter.js';
import { openAdapter } from '../../../src/adapters/registry.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import type { Project } from '../../../src/ir/types.js';
import { createWriteback } from '../../../src/library/writeback.js';
import { planProject } from '../../../src/plan/plan-project.js';
import { testProject } from '../write/fixture.js';
import { postgresProject } from './pg-project.js';
import { postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';

// Input logs on Postgres carry two indexes — (_seq, _entry_id) and (key…, _seq) — so the bulk
// upsert's read-back of its `_seq` range, verify's pages and history do not scan the whole log.
// apply creates them with new tables and adds them to logs an older version created without them.
const missing = postgresUnavailable();
let server: PgServer | undefined;
let adapter: Adapter | undefined;
let project: Project;

/** The key columns of each index of a table in `writeback`, as `a, b`. */
async function indexesOf(table: string): Promise<string[]> {
  const rows = await adapter!.query<{ def: string }>(
    `select pg_get_indexdef(i.indexrelid) as def from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'writeback' and c.relname = $1`,
    [table],
  );
  return rows.map((r) => /\((.*)\)$/.exec(r.def)![1]!).sort();
}

async function plan(p: Project = project, allowDestructive = false) {
  const planned = await planProject(p, { targetName: 'pg', adapter: adapter!, user: 'test', allowDestructive });
  if (!planned.ok) throw new Error(JSON.stringify(planned.diagnostics));
  return planned.value;
}

async function apply(p: Project = project, allowDestructive = false) {
  const applied = await applyPlan(await plan(p, allowDestructive), adapter!);
  if (!applied.ok) throw new Error(JSON.stringify(applied.diagnostics));
}

if (missing && process.env.CI === 'true') {
  describe('Postgres log indexes', () => {
    it('needs a PostgreSQL server in CI', () => {
      expect.fail(`${missing}; .ci/run installs it with \`apt-get install -y postgresql\``);
    });
  });
}

describe.skipIf(Boolean(missing))(`Postgres log indexes${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    server = await startPostgres();
    server.createDatabase('wb_indexes');
    project = postgresProject(server, 'wb_indexes', { notes: testProject('/tmp').inputs.notes! });
    adapter = await openAdapter(project, project.targets.pg!);
  }, 120_000);

  afterAll(async () => {
    await adapter?.close();
    server?.stop();
  });

  it('a first apply creates the log with its indexes; a second plan is empty', async () => {
    await apply();
    expect(await indexesOf('notes__log')).toEqual(['_seq, _entry_id', 'id, _seq']);
    expect((await plan()).operations).toEqual([]);
  });

  it('a log created without them (an older version) gets them from the next apply, its entries kept; then the plan is empty', async () => {
    const wb = await createWriteback(project, adapter!, { targetName: 'pg' });
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, region: 'EMEA', body: `note ${i}` }));
    expect((await wb.inputs.write('notes', rows, { user: 'u' })).ok).toBe(true);
    await wb.close();
    for (const r of await adapter!.query<{ name: string }>(`select indexname as name from pg_indexes where schemaname = 'writeback' and tablename = 'notes__log'`))
      await adapter!.execute(`drop index writeback."${r.name}"`);
    expect(await indexesOf('notes__log')).toEqual([]);

    const upgrade = await plan();
    expect(upgrade.operations.map((op) => op.description)).toEqual([
      'create index on writeback.notes__log (_seq, _entry_id) (locks writes to notes while it is built)',
      'create index on writeback.notes__log (id, _seq) (locks writes to notes while it is built)',
    ]);
    await apply();
    expect(await indexesOf('notes__log')).toEqual(['_seq, _entry_id', 'id, _seq']);
    expect((await plan()).operations).toEqual([]);
    const again = await createWriteback(project, adapter!, { targetName: 'pg' });
    const report = await again.verify();
    expect(report.problems).toEqual([]);
    expect(report.tables.find((t) => t.table === 'notes')?.entries).toBe(50);
    await again.close();
  });

  it('an input removed (its log archived with its indexes) and declared again gets a new log with its own indexes', async () => {
    const { notes: _removed, ...others } = project.inputs;
    await apply({ ...project, inputs: others }, true);
    await apply();
    expect(await indexesOf('notes__log')).toEqual(['_seq, _entry_id', 'id, _seq']);
    expect((await plan()).operations).toEqual([]);
  });
});
