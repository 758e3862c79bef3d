import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../src/library/open-project.js';
import { appliedDemoProject, copyProject } from './helpers.js';

const LOG = 'writeback.revenue_forecast__log';

/** Hand edits of the log, each done directly on the DuckDB file (as someone with warehouse access could). */
const TAMPERS: { name: string; sql: string[] }[] = [
  { name: 'edit a value', sql: [`update ${LOG} set amount = amount + 1 where _seq = 3`] },
  { name: 'edit who wrote it', sql: [`update ${LOG} set _user = 'mallory' where _seq = 2`] },
  { name: 'edit a value and re-derive the state', sql: [`update ${LOG} set note = 'forged' where _seq = 4`, `update writeback.revenue_forecast set note = 'forged' where _entry_id = (select _entry_id from ${LOG} where _seq = 4)`] },
  { name: 'delete a row', sql: [`delete from ${LOG} where _seq = 3`] },
  { name: 'delete the last row', sql: [`delete from ${LOG} where _seq = (select max(_seq) from ${LOG})`] },
  { name: 'reorder two rows (swap _seq)', sql: [`update ${LOG} set _seq = case _seq when 2 then 3 when 3 then 2 end where _seq in (2, 3)`] },
  { name: 'insert a forged row copied from another', sql: [`insert into ${LOG} select * replace ('forged-entry' as _entry_id) from ${LOG} where _seq = 2`] },
];

describe('audit integrity: a hand-edited log is detected by verify', () => {
  let clean: string;
  const dirs: string[] = [];
  beforeAll(async () => {
    clean = await appliedDemoProject();
    const wb = await openProject(clean);
    try {
      for (let i = 0; i < 3; i++) {
        const r = await wb.inputs.write(
          'revenue_forecast',
          [
            { account_id: 'acc_001', quarter: '2026-Q1', amount: `${100 + i}.00`, note: `round ${i}` },
            { account_id: 'acc_022', quarter: '2026-Q2', amount: `${200 + i}.00` },
          ],
          { user: `writer${i}` },
        );
        if (!r.ok) throw new Error(r.error.message);
      }
      const report = await wb.verify();
      if (!report.ok) throw new Error(`clean project does not verify: ${JSON.stringify(report.problems)}`);
    } finally {
      await wb.close();
    }
  });
  afterAll(() => {
    for (const d of [clean, ...dirs]) rmSync(d, { recursive: true, force: true });
  });

  it('a clean copy verifies', async () => {
    const dir = copyProject(clean);
    dirs.push(dir);
    const wb = await openProject(dir);
    try {
      expect((await wb.verify()).problems).toEqual([]);
    } finally {
      await wb.close();
    }
  });

  for (const tamper of TAMPERS) {
    it(`detects: ${tamper.name}`, async () => {
      const dir = copyProject(clean);
      dirs.push(dir);
      const instance = await DuckDBInstance.create(join(dir, 'target', 'warehouse.duckdb'));
      const conn = await instance.connect();
      for (const sql of tamper.sql) await conn.run(sql);
      conn.closeSync();
      instance.closeSync();
      const wb = await openProject(dir);
      try {
        const report = await wb.verify();
        expect(report.ok).toBe(false);
        expect(report.problems.length).toBeGreaterThan(0);
        expect(report.problems.every((p) => p.table === 'revenue_forecast')).toBe(true);
      } finally {
        await wb.close();
      }
    });
  }
});
