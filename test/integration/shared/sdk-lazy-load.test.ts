import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ARGV } from '../../helpers/cli.js';

// `compile` (every dialect) and DuckDB use never import a warehouse SDK: the CLI runs from its sources in a
// child process whose module loader refuses pg, snowflake-sdk and @google-cloud/bigquery.
const ROOT = resolve(import.meta.dirname, '../../..');
const HOOK = join(import.meta.dirname, 'deny-sdk-hook.mjs');
let dir = '';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', HOOK, ...CLI_ARGV, '-p', dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('warehouse SDKs load lazily', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wb-lazy-'));
    for (const part of ['project.yml', 'inputs', 'models', 'macros', 'seeds']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
    const yml = join(dir, 'project.yml');
    const text = readFileSync(yml, 'utf8');
    writeFileSync(
      yml,
      text.replace(
        /targets:\n/,
        "targets:\n  pg: { type: postgres, host: 127.0.0.1, port: 1, database: x, user: \"{{ env('WB_LAZY_PGUSER') }}\" }\n" +
          "  sf: { type: snowflake, account: x, user: x, password: x, database: x }\n  bq: { type: bigquery, project: x }\n",
      ),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['pg', 'sf', 'bq'])('compile --target %s imports no SDK', (target) => {
    const r = cli(['-t', target, 'compile']);
    expect(r.out).not.toContain('WAREHOUSE SDK LOADED');
    expect(r.code, r.out).toBe(0);
  });

  it('apply on DuckDB imports no SDK', () => {
    const r = cli(['-t', 'dev', 'apply']);
    expect(r.out).not.toContain('WAREHOUSE SDK LOADED');
    expect(r.code, r.out).toBe(0);
  });

  it('control: connecting to a Postgres target does import pg (so the hook works), after resolving env()', () => {
    const missing = cli(['-t', 'pg', 'apply']);
    expect(missing.out).toContain("reads the environment variable WB_LAZY_PGUSER, which is not set");
    const r = spawnSync(process.execPath, ['--import', HOOK, ...CLI_ARGV, '-p', dir, '-t', 'pg', 'apply'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', WB_LAZY_PGUSER: 'me' },
    });
    expect(`${r.stdout}${r.stderr}`).toContain('WAREHOUSE SDK LOADED: pg');
  });
});
