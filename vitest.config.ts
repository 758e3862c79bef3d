import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/helpers/longest-first.js';

export default defineConfig({
  test: {
    // two files at a time (vitest's default is one on a 2-core machine): most tests wait on servers,
    // child processes and Chromium, so a second file uses the time the first spends waiting
    maxWorkers: 2,
    // the files that take longest start first, so that neither worker ends the run alone on one
    sequence: { sequencer: LongestFirst },
    projects: [
      { test: { name: 'fast', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/reliability/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/docs/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // the files of a worker share one module registry instead of importing src/ afresh each:
          // measured on 2 cores, the whole run went from 789 to 698 s (import 180 → 42 s). It holds
          // because these files mock no module and restore what they change (environment variables,
          // fake timers, spies); test/unit/architecture/test-isolation.test.ts keeps vi.mock out
          isolate: false,
          // one build of the sources per run, for the CLI and the other child processes the tests start
          globalSetup: ['test/helpers/build-setup.ts'],
        },
      },
      {
        // the vendors' SQL analyzers (installed on demand: npm run test:analyzers); skipped when absent, failing with CI=true
        test: { name: 'analyzers', include: ['test/analyzers/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 120_000 },
      },
      {
        // npm pack + npm install of the tarball, then the CLI and the library from that install: slow
        test: { name: 'package', include: ['test/package/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 600_000 },
      },
    ],
  },
});
