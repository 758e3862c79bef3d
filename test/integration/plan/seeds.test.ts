import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { planProject } from '../../../src/plan/plan-project.js';
import type { Project } from '../../../src/ir/types.js';
import { ACCOUNTS_CSV, cleanUpAfterEach, kinds, makeProject, open, plan, planAndApply } from './fixture.js';

let project: Project;
let adapter: DuckDBAdapter | undefined;
cleanUpAfterEach();

const seedRecords = (a: DuckDBAdapter) => a.query('select file, "schema", "table", fingerprint from writeback._wb_seeds');

describe('seeds', () => {
  it('loads with column_types over inferred types, and reloads only when the file content changes', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    // id is declared a string: leading zeros survive
    expect(await adapter.query('select id from crm.accounts order by id')).toEqual([{ id: '007' }, { id: '008' }, { id: '009' }]);
    const [before] = await seedRecords(adapter);
    expect(before).toMatchObject({ file: 'seeds/accounts.csv', schema: 'crm', table: 'accounts' });

    // rewritten with the same bytes: nothing to do
    writeFileSync(join(project.dir, 'seeds/accounts.csv'), ACCOUNTS_CSV);
    expect((await plan(project, adapter)).operations).toEqual([]);

    writeFileSync(join(project.dir, 'seeds/accounts.csv'), ACCOUNTS_CSV + '010,Osprey,APAC\n');
    const changed = await plan(project, adapter);
    expect(kinds(changed)).toEqual(['load-seed']);
    expect(changed.operations[0]!.description).toBe('reload seed seeds/accounts.csv into crm.accounts (file changed)');
    await planAndApply(project, adapter);
    expect(await adapter.query('select count(*) as n from planning.account_plan')).toEqual([{ n: 4 }]);
    const after = await seedRecords(adapter);
    expect(after).toHaveLength(1);
    expect(after[0]!.fingerprint).not.toBe(before!.fingerprint);
    expect((await plan(project, adapter)).operations).toEqual([]);
  });

  it('reloads a seed whose table was dropped; a missing file is a diagnostic with its location', async () => {
    project = makeProject();
    adapter = await open(project);
    await planAndApply(project, adapter);
    await adapter.execute('drop table crm.accounts');
    const p = await plan(project, adapter);
    expect(p.operations.map((o) => o.description)).toEqual(['reload seed seeds/accounts.csv into crm.accounts (its table is missing)']);

    project.seeds[0] = { ...project.seeds[0]!, file: 'seeds/missing.csv' };
    const r = await planProject(project, { targetName: 'dev', adapter, user: 'tester' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostics.map((d) => d.code)).toEqual(['seed-file-unreadable']);
      expect(r.diagnostics[0]!.loc?.file).toBe('project.yml');
    }
  });
});
