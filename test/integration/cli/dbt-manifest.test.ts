import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, tempDir } from '../../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const DBT = join(ROOT, 'test/fixtures/dbt');
const MANIFEST = join(DBT, 'manifest.json');
/** Where dbt-core built `my_model` and `my_seed` (from the manifest: database `dbt`). */
const SCHEMA = 'test17594237163467600387_test_previous_version_state';
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

describe('the dbt manifest fixture', () => {
  it("was written by dbt-core and is valid for dbt-core's published manifest v12 schema", () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { metadata: { dbt_version: string; dbt_schema_version: string } };
    expect(manifest.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/manifest/v12.json');
    expect(manifest.metadata.dbt_version).toBe('1.11.0a1');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(DBT, 'manifest-v12.schema.json'), 'utf8')) as object);
    expect(validate(manifest), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  }, 120_000); // compiling the 1.2 MB schema takes seconds on a loaded machine
});

describe('a source backed by a dbt manifest, applied and read on a real DuckDB file', () => {
  it('links an input to a dbt model, takes allowed values from a dbt seed, merges over the model and reads the merged view', async () => {
    const dir = join(tempDir(), 'dbt_backed');
    cpSync(join(ROOT, 'test/fixtures/projects/dbt-sources'), dir, { recursive: true });
    const projectFile = join(dir, 'project.yml');
    writeFileSync(projectFile, readFileSync(projectFile, 'utf8').replace('../../dbt/manifest.json', MANIFEST));

    // what `dbt run` and `dbt seed` would have built: the manifest's relations, in a file whose catalog is `dbt`
    mkdirSync(join(dir, 'target'));
    const file = join(dir, 'target', 'dbt.duckdb');
    {
      const db = await DuckDBInstance.create(file);
      const c = await db.connect();
      await c.run(`create schema "${SCHEMA}"`);
      await c.run(`create table "${SCHEMA}"."my_model" as select * from (values (1), (2)) t(id)`);
      await c.run(`create table "${SCHEMA}"."my_seed" as select * from (values ('keep'), ('drop')) t(label)`);
      c.closeSync();
      db.closeSync();
    }

    const compiled = await runCli(['compile', '--project', dir]);
    expect(compiled.code).toBe(0);
    // the manifest's database `dbt` is this target's own file (catalog `dbt`): the relation is left unqualified by it
    expect(readFileSync(join(dir, 'target/compiled/duckdb/models/my_model_notes.sql'), 'utf8')).toMatch(new RegExp(`from\\s+"${SCHEMA}"\\."my_model"`));

    const apply = await runCli(['apply', '--project', dir, '--user', 'ci']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);

    const rows = join(dir, 'rows.csv');
    writeFileSync(rows, 'id,note,label\n1,checked by hand,keep\n');
    const write = await runCli(['write', 'model_note', '--file', rows, '--user', 'ana', '--project', dir, '--json']);
    expect(write.stderr).toBe('');
    expect(write.code).toBe(0);

    // the link and the allowed values are checked against the dbt relations
    writeFileSync(rows, 'id,note,label\n99,no such row,keep\n2,x,other\n');
    const refused = await runCli(['write', 'model_note', '--file', rows, '--project', dir, '--json']);
    expect(refused.code).toBe(1);
    const details = (JSON.parse(refused.stdout) as { error: { details: { row: number; column: string }[] } }).error.details;
    expect(details.map((d) => `${d.row}:${d.column}`)).toEqual(['0:id', '1:label']);

    const read = await runCli(['query', 'select id, note, label from planning.my_model_notes order by id', '--project', dir, '--json']);
    expect(read.code).toBe(0);
    expect((JSON.parse(read.stdout) as { rows: unknown[] }).rows).toEqual([
      { id: 1, note: 'checked by hand', label: 'keep' },
      { id: 2, note: null, label: null },
    ]);

    const labels = await runCli(['query', 'select label, notes from planning.labels_in_use order by label', '--project', dir, '--json']);
    expect((JSON.parse(labels.stdout) as { rows: unknown[] }).rows).toEqual([{ label: 'drop', notes: 0 }, { label: 'keep', notes: 1 }]);

    // and the dbt property file of this project names the merged view over the dbt model
    const out = join(dir, 'sources.yml');
    expect((await runCli(['dbt', '--project', dir, '--out', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('- name: my_model_notes');
  });
});

describe('dbt-backed sources in the exports', () => {
  /** The fixture project, copied, with the manifest's absolute path. */
  function fixtureProject(): string {
    const dir = join(tempDir(), 'dbt_backed');
    cpSync(join(ROOT, 'test/fixtures/projects/dbt-sources'), dir, { recursive: true });
    const projectFile = join(dir, 'project.yml');
    writeFileSync(projectFile, readFileSync(projectFile, 'utf8').replace('../../dbt/manifest.json', MANIFEST));
    return dir;
  }

  it('writeback dbt --exposures: writeback as an application depending on the dbt nodes it reads, valid for dbt-jsonschema', async () => {
    const dir = fixtureProject();
    const out = join(dir, 'sources.yml');
    const refused = await runCli(['dbt', '--project', dir, '--out', out, '--exposures']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--exposures needs --owner <email-or-name>');

    const r = await runCli(['dbt', '--project', dir, '--out', out, '--exposures', '--owner', 'fpa@example.com', '--url', 'https://planning.example.com']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = parse(readFileSync(out, 'utf8')) as { exposures: unknown[] };
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(DBT, 'dbt_yml_files-latest.json'), 'utf8')) as object);
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
    expect(file.exposures).toEqual([{
      name: 'writeback_dbt_backed',
      label: 'writeback: dbt_backed',
      type: 'application',
      description: 'The input tables and merge models of writeback project `dbt_backed`: planners write input rows linked to these dbt nodes, and merged views read them.',
      owner: { email: 'fpa@example.com' },
      url: 'https://planning.example.com',
      depends_on: ["ref('test', 'my_model')", "ref('test', 'my_seed')"],
      meta: { writeback: { project: 'dbt_backed', target: 'dev', reads: { "ref('test', 'my_model')": ['input model_note', 'model my_model_notes'], "ref('test', 'my_seed')": ['input model_note', 'model labels_in_use'] } } },
    }]);
  });

  it('writeback lineage names the dbt node and manifest of each dbt-backed source table', async () => {
    const dir = fixtureProject();
    const r = await runCli(['lineage', '--project', dir]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { sources: unknown[]; edges: { from: string; to: string }[] };
    expect(out.sources).toEqual([
      {
        id: 'source.analytics.my_model', source: 'analytics', table: 'my_model', description: 'The dbt model my_model.',
        relation: { database: null, schema: SCHEMA, name: 'my_model', sql: `"${SCHEMA}"."my_model"` },
        dbt: { unique_id: 'model.test.my_model', resource_type: 'model', package: 'test', name: 'my_model', version: null, manifest: MANIFEST },
        seed: null,
      },
      {
        id: 'source.analytics.seed_rows', source: 'analytics', table: 'seed_rows', description: null,
        relation: { database: null, schema: SCHEMA, name: 'my_seed', sql: `"${SCHEMA}"."my_seed"` },
        dbt: { unique_id: 'seed.test.my_seed', resource_type: 'seed', package: 'test', name: 'my_seed', version: null, manifest: MANIFEST },
        seed: null,
      },
    ]);
    expect(out.edges).toEqual([
      { from: 'input.model_note', to: 'model.my_model_notes' },
      { from: 'model.my_model_notes', to: 'model.labels_in_use' },
      { from: 'source.analytics.my_model', to: 'input.model_note' },
      { from: 'source.analytics.my_model', to: 'model.my_model_notes' },
      { from: 'source.analytics.seed_rows', to: 'input.model_note' },
      { from: 'source.analytics.seed_rows', to: 'model.labels_in_use' },
    ]);
  });
});
