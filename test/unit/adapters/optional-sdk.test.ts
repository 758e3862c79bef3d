import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importAdapter, installCommand, POSTGRES_COPY_SDK, WAREHOUSE_SDKS } from '../../../src/adapters/optional-sdk.js';
import { UsageError } from '../../../src/adapters/usage-error.js';

const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

// A module that imports a package nobody installed: Node's own "Cannot find package" error.
const dir = mkdtempSync(join(tmpdir(), 'wb-sdk-'));
const importsMissing = (name: string) => {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, `import '${name}';\n`);
  return () => import(pathToFileURL(file).href);
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('warehouse SDKs are optional peer dependencies', () => {
  it.each([...Object.values(WAREHOUSE_SDKS), POSTGRES_COPY_SDK])('%s: an optional peer, a devDependency here, the install command names the tested version', (sdk) => {
    expect(pkg.dependencies[sdk]).toBeUndefined();
    expect(pkg.peerDependenciesMeta[sdk]?.optional).toBe(true);
    expect(pkg.peerDependencies[sdk]).toBe(`^${pkg.devDependencies[sdk]}`);
    expect(installCommand(sdk)).toBe(`npm install ${sdk}@${pkg.devDependencies[sdk]}`);
  });

  it('a target whose SDK is not installed fails with the target and the install command', async () => {
    const err = await importAdapter({ name: 'warehouse', type: 'postgres' }, 'wb-absent-sdk', importsMissing('wb-absent-sdk')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(
      "target 'warehouse' is a postgres target, whose driver wb-absent-sdk is not installed. Install it where writeback is installed: npm install wb-absent-sdk",
    );
  });

  it('a package the SDK needs being missing is not reported as the SDK missing', async () => {
    const err = await importAdapter({ name: 'warehouse', type: 'postgres' }, 'pg', importsMissing('wb-absent-dependency')).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain("'wb-absent-dependency'");
  });
});
