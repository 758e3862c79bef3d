import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Project } from '../../../src/ir/types.js';
import { dbPath, makeProject, open, planAndApply } from './fixture.js';

let project: Project;
afterEach(() => rmSync(project.dir, { recursive: true, force: true }));

// Runs in a separate node process, as a BI tool would: READ_ONLY, through @duckdb/node-api only.
const READER = `
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(process.argv[1], { access_mode: 'READ_ONLY' });
const connection = await instance.connect();
const reader = await connection.runAndReadAll('select region, accounts from planning.region_totals order by region');
console.log(JSON.stringify(reader.getRowObjectsJson()));
connection.closeSync();
instance.closeSync();
`;

describe('after apply', () => {
  it('a separate read-only process can open the file and query a merged view', async () => {
    project = makeProject();
    const adapter = await open(project);
    await planAndApply(project, adapter);
    await adapter.close();
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', READER, dbPath(project)], { cwd: process.cwd(), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([
      { region: 'AMER', accounts: '1' },
      { region: 'EMEA', accounts: '2' },
    ]);
  });
});
