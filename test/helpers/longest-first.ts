import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files started before all others, in this order. Without timings from an earlier run (a fresh
 * clone, as in CI) vitest starts files project by project (analyzers, fast, integration, package)
 * and the larger files first, so the long ones below came last, and one worker ended the run on a
 * long file while the other had nothing left. Measured on 2 cores under load:
 * packed-install ~220 s wall for ~60 s CPU (it waits on npm pack and npm install), the leak test
 * ~46 s CPU, crash-safety ~39 s CPU, cli.test ~33 s CPU. A file missing here only starts later.
 */
export const LONGEST_FIRST: readonly string[] = [
  'test/package/packed-install.test.ts',
  'test/analyzers/analyzers.test.ts',
  'test/reliability/leak.test.ts',
  'test/reliability/crash-safety.test.ts',
  'test/integration/cli/cli.test.ts',
];

/** vitest's order (failed, then longest by its timings cache, else largest file first), with LONGEST_FIRST moved to the front. */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const at = LONGEST_FIRST.indexOf(relative(this.ctx.config.root, spec.moduleId).replaceAll('\\', '/'));
      return at < 0 ? LONGEST_FIRST.length : at;
    };
    return sorted
      .map((spec, at) => ({ spec, at }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.at - b.at)
      .map(({ spec }) => spec);
  }
}
