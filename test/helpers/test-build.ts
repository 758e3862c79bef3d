import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

/** Repository root. */
const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Where the test runs' builds go: inside node_modules, so the built files import this checkout's
 * packages as src/ does (Node looks for them in the folders above).
 */
const BUILDS = join(ROOT, 'node_modules', '.cache', 'writeback-test-build');

/** A run's build left behind (a killed run) is removed by a later run after this long. */
const STALE_MS = 24 * 3600_000;

/** The esbuild that tsx runs on (tsx is what ran these files before; esbuild is not a dependency of ours). */
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx'))('esbuild') as typeof import('esbuild');

/** Test files that run in a child process of their own (the `*-child.ts` files): built next to src/. */
const CHILD_FILE = /-child\.ts$/;

/**
 * JavaScript of this checkout's sources as they are now, for the tests' child processes (the CLI,
 * servers, readers): each `.ts` file of src/ and each `*-child.ts` file of test/ transformed one by one
 * (by esbuild, as tsx did: types stripped, nothing type-checked — `tsc --noEmit` does that), every other file of src/
 * copied, and package.json beside them — the layout of the repository, so the code finds
 * package.json and its assets where it does in src/ and dist/. A child then starts on plain
 * JavaScript instead of loading tsx and going through its hooks for every module (measured: ~1.1
 * instead of ~2.8 s CPU until a server listens). Returns the build's root folder.
 */
export async function buildForTests(): Promise<string> {
  mkdirSync(BUILDS, { recursive: true });
  for (const old of readdirSync(BUILDS)) {
    const path = join(BUILDS, old);
    if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
  }
  const out = mkdtempSync(join(BUILDS, 'run-'));
  const tsconfigRaw = readFileSync(join(ROOT, 'tsconfig.json'), 'utf8');
  const files = [...filesUnder(join(ROOT, 'src')), ...filesUnder(join(ROOT, 'test')).filter((f) => CHILD_FILE.test(f))];
  await Promise.all(
    files.map(async (file) => {
      const target = join(out, relative(ROOT, file));
      mkdirSync(dirname(target), { recursive: true });
      if (!file.endsWith('.ts')) return copyFileSync(file, target);
      if (file.endsWith('.d.ts')) return;
      const { code } = await esbuild.transform(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20', sourcefile: file, tsconfigRaw });
      writeFileSync(target.replace(/\.ts$/, '.js'), code);
    }),
  );
  cpSync(join(ROOT, 'package.json'), join(out, 'package.json'));
  return out;
}

/** Remove a build made by `buildForTests`. */
export function removeBuild(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.md'))
    .map((e) => join(e.parentPath, e.name));
}
