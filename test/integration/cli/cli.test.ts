import { cpSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli, startCli, tempDir } from '../../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Query a DuckDB file from a separate OS process, read-only, as a BI tool would. */
function queryFromAnotherProcess(file: string, sql: string): unknown[] {
  const script = `
    import { DuckDBInstance } from '@duckdb/node-api';
    const db = await DuckDBInstance.create(process.argv[1], { access_mode: 'READ_ONLY' });
    const c = await db.connect();
    const r = await c.runAndReadAll(process.argv[2]);
    console.log(JSON.stringify(r.getRowObjectsJson()));
  `;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script, file, sql], { cwd: ROOT, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout) as unknown[];
}

describe('writeback CLI on a scaffolded project', () => {
  it('init → validate → apply → apply again is a no-op → versions', async () => {
    const dir = join(tempDir(), 'shop');
    expect((await runCli(['init', dir])).code).toBe(0);

    const validate = await runCli(['validate', '--project', dir]);
    expect(validate.stdout).toContain('no problems found');
    expect(validate.code).toBe(0);

    const apply = await runCli(['apply', '--project', dir, '--user', 'ci']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/customers_enriched__v1/);

    const again = await runCli(['apply', '--project', dir, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ ok: true, operations: [] });

    const versions = await runCli(['versions', '--project', dir, '--json']);
    const listed = JSON.parse(versions.stdout) as { versions: { model: string; version: number; appliedBy: string }[] };
    expect(listed.versions).toMatchObject([{ model: 'customers_enriched', version: 1, appliedBy: 'ci' }]);

    // A separate process (a BI tool) opens the file and reads the merged view.
    const rows = queryFromAnotherProcess(join(dir, 'target/warehouse.duckdb'), 'select * from analytics.customers_enriched order by id');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ id: 'c_001', name: 'Acme GmbH', health: null });
  });

  it('write, history, verify and token work on the file directly when no server holds it', async () => {
    const dir = join(tempDir(), 'direct');
    await runCli(['init', dir]);
    expect((await runCli(['apply', '--project', dir])).code).toBe(0);
    const csv = join(dir, 'notes.csv');
    writeFileSync(csv, 'customer_id,health,score,note\nc_001,amber,71.50,"late invoices, follow up"\nc_003,green,,\n');
    const write = await runCli(['write', 'customer_notes', '--file', csv, '--user', 'ana', '--project', dir, '--json']);
    expect(write.code).toBe(0);
    expect((JSON.parse(write.stdout) as { entries: unknown[] }).entries).toHaveLength(2);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'customer_id,score\nc_002,101\nc_999,5\n');
    const rejected = await runCli(['write', 'customer_notes', '--file', bad, '--project', dir, '--json']);
    expect(rejected.code).toBe(1);
    const error = (JSON.parse(rejected.stdout) as { error: { code: string; details: { row: number; column: string }[] } }).error;
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((d) => `${d.row}:${d.column}`)).toEqual(['0:score', '1:customer_id']);

    const history = JSON.parse((await runCli(['history', 'customer_notes', '--key', 'customer_id=c_001', '--project', dir, '--json'])).stdout) as {
      entries: { user: string; changes: { column: string; new: unknown }[] }[];
    };
    expect(history.entries).toHaveLength(1);
    expect(history.entries[0]?.changes).toContainEqual({ column: 'note', old: null, new: 'late invoices, follow up' });

    const verify = await runCli(['verify', '--project', dir, '--json']);
    expect(verify.code).toBe(0);
    expect((JSON.parse(verify.stdout) as { ok: boolean }).ok).toBe(true);
    // a table that does not exist is an error, not a clean report; a missing file is named, not a crash
    const nope = await runCli(['verify', 'nope', '--project', dir]);
    expect(nope.code).not.toBe(0);
    expect(nope.stderr).toContain("unknown input table 'nope'");
    const missing = await runCli(['write', 'customer_notes', '--file', join(dir, 'nope.csv'), '--project', dir]);
    expect(missing.code).toBe(2); // a usage error, not a crash (70)
    expect(missing.stderr).toContain('nope.csv does not exist');
    expect(missing.stderr).not.toContain('internal error');

    const token = (await runCli(['token', 'create', '--user', 'bo', '--role', 'viewer', '--project', dir])).stdout.trim();
    expect(token).toMatch(/^wb_/);
    const listed = JSON.parse((await runCli(['token', 'list', '--project', dir, '--json'])).stdout) as { tokens: { tokenId: string; user: string }[] };
    const id = listed.tokens.find((t) => t.user === 'bo')?.tokenId ?? '';
    expect((await runCli(['token', 'revoke', id, '--project', dir])).code).toBe(0);
  });

  it('prints every problem with file:line:col and a code frame, and exits 1', async () => {
    const dir = join(tempDir(), 'broken');
    await runCli(['init', dir]);
    const file = join(dir, 'inputs/customer_notes.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('key: [customer_id]', 'key: [customer_idd]').replace('max_length: 1000', 'max_lenght: 1000'));
    const result = await runCli(['validate', '--project', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/inputs\/customer_notes\.yml:3:\d+/);
    expect(result.stderr).toContain('unknown-column');
    expect(result.stderr).toContain('unknown-key');
    expect(result.stderr).toMatch(/\d+ \|/); // a code frame with line numbers

    const json = await runCli(['validate', '--project', dir, '--json']);
    const parsed = JSON.parse(json.stdout) as { diagnostics: { code: string; loc: { file: string; line: number } }[] };
    const codes = parsed.diagnostics.map((d) => `${d.code}@${d.loc.file}:${d.loc.line}`);
    expect(codes).toContain('unknown-column@inputs/customer_notes.yml:3');
    expect(codes).toContain('unknown-key@inputs/customer_notes.yml:9');
  });

  it('compile writes formatted SQL offline', async () => {
    const dir = join(tempDir(), 'offline');
    await runCli(['init', dir]);
    const result = await runCli(['compile', '--project', dir]);
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'target/warehouse.duckdb'))).toBe(false); // never touched the warehouse
    const sql = readFileSync(join(dir, 'target/compiled/duckdb/models/customers_enriched.sql'), 'utf8');
    expect(sql).toMatch(/left join/i);
  });

  it('dev re-applies after a YAML edit without restarting', async () => {
    const dir = join(tempDir(), 'devloop');
    await runCli(['init', dir]);
    const dev = startCli(['dev', '--project', dir, '--debounce', '50', '--port', '0', '--dev-user', 'tester']);
    try {
      await dev.waitFor(/watching/, 60_000, 0);

      // While dev holds the DuckDB file, CLI writes and reads go through its server.
      const rows = join(dir, 'notes.json');
      writeFileSync(rows, JSON.stringify([{ customer_id: 'c_002', health: 'red', note: 'renewal at risk' }]));
      const write = await runCli(['write', 'customer_notes', '--file', rows, '--user', 'ana', '--project', dir]);
      expect(write.stderr).toBe('');
      expect(write.stdout).toMatch(/wrote 1 row /);
      // the same file again changes nothing, and says so
      const again = await runCli(['write', 'customer_notes', '--file', rows, '--user', 'ana', '--project', dir]);
      expect(again.stdout).toMatch(/wrote 0 rows .*\(1 row already as sent: unchanged\)/);
      const history = await runCli(['history', 'customer_notes', '--project', dir, '--json']);
      const entries = (JSON.parse(history.stdout) as { entries: { user: string; changes: { column: string; old: unknown; new: unknown }[] }[] }).entries;
      expect(entries).toHaveLength(1);
      expect(entries[0]?.user).toBe('ana');
      expect(entries[0]?.changes).toContainEqual({ column: 'health', old: null, new: 'red' });

      const model = join(dir, 'models/customers_enriched.yml');
      const mark = dev.output.length;
      writeFileSync(model, readFileSync(model, 'utf8').replace('columns: [health, score, note]', 'columns: [health, score]'));
      await dev.waitFor(/customers_enriched__v2/, 60_000, mark);
      await dev.waitFor(/watching/, 60_000, mark);

      // A broken edit is reported and dev keeps running.
      const mark2 = dev.output.length;
      writeFileSync(model, readFileSync(model, 'utf8').replace('kind: enrich', 'kind: enrichh'));
      await dev.waitFor(/models\/customers_enriched\.yml:\d+:\d+/, 60_000, mark2);
      expect(dev.child.exitCode).toBeNull();
    } finally {
      await dev.stop();
    }
    const rows = queryFromAnotherProcess(
      join(dir, 'target/warehouse.duckdb'),
      "select column_name from information_schema.columns where table_schema = 'analytics' and table_name = 'customers_enriched__v2'",
    ) as { column_name: string }[];
    expect(rows.map((r) => r.column_name)).not.toContain('note');
  });
});

describe('example projects', () => {
  for (const example of ['.', 'examples/churn_outreach', 'examples/product_categories']) {
    it(`${example} validates and applies`, async () => {
      const dir = join(tempDir(), 'example');
      cpSync(join(ROOT, example), dir, {
        recursive: true,
        filter: (src) => !/node_modules|[/\\]target([/\\]|$)|\.git$|[/\\](test|src|bench|bin|examples)$/.test(src.slice(join(ROOT, example).length)),
      });
      const validate = await runCli(['validate', '--project', dir]);
      expect(validate.stderr).toBe('');
      const apply = await runCli(['apply', '--project', dir]);
      expect(apply.stderr).toBe('');
      expect(apply.code).toBe(0);
      const again = await runCli(['plan', '--project', dir, '--json']);
      expect(JSON.parse(again.stdout)).toEqual({ ok: true, operations: [] });
    });
  }
});
