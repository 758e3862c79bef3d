#!/usr/bin/env node
// Runs the compiled CLI from dist/ (built by `npm ci` through the `prepare` script) when it is
// at least as new as every file under src/; otherwise runs the TypeScript sources through tsx,
// so an edit is never shadowed by a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const fresh = existsSync(built) && statSync(join(root, 'dist', '.stamp'), { throwIfNoEntry: false })?.mtimeMs >= newestMtime(join(root, 'src'));
if (fresh && !process.env.WRITEBACK_FROM_SOURCE) {
  await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
