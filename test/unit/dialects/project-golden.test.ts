import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileOn, PROJECTS, REMOTE_TYPES, ROOT } from './remote-projects.js';

// Formatted SQL of the demo and example projects per warehouse dialect, under test/golden/<dialect>/<project>/.
// `UPDATE_GOLDEN=1 npx vitest run test/unit/dialects/project-golden.test.ts` rewrites them.
const update = process.env['UPDATE_GOLDEN'] === '1';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const cases = REMOTE_TYPES.flatMap((type) => Object.entries(PROJECTS).map(([project, dir]) => [type, project, dir] as const));

describe.each(cases)('golden SQL for %s: %s', async (type, project, projectDir) => {
  const dir = join(ROOT, 'test', 'golden', type, project);
  const { objects } = await compileOn(projectDir, type);
  if (update) {
    rmSync(dir, { recursive: true, force: true });
    for (const o of objects) {
      mkdirSync(dirname(join(dir, o.file)), { recursive: true });
      writeFileSync(join(dir, o.file), o.sql);
    }
  }

  it('compiles without diagnostics', () => {
    expect(objects.flatMap((o) => o.diagnostics)).toEqual([]);
  });

  it('has exactly the golden files', () => {
    expect(filesUnder(dir)).toEqual(objects.map((o) => o.file).sort());
  });

  it.each(objects.map((o) => [o.file, o] as const))('%s matches its golden file', (file, o) => {
    expect(o.sql).toBe(readFileSync(join(dir, file), 'utf8'));
  });
});
