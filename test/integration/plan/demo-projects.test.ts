import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import { duckdbDialect } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { planProject } from '../../../src/plan/plan-project.js';
import { loadProject } from '../../../src/project/load-project.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PROJECT_PARTS = ['project.yml', 'inputs', 'models', 'macros', 'seeds'];

/** The root demo and every example project (each is copied to a temp dir, so the repo is never written). */
function projects(): { name: string; from: string }[] {
  const examples = join(repo, 'examples');
  const names = existsSync(examples) ? readdirSync(examples).filter((n) => existsSync(join(examples, n, 'project.yml'))) : [];
  return [{ name: 'root demo', from: repo }, ...names.map((n) => ({ name: `examples/${n}`, from: join(examples, n) }))];
}

describe('shipped projects on DuckDB', () => {
  for (const { name, from } of projects()) {
    it(`${name}: apply creates every view, a second plan is empty`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wb-demo-'));
      try {
        for (const part of PROJECT_PARTS) if (existsSync(join(from, part))) cpSync(join(from, part), join(dir, part), { recursive: true });
        const loaded = await loadProject(dir);
        if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
        const project = loaded.value;
        const adapter = await DuckDBAdapter.open(join(dir, 'target/test.duckdb'), duckdbDialect);
        try {
          const options = { targetName: project.defaultTarget, adapter, user: 'tester' };
          const first = await planProject(project, options);
          if (!first.ok) throw new Error(JSON.stringify(first.diagnostics));
          const applied = await applyPlan(first.value, adapter);
          if (!applied.ok) throw new Error(JSON.stringify(applied.diagnostics));
          for (const model of project.models) {
            await expect(adapter.query(`select count(*) as n from "${project.schemas.views}"."${model.name}"`)).resolves.toHaveLength(1);
          }
          const second = await planProject(project, options);
          expect(second.ok && second.value.operations).toEqual([]);
        } finally {
          await adapter.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
