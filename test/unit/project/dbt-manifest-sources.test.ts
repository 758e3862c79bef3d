import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/project/load-project.js';
import { at, where, writeProject } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const MANIFEST = join(ROOT, 'test/fixtures/dbt/manifest.json');
const SCHEMA = 'test17594237163467600387_test_previous_version_state';

/** A project whose source `analytics` is backed by `manifest` (an absolute path or one per target). */
function project(sourceYaml: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'project.yml': [
      'name: dbt_backed',
      'targets:',
      '  dev: { type: duckdb, path: target/dbt.duckdb }',
      '  prod: { type: duckdb, path: target/prod.duckdb }',
      'default_target: dev',
      'sources:',
      sourceYaml,
      'roles:',
      '  planner: {}',
      '',
    ].join('\n'),
    ...extra,
  };
}

describe('sources backed by a dbt manifest', () => {
  it('resolve each model, seed or snapshot to its relation, for every target', async () => {
    const dir = writeProject(project([
      '  analytics:',
      `    dbt: { manifest: ${MANIFEST} }`,
      '    tables:',
      '      my_model: { description: The model }',
      '      seed_rows: { ref: test.my_seed }',
      '      snapshot_seed: {}',
    ].join('\n')));
    const r = await loadProject(dir);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const { tables, dbtManifests } = r.value.sources['analytics']!;
    expect(dbtManifests).toEqual({ dev: MANIFEST, prod: MANIFEST });
    expect(tables['my_model']).toEqual({
      source: 'analytics', table: 'my_model', description: 'The model',
      // dev's file target/dbt.duckdb is catalog `dbt` itself: no database qualifier there
      database: { prod: 'dbt' }, schema: { dev: SCHEMA, prod: SCHEMA }, identifier: 'my_model',
      dbt: { uniqueId: 'model.test.my_model', resourceType: 'model', package: 'test', name: 'my_model' },
    });
    expect(tables['seed_rows']).toMatchObject({ identifier: 'my_seed', dbt: { uniqueId: 'seed.test.my_seed', resourceType: 'seed' } });
    expect(tables['snapshot_seed']).toMatchObject({ identifier: 'snapshot_seed', dbt: { resourceType: 'snapshot' } });
  });

  it('take a manifest per target, relative to the project', async () => {
    const dir = writeProject(project([
      '  analytics:',
      '    dbt: { manifest: { dev: dbt/dev.json, prod: dbt/prod.json } }',
      '    tables: [my_model]',
    ].join('\n'), {
      'dbt/dev.json': readFileSync(MANIFEST, 'utf8'),
      'dbt/prod.json': readFileSync(MANIFEST, 'utf8').replaceAll(`"schema": "${SCHEMA}"`, '"schema": "analytics_prod"'),
    }));
    const r = await loadProject(dir);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.value.sources['analytics']!.tables['my_model']).toMatchObject({ schema: { dev: SCHEMA, prod: 'analytics_prod' }, identifier: 'my_model' });
  });

  it('report every problem at its place in project.yml, and change nothing', async () => {
    const source = [
      '  analytics:',
      '    schema: raw',
      `    dbt: { manifest: { dev: ${MANIFEST}, prod: missing/manifest.json, qa: x.json } }`,
      '    tables:',
      '      my_modle: {}',
      '      off: { ref: disabled_model }',
      '      seed_rows: { ref: other_pkg.my_seed, identifier: my_seed }',
      '      ephemeral: { ref: a }',
      '  crm:',
      '    tables:',
      '      accounts: { ref: x }',
    ].join('\n');
    const files = project(source, { 'seeds/s.csv': 'id\n1\n' });
    files['project.yml'] = files['project.yml']!.replace('roles:', 'seeds:\n  - { file: seeds/s.csv, into: analytics.my_modle }\nroles:');
    const r = await loadProject(writeProject(files));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = files['project.yml']!;
    expect(r.diagnostics.map(where)).toEqual([
      `dbt-source@project.yml:${at(text, 'schema: raw')}`,
      `dbt-manifest@project.yml:${at(text, 'missing/manifest.json')}`,
      `unknown-target@project.yml:${at(text, 'qa:')}`,
      `dbt-node@project.yml:${at(text, 'my_modle')}`,
      `dbt-node@project.yml:${at(text, 'disabled_model')}`,
      `dbt-node@project.yml:${at(text, 'other_pkg.my_seed')}`,
      `dbt-source@project.yml:${at(text, 'identifier: my_seed')}`,
      `dbt-node@project.yml:${at(text, 'ref: a')}`.replace(/:(\d+)$/, (_m, c: string) => `:${Number(c) + 5}`),
      `dbt-source@project.yml:${at(text, 'ref: x')}`,
      `dbt-source@project.yml:${at(text, 'analytics.my_modle')}`,
    ]);
    const messages = r.diagnostics.map((d) => d.message);
    expect(messages).toContain('dbt manifest `missing/manifest.json` does not exist');
    expect(messages).toContain(`dbt manifest \`${MANIFEST}\` has no model, seed or snapshot \`my_modle\`; close names: \`my_model\``);
    expect(messages).toContain(`dbt model \`disabled_model\` is disabled in \`${MANIFEST}\`, so dbt builds no relation for it`);
    expect(messages).toContain('`identifier` comes from the dbt manifest in a source with `dbt:`; remove it');
    expect(messages).toContain('seed into `analytics.my_modle`: that table is built by dbt (its source has `dbt:`), so writeback does not load it');
    // an analysis has no relation: not a model, seed or snapshot
    expect(messages.some((m) => m.startsWith(`dbt manifest \`${MANIFEST}\` has no model, seed or snapshot \`a\``))).toBe(true);
  });

  it('refuse a manifest of an unsupported schema version, one that is not JSON, and a name found in two packages', async () => {
    const manifest = readFileSync(MANIFEST, 'utf8');
    const parsed = JSON.parse(manifest) as { nodes: Record<string, { package_name: string; unique_id: string }> };
    // the real manifest with one extra node: the same model name in a second package
    const copy = { ...parsed.nodes['model.test.my_model']!, package_name: 'other', unique_id: 'model.other.my_model' };
    const twoPackages = JSON.stringify({ ...parsed, nodes: { ...parsed.nodes, 'model.other.my_model': copy } });
    const dir = writeProject({
      ...project([
        '  old:',
        '    dbt: { manifest: old.json }',
        '    tables: [my_model]',
        '  broken:',
        '    dbt: { manifest: broken.json }',
        '    tables: [my_model]',
        '  both:',
        '    dbt: { manifest: two.json }',
        '    tables:',
        '      my_model: {}',
        '      chosen: { ref: other.my_model }',
      ].join('\n')),
      'old.json': manifest.replace('manifest/v12.json', 'manifest/v9.json'),
      'broken.json': manifest.slice(0, 500),
      'two.json': twoPackages,
    });
    const r = await loadProject(dir);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['dbt-manifest', 'dbt manifest `old.json` has dbt_schema_version `https://schemas.getdbt.com/dbt/manifest/v9.json`; writeback reads `https://schemas.getdbt.com/dbt/manifest/v10.json`, `https://schemas.getdbt.com/dbt/manifest/v11.json`, `https://schemas.getdbt.com/dbt/manifest/v12.json`'],
      ['dbt-manifest', expect.stringMatching(/^`broken\.json` is not a dbt manifest: not JSON/)],
      ['dbt-node', '`my_model` names a node in several packages of `two.json` (`other`, `test`); write `ref: <package>.my_model`'],
    ]);
  });
});
