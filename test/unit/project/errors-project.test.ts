import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/project/load-project.js';
import { codesAt, diagnose } from './helpers.js';

describe('project.yml problems', () => {
  it('no-project when there is no project.yml', async () => {
    const r = await loadProject(mkdtempSync(join(tmpdir(), 'wb-empty-')));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.map((d) => [d.code, d.loc])).toEqual([['no-project', undefined]]);
  });

  it('yaml-syntax with a position', async () => {
    const diags = await diagnose({ 'project.yml': 'name: demo\nsources:\n  crm: { tables: [a, b }\n' });
    expect(diags.length).toBeGreaterThan(0);
    expect(diags.every((d) => d.code === 'yaml-syntax' && d.loc?.file === 'project.yml' && d.loc.line === 3)).toBe(true);
  });

  it('duplicate-key at the second key, naming the first', async () => {
    const diags = await diagnose({ 'project.yml': 'name: demo\nvars:\n  a: 1\n  a: 2\nsources: { crm: { tables: [accounts, categories] } }\nroles: { planner: { attributes: [region] } }\n' });
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual(['duplicate-key@4:3']);
    expect(diags[0]?.message).toBe('duplicate key `a` (first defined at line 3, column 3)');
  });

  it('unknown-key at the key, listing allowed keys, with a did-you-mean hint', async () => {
    const diags = await diagnose({
      'project.yml': 'name: demo\ndefault_targt: dev\nsources:\n  crm: { tables: [accounts, categories], shema: x }\nroles: { planner: { attributes: [region] } }\n',
    });
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual(['unknown-key@2:1', 'unknown-key@4:42']);
    expect(diags[0]?.message).toBe(
      'unknown key `default_targt`; allowed keys: `name`, `description`, `default_target`, `targets`, `schemas`, `sources`, `seeds`, `vars`, `roles`, `scenarios`, `confirm_threshold`, `idempotency_retention_days`',
    );
    expect(diags[0]?.hint).toBe('did you mean `default_target`?');
    expect(diags[1]?.message).toBe('unknown key `shema` in `sources.crm`; allowed keys: `description`, `schema`, `database`, `tables`, `dbt`');
    expect(diags[1]?.hint).toBe('did you mean `schema`?');
  });

  it('missing-key and invalid-value from the schema', async () => {
    const diags = await diagnose({ 'project.yml': 'description: x\ntargets:\n  dev: { type: oracle }\n  ci: { type: duckdb, path: 3 }\n', 'inputs/forecast.yml': undefined });
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual(['missing-key@1:1', 'invalid-value@3:16', 'invalid-value@4:29']);
    expect(diags[1]?.message).toBe("`targets.dev.type` must be one of `duckdb`, `postgres`, `snowflake`, `bigquery`, found the string \"oracle\"");
    expect(diags[2]?.message).toBe('`targets.ci.path` must be a string, found the number 3');
  });

  it('unknown-target for default_target and per-target schema, missing-default-target', async () => {
    expect(await codesAt({ 'project.yml': 'name: demo\ndefault_target: prd\ntargets: { dev: { type: duckdb } }\nsources: { crm: { schema: { prod: X }, tables: [accounts, categories] } }\nroles: { planner: { attributes: [region] } }\n' })).toEqual([
      'unknown-target@project.yml:2:17',
      'unknown-target@project.yml:4:29',
    ]);
    expect(await codesAt({ 'project.yml': 'name: demo\ntargets:\n  a: { type: duckdb }\n  b: { type: duckdb }\nsources: { crm: { tables: [accounts, categories] } }\nroles: { planner: { attributes: [region] } }\n' })).toEqual([
      'missing-default-target@project.yml:2:1',
    ]);
  });

  it('seeds: missing-file, unknown-source for into and shorthand, invalid-path, unknown-type', async () => {
    const diags = await diagnose({
      'project.yml': [
        'name: demo',
        'sources: { crm: { tables: [accounts, categories] } }',
        'roles: { planner: { attributes: [region] } }',
        'seeds:',
        '  - seeds/nothing.csv',
        '  - { file: seeds/accounts.csv, into: crm.acounts }',
        '  - { file: ../outside.csv }',
        '  - { file: seeds/accounts.csv, into: crm.accounts, column_types: { id: varchar } }',
        '',
      ].join('\n'),
      'seeds/accounts.csv': 'id\n1\n',
    });
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual([
      'missing-file@5:5',
      'unknown-source@5:5',
      'unknown-source@6:39',
      'invalid-path@7:13',
      'unknown-type@8:73',
    ]);
    expect(diags[2]?.message).toBe('seed target `crm.acounts`: source `crm` has no table `acounts`; tables: `accounts`, `categories`');
    expect(diags[2]?.hint).toBe('did you mean `accounts`?');
  });
});

describe('invalid-name', () => {
  const hostile = ['a"; drop table x; --', 'Select', '_private', 'two__parts', 'аccounts' /* Cyrillic а */, '9lives', 'x'.repeat(64)];
  for (const name of hostile) {
    it(`rejects ${JSON.stringify(name)} as a column name at the key`, async () => {
      const diags = await diagnose({
        'inputs/forecast.yml': `key: [id]\ncolumns:\n  id: { type: string }\n  ${JSON.stringify(name)}: { type: string }\n`,
      });
      expect(diags.map((d) => `${d.code}@${d.loc?.file}:${d.loc?.line}:${d.loc?.col}`)).toEqual(['invalid-name@inputs/forecast.yml:4:3']);
      expect(diags[0]?.message).toContain('invalid column name');
    });
  }

  it('allows SQL reserved words (they are always quoted)', async () => {
    expect(await codesAt({ 'inputs/forecast.yml': 'key: [select]\ncolumns:\n  select: { type: string }\n  order: { type: integer }\n  user: { type: string }\n' })).toEqual([]);
  });

  it('names a unicode look-alike as non-ASCII and suggests a fix', async () => {
    const diags = await diagnose({ 'project.yml': 'name: Demo-Project\nsources: { crm: { tables: [accounts, categories] } }\nroles: { planner: { attributes: [region] } }\n' });
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual(['invalid-name@1:7']);
    expect(diags[0]?.hint).toBe('try `demo_project`');
  });

  it('checks physical names of sources', async () => {
    expect(await codesAt({ 'project.yml': 'name: demo\nsources: { crm: { schema: "raw crm", tables: [accounts, categories] } }\nroles: { planner: { attributes: [region] } }\n' })).toEqual([
      'invalid-name@project.yml:2:27',
    ]);
  });
});
