import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const SCHEMA_FILE = join(ROOT, 'test/golden/lineage.schema.json');

/** The committed JSON Schema of the export. */
function validator() {
  return new Ajv2020({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
}

interface Relation { database: string | null; schema: string; name: string; sql: string }
interface Export {
  format_version: number;
  target: { name: string; type: string };
  sources: { id: string; relation: Relation; dbt: unknown; seed: string | null }[];
  inputs: { id: string; key: string[]; reads: { sources: string[] }; permissions: { role: string; row_filter: string[] }[]; relations: { state: Relation; history: Relation; pending: Relation | null }; columns: { name: string; values: string[] | null; values_from: unknown }[] }[];
  models: { id: string; kind: string; fingerprint: string | null; relation: Relation; by_scenario: Relation | null; reads: { inputs: string[]; sources: string[]; models: string[] }; versions: { version: number; relation: Relation; fingerprint: string; latest: boolean }[] | null }[];
  edges: { from: string; to: string }[];
}

describe('writeback lineage: what reads what, as JSON', () => {
  it('prints the JSON Schema generated from the code, the same as the committed one', async () => {
    const r = await runCli(['lineage', '--schema']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });

  it('exports the demo: sources, inputs, models, their relations and every edge, valid for the schema', async () => {
    const r = await runCli(['lineage', '--project', ROOT]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Export;
    const validate = validator();
    expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
    expect(out.target).toEqual({ name: 'dev', type: 'duckdb' });
    expect(out.sources.map((s) => s.id)).toEqual(['source.crm.accounts', 'source.crm.categories', 'source.crm.opportunities', 'source.finance.actuals']);
    expect(out.sources[0]).toMatchObject({ relation: { database: null, schema: 'crm', name: 'accounts', sql: '"crm"."accounts"' }, dbt: null, seed: 'seeds/accounts.csv' });

    const forecast = out.inputs.find((i) => i.id === 'input.revenue_forecast')!;
    expect(forecast.key).toEqual(['account_id', 'quarter']);
    expect(forecast.reads.sources).toEqual(['source.crm.accounts']);
    expect(forecast.permissions.find((p) => p.role === 'planner')!.row_filter).toEqual(['source.region = user.region']);
    expect(forecast.relations.state.sql).toBe('"writeback"."revenue_forecast"');
    expect(forecast.relations.history.sql).toBe('"planning"."revenue_forecast__history"');
    expect(forecast.relations.pending?.name).toBe('revenue_forecast__pending');
    expect(forecast.columns.find((c) => c.name === 'confidence')!.values).toEqual(['low', 'medium', 'high']);
    const category = out.inputs.find((i) => i.id === 'input.account_category')!;
    expect(category.columns.find((c) => c.name === 'category')!.values_from).toEqual({ source: 'crm', table: 'categories', column: 'name' });

    const fva = out.models.find((m) => m.id === 'model.forecast_vs_actuals')!;
    expect(fva.kind).toBe('sql');
    expect(fva.reads).toEqual({
      inputs: ['input.revenue_forecast'],
      sources: ['source.crm.opportunities', 'source.finance.actuals'],
      models: ['model.account_categories'],
    });
    expect(fva.versions).toBeNull();
    expect(out.models.find((m) => m.id === 'model.account_forecast')!.by_scenario?.name).toBe('account_forecast__by_scenario');
    expect(out.edges).toContainEqual({ from: 'model.account_categories', to: 'model.forecast_vs_actuals' });
    expect(out.edges).toContainEqual({ from: 'source.crm.categories', to: 'input.account_category' });
    // deterministic: the same project gives the same bytes
    expect((await runCli(['lineage', '--project', ROOT])).stdout).toBe(r.stdout);
  });

  it('with --versions lists the applied versions with their fingerprints, and writes to --out', async () => {
    const dir = join(tempDir(), 'shop');
    await runCli(['init', dir]);
    expect((await runCli(['apply', '--project', dir])).code).toBe(0);
    const model = join(dir, 'models', 'customers_enriched.yml');
    writeFileSync(model, readFileSync(model, 'utf8').replace('columns: [health, score, note]', 'columns: [health]'));
    expect((await runCli(['apply', '--project', dir])).code).toBe(0);
    const file = join(dir, 'target', 'lineage.json');
    const r = await runCli(['lineage', '--project', dir, '--versions', '--out', file, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, out: file });
    const out = JSON.parse(readFileSync(file, 'utf8')) as Export;
    const validate = validator();
    expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
    const m = out.models[0]!;
    expect(m.versions!.map((v) => [v.version, v.relation.name, v.latest])).toEqual([[1, 'customers_enriched__v1', false], [2, 'customers_enriched__v2', true]]);
    expect(m.versions![1]!.fingerprint).toBe(m.fingerprint);
    expect(m.versions![0]!.fingerprint).not.toBe(m.fingerprint);
  });
});
