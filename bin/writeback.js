#!/usr/bin/env node
// The `writeback` command: runs the compiled CLI in dist/. In a checkout of the repository dist/ is
// built by `npm ci` (the `prepare` script) and by `npm run build`; `npm start` and
// `npm run writeback -- <command>` run the TypeScript sources instead.
try {
  await import('../dist/cli/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli/main.js')) throw err;
  process.stderr.write('writeback: dist/ is not built. In a checkout, run `npm run build`, or `npm run writeback -- <command>` to run the sources.\n');
  process.exitCode = 70;
}
