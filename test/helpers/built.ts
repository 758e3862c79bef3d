import { isAbsolute, join, relative, resolve } from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The root of this run's build of the sources (test-build.ts). */
    writebackBuild: string;
    /** A folder with the demo project applied once per run (demo-project.ts copies it). */
    appliedDemo: string;
  }
}

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * `node` arguments that run a TypeScript file of this checkout (`src/cli/main.ts`, a test's
 * `*-child.ts`; absolute or relative to the repository) from this run's build of the sources,
 * made once per run by build-setup.ts — never a dist/ that may be stale.
 */
export function builtArgv(file: string): string[] {
  const root = inject('writebackBuild');
  if (!root) throw new Error('no build of the sources: run this test in a vitest project whose globalSetup is test/helpers/build-setup.ts');
  const inRepo = isAbsolute(file) ? relative(ROOT, file) : file;
  return [join(root, inRepo.replace(/\.ts$/, '.js'))];
}
