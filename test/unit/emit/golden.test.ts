import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listDialects } from '../../../src/dialects/registry.js';
import { compileProject } from '../../../src/emit/compile-project.js';
import { fixtureProject } from './fixture-project.js';

// Formatted DDL and views per dialect. `UPDATE_GOLDEN=1 npx vitest run test/unit/emit/golden.test.ts` rewrites them.
const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'golden');
const update = process.env['UPDATE_GOLDEN'] === '1';

// The fixture's files live in these folders; test/golden/<dialect>/<project>/ (test/unit/dialects) are not ours.
const FOLDERS = ['meta', 'inputs', 'models'];
// Source columns, so dialects without `* exclude/replace` can render override models (star dialects ignore them).
const SOURCE_COLUMNS: Record<string, string[]> = { accounts: ['id', 'name', 'region', 'category', 'segment'], products: ['id', 'name', 'category', 'price'] };

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((f) => FOLDERS.some((folder) => f.startsWith(`${folder}/`)))
    .sort();
}

describe.each(listDialects().map((d) => [d.name, d] as const))('golden SQL for %s', (name, dialect) => {
  const dir = join(GOLDEN, name);
  const objects = compileProject(fixtureProject(), dialect, 'dev', { sourceColumns: (_source, table) => SOURCE_COLUMNS[table] });
  if (update) {
    for (const folder of FOLDERS) rmSync(join(dir, folder), { recursive: true, force: true });
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
