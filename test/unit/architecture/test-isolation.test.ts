import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

/**
 * The integration project runs its files without isolation (vitest.config.ts: one module registry
 * per worker). A module mocked there would be the real one in a file that imported it earlier in
 * the same worker, and the mocked one in a later file that expected the real one, depending on
 * the order files happen to run in: such a test belongs in test/unit, which is isolated.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const NOT_ISOLATED = ['test/integration', 'test/reliability', 'test/e2e', 'test/docs'];

it('no file of the integration project mocks a module (vi.mock / vi.doMock)', () => {
  const mocking = NOT_ISOLATED.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => join(e.parentPath, e.name))
      .filter((file) => /\bvi\s*\.\s*(?:do)?[mM]ock\s*\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file)),
  );
  expect(mocking).toEqual([]);
});
