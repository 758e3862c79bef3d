import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error.js';

/**
 * The SDK each cloud warehouse's adapter runs on. writeback does not install them: they are optional
 * peer dependencies that a user adds next to writeback for the targets they use.
 */
export const WAREHOUSE_SDKS = { postgres: 'pg', snowflake: 'snowflake-sdk', bigquery: '@google-cloud/bigquery' } as const;

/** The companion of `pg` that streams `COPY … FROM STDIN` (the Postgres bulk path): an optional peer like `pg`. */
export const POSTGRES_COPY_SDK = 'pg-copy-streams';

/** writeback's own package.json: two folders up, from src/adapters/ as from dist/adapters/. */
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/**
 * `npm install <sdk>@<version>`: the lowest version our peer range for it allows (the version the
 * tests run), or the bare name when package.json gives no range.
 */
export function installCommand(sdk: string): string {
  let range: unknown;
  try {
    range = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { peerDependencies?: Record<string, unknown> }).peerDependencies?.[sdk];
  } catch {
    range = undefined;
  }
  const version = typeof range === 'string' ? /\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?/.exec(range)?.[0] : undefined;
  return `npm install ${version ? `${sdk}@${version}` : sdk}`;
}

/** Node's error for an import of a package that is not installed (not: a file of it, or a package it needs, is missing). */
function isMissingPackage(err: unknown, name: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === 'ERR_MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`Cannot find package '${name}'`);
}

/**
 * Import the module of a target's adapter, which imports the warehouse's SDK `sdk`. When `sdk` is
 * not installed: a UsageError that names the target and the command that installs it.
 */
export async function importAdapter<T>(target: { name: string; type: string }, sdk: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (!isMissingPackage(err, sdk)) throw err;
    throw new UsageError(
      `target '${target.name}' is a ${target.type} target, whose driver ${sdk} is not installed. ` +
        `Install it where writeback is installed: ${installCommand(sdk)}`,
    );
  }
}
