import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

// `writeback compile --target prod` works offline for a warehouse target whose settings name
// environment variables that are not set: compile never connects and never loads an SDK.
const ROOT = resolve(import.meta.dirname, '..', '..', '..');

const PROD_TARGETS: Record<string, string> = {
  snowflake: `  prod:
    type: snowflake
    account: "{{ env('SNOWFLAKE_ACCOUNT') }}"
    user: "{{ env('SNOWFLAKE_USER') }}"
    password: "{{ env('SNOWFLAKE_PASSWORD') }}"
    warehouse: ANALYTICS_WH
    database: ANALYTICS`,
  bigquery: `  prod:
    type: bigquery
    project: "{{ env('GCP_PROJECT') }}"
    keyfile: "{{ env('GOOGLE_APPLICATION_CREDENTIALS') }}"
    location: EU`,
  postgres: `  prod:
    type: postgres
    host: "{{ env('PGHOST') }}"
    port: 5432
    user: writeback
    password: "{{ env('PGPASSWORD') }}"
    database: analytics`,
};

/** A copy of the demo project with a `prod` target of `type` (dev stays the default). */
function demoWithProd(type: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'wb-compile-')), 'demo');
  for (const part of ['project.yml', 'inputs', 'models', 'macros', 'seeds']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  const yml = readFileSync(join(dir, 'project.yml'), 'utf8');
  const withProd = yml.replace(/^(targets:\n(?: {2}dev: .*\n))/m, `$1${PROD_TARGETS[type]}\n`);
  expect(withProd).not.toBe(yml);
  writeFileSync(join(dir, 'project.yml'), withProd);
  return dir;
}

const noCredentials: NodeJS.ProcessEnv = Object.fromEntries(
  ['SNOWFLAKE_ACCOUNT', 'SNOWFLAKE_USER', 'SNOWFLAKE_PASSWORD', 'GCP_PROJECT', 'GOOGLE_APPLICATION_CREDENTIALS', 'PGHOST', 'PGPASSWORD'].map((k) => [k, undefined]),
);

describe.each(Object.keys(PROD_TARGETS))('compile --target prod on %s', (type) => {
  it('writes every file offline, without credentials', async () => {
    const dir = demoWithProd(type);
    const result = await runCli(['compile', '--project', dir, '--target', 'prod', '--json'], { env: noCredentials });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { dialect: string; files: string[] };
    expect(out.dialect).toBe(type);
    expect(out.files).toContain('models/forecast_vs_actuals.sql');
    const golden = readFileSync(join(ROOT, 'test', 'golden', type, 'demo', 'models', 'account_categories.sql'), 'utf8');
    expect(readFileSync(join(dir, 'target', 'compiled', type, 'models', 'account_categories.sql'), 'utf8')).toBe(golden);
    expect(existsSync(join(dir, 'target', 'warehouse.duckdb'))).toBe(false);
  });
});
