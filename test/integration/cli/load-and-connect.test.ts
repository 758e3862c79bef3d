import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadAndConnect, ReportedFailure } from '../../../src/cli/context.js';
import { appliedDemoProject } from '../server/demo-project.js';

/** `apply` opens an existing DuckDB file while the project loads (src/cli/context.ts). */
describe('loadAndConnect (real DuckDB file, demo project)', () => {
  it('returns the loaded project and a working connection to its existing file', async () => {
    const dir = await appliedDemoProject();
    const { project, adapter, target } = await loadAndConnect({ project: dir, json: true });
    try {
      expect([project.name, target.name]).toEqual(['revenue_planning', 'dev']);
      const rows = await adapter.query('select count(*) as n from writeback._wb_model_versions');
      expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    } finally {
      await adapter.close();
    }
  });

  it('a project that does not load is reported (the connection opened meanwhile is closed); fixed, it connects', async () => {
    const dir = await appliedDemoProject();
    appendFileSync(join(dir, 'inputs/revenue_forecast.yml'), '\nnot_a_key: [\n');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await expect(loadAndConnect({ project: dir, json: true })).rejects.toBeInstanceOf(ReportedFailure);
    } finally {
      out.mockRestore();
    }
    // once fixed, it connects again
    const file = join(dir, 'inputs/revenue_forecast.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('\nnot_a_key: [\n', ''));
    const again = await loadAndConnect({ project: dir, json: true });
    await again.adapter.close();
  });
});
