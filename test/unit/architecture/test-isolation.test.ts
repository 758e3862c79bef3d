import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';
import config from '../../../vitest.config.js';

/**
 * The projects of vitest.config.ts that run their files without isolation (one module registry per
 * worker). A module mocked there would be the real one in a file that imported it earlier in the
 * same worker, and the mocked one in a later file that expected the real one, depending on the
 * order files happen to run in: such a test belongs in an isolated project (test/unit).
 */
const ROOT = resolve(import.meta.dirname, '../../..');

/** The folders the non-isolated projects' include globs start from (`test/e2e/**\/*.test.ts` → `test/e2e`). */
function notIsolatedFolders(): string[] {
  const projects = (config.test?.projects ?? []) as { test?: { isolate?: boolean; include?: string[] } }[];
  return projects
    .filter((p) => p.test?.isolate === false)
    .flatMap((p) => p.test?.include ?? [])
    .map((glob) => glob.slice(0, glob.search(/\/[^/]*[*{]/)));
}

it('the non-isolated projects are found in vitest.config.ts', () => {
  expect(notIsolatedFolders()).toContain('test/integration');
});

it('no file of a non-isolated project mocks a module (vi.mock / vi.doMock)', () => {
  const mocking = notIsolatedFolders().flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => join(e.parentPath, e.name))
      .filter((file) => /\bvi\s*\.\s*(?:do)?[mM]ock\s*\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file)),
  );
  expect(mocking).toEqual([]);
});
