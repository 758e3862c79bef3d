import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../src/adapters/adapter.js';
import { openAdapter } from '../../../src/adapters/registry.js';
import type { InputTable, Project } from '../../../src/ir/types.js';
import { createWriteback, type Writeback } from '../../../src/library/writeback.js';
import { sqlNames } from '../../../src/managed/sql-names.js';
import { applyOnPostgres, columnsIn, postgresProject } from './pg-project.js';
import { postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';

// When every key of a group has a state row, the state statement is a plain `update … from` (no
// upsert). Should a state row go away between the transaction's read and that update, the update
// changes fewer rows than there are keys; the writer must then decide the group again rather than
// commit log entries whose state row is missing. A trigger on the log (which the writer fills
// between its read and its update, in the same transaction) deletes one state row, once — a
// Postgres sequence counts the attempts, since it is not rolled back with them.
const missing = postgresUnavailable();
let server: PgServer | undefined;
let adapter: Adapter | undefined;
let wb: Writeback | undefined;

const loc = { file: 'inputs/budget.yml', line: 1, col: 1 };
const col = columnsIn(loc.file);
const budget: InputTable = {
  name: 'budget',
  key: ['k'],
  columns: [col('k', { kind: 'string' }, { required: true }), col('amount', { kind: 'decimal', precision: 18, scale: 2 })],
  scenarios: false,
  permissions: {},
  loc,
};

if (missing && process.env.CI === 'true') {
  describe('Postgres: a state row removed during an update-only write', () => {
    it('needs a PostgreSQL server in CI', () => {
      expect.fail(`${missing}; .ci/run installs it with \`apt-get install -y postgresql\``);
    });
  });
}

describe.skipIf(Boolean(missing))(`Postgres: a state row removed during an update-only write${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let project: Project;

  beforeAll(async () => {
    server = await startPostgres();
    server.createDatabase('wb_guard');
    project = postgresProject(server, 'wb_guard', { budget });
    adapter = await openAdapter(project, project.targets.pg!);
    await applyOnPostgres(project, adapter);
    wb = await createWriteback(project, adapter, { targetName: 'pg' });
  }, 120_000);

  afterAll(async () => {
    await wb?.close();
    await adapter?.close();
    server?.stop();
  });

  it('decides the group again: every key keeps its state row, each write is logged once, verify is clean', async () => {
    const first = await wb!.inputs.write('budget', [{ k: 'a', amount: '1.00' }, { k: 'b', amount: '2.00' }, { k: 'c', amount: '3.00' }], { user: 'u' });
    expect(first.ok, JSON.stringify(!first.ok && first.error)).toBe(true);

    const names = sqlNames(project, 'pg', adapter!.dialect);
    await adapter!.execute('create sequence public.guard_attempts');
    await adapter!.execute(
      `create function public.drop_state_row_once() returns trigger language plpgsql as $$ begin ` +
        `if nextval('public.guard_attempts') = 1 then delete from ${names.state('budget')} where k = 'b'; end if; return null; end $$`,
    );
    await adapter!.execute(`create trigger drop_state_row_once after insert on ${names.log('budget')} for each statement execute function public.drop_state_row_once()`);

    // every key exists: the update-only state statement
    const second = await wb!.inputs.write('budget', [{ k: 'a', amount: '10.00' }, { k: 'b', amount: '20.00' }, { k: 'c', amount: '30.00' }], { user: 'u' });
    expect(second.ok, JSON.stringify(!second.ok && second.error)).toBe(true);

    // the trigger fired in two attempts: the first was rolled back (its log entries and its delete with it)
    expect(await adapter!.query('select last_value::integer as n from public.guard_attempts')).toEqual([{ n: 2 }]);
    const rows = await wb!.inputs.rows('budget');
    expect(rows.ok && rows.rows.map((r) => [r.k, r.amount, r._version])).toEqual([
      ['a', '10.00', 2],
      ['b', '20.00', 2],
      ['c', '30.00', 2],
    ]);
    expect(await adapter!.query(`select count(*)::integer as n from ${names.log('budget')}`)).toEqual([{ n: 6 }]);
    const report = await wb!.verify();
    expect(report.problems).toEqual([]);
  });
});
