#!/usr/bin/env node
// The `writeback` command: runs the compiled CLI in dist/. In a checkout of the repository dist/ is
// built by `npm ci` (the `prepare` script) and by `npm run build`; `npm start` and
// `npm run writeback -- <command>` run the TypeScript sources instead.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(main)) {
  await import(main.href);
} else {
  process.stderr.write('writeback: dist/ is not built. In a checkout, run `npm run build`, or `npm run writeback -- <command>` to run the sources.\n');
  process.exitCode = 1;
}
