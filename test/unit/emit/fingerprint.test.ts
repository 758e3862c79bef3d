import { describe, expect, it } from 'vitest';
import { duckdbDialect as d } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { fingerprintModel, fingerprintProject, normalizeSql } from '../../../src/emit/fingerprint.js';
import type { Project } from '../../../src/ir/types.js';
import { fixtureProject } from './fixture-project.js';
import { withFlags } from './with-flags.js';

function setSql(project: Project, name: string, sql: string): void {
  const model = project.models.find((m) => m.name === name);
  if (model?.body.kind !== 'sql') throw new Error(name);
  model.body.sql = sql;
}

describe('normalizeSql', () => {
  it('drops comments and whitespace outside literals and quoted identifiers', () => {
    const a = `select a, b -- trailing\n  from   t /* block\n comment */ where x = 'a  b -- not a comment' and "odd  -- name" = 1`;
    const b = `select a,b from t where x='a  b -- not a comment' and "odd  -- name"=1`;
    expect(normalizeSql(a)).toBe(normalizeSql(b));
    expect(normalizeSql(a)).toBe(`select a,b from t where x='a  b -- not a comment' and "odd  -- name"=1`);
  });

  it('keeps differences inside literals and between words', () => {
    expect(normalizeSql(`select 'a b'`)).not.toBe(normalizeSql(`select 'a  b'`));
    expect(normalizeSql(`select 'a' 'b'`)).not.toBe(normalizeSql(`select 'a''b'`));
    expect(normalizeSql(`select a b`)).not.toBe(normalizeSql(`select ab`));
    expect(normalizeSql(`select 'it''s /* x */'`)).toBe(`select 'it''s /* x */'`);
  });

  it('honours backslash escapes where the dialect has them', () => {
    const sql = `select 'a\\' -- still a string' , 1`;
    expect(normalizeSql(sql, { backslashEscapesInStrings: true })).toBe(`select 'a\\' -- still a string',1`);
    expect(normalizeSql(sql)).toBe(`select 'a\\'`);
  });
});

describe('fingerprintModel', () => {
  const fp = (p: Project) => fingerprintProject(p, d, 'dev');

  it('is stable and insensitive to whitespace and comments in a sql model', () => {
    const p = fixtureProject();
    const before = fp(p);
    expect(before.diagnostics).toEqual([]);
    expect(before.fingerprints.get('plan_summary')).toMatch(/^[0-9a-f]{64}$/);
    expect(fp(fixtureProject()).fingerprints).toEqual(before.fingerprints);
    const model = p.models.find((m) => m.name === 'plan_summary');
    if (model?.body.kind !== 'sql') throw new Error('fixture');
    setSql(p, 'plan_summary', `-- a header comment\n${model.body.sql.replaceAll('\n', '\n\n   ').replace('a.region,', 'a.region ,   /* c */')}`);
    expect(fp(p).fingerprints.get('plan_summary')).toBe(before.fingerprints.get('plan_summary'));
    setSql(p, 'plan_summary', model.body.sql.replace('sum(a.amount)', 'max(a.amount)'));
    expect(fp(p).fingerprints.get('plan_summary')).not.toBe(before.fingerprints.get('plan_summary'));
  });

  it('changes when an upstream model changes, not when version numbers do', () => {
    const p = fixtureProject();
    const before = fp(p).fingerprints;
    const override = p.models.find((m) => m.name === 'accounts_fixed');
    if (override?.body.kind !== 'override') throw new Error('fixture');
    override.body.columns = ['category'];
    const after = fp(p).fingerprints;
    expect(after.get('accounts_fixed')).not.toBe(before.get('accounts_fixed'));
    expect(after.get('fixed_plan')).not.toBe(before.get('fixed_plan'));
    expect(after.get('plan_summary')).not.toBe(before.get('plan_summary'));
    expect(after.get('account_plan')).toBe(before.get('account_plan'));
    expect(after.get('all_products')).toBe(before.get('all_products'));
  });

  it('depends on the dialect and on the input columns it reads, not on the others', () => {
    const p = fixtureProject();
    const base = fp(p).fingerprints.get('all_products');
    expect(fingerprintProject(p, withFlags(d, { name: 'other' }), 'dev').fingerprints.get('all_products')).not.toBe(base);
    const columns = p.inputs['manual_products']!.columns;
    columns.push({ name: 'extra', type: { kind: 'string' }, required: false, loc: { file: 'x', line: 1, col: 1 } });
    expect(fp(p).fingerprints.get('all_products')).toBe(base);
    // a sql model's input('t') exposes every column (its SQL may select them all)
    setSql(p, 'plan_summary', "select * from {{ input('manual_products') }}");
    const before = fp(p).fingerprints.get('plan_summary');
    columns.push({ name: 'another', type: { kind: 'string' }, required: false, loc: { file: 'x', line: 1, col: 1 } });
    expect(fp(p).fingerprints.get('plan_summary')).not.toBe(before);
  });

  it('fails when an upstream fingerprint is missing', () => {
    const p = fixtureProject();
    const model = p.models.find((m) => m.name === 'fixed_plan')!;
    const r = fingerprintModel(p, model, d, 'dev', new Map());
    expect(!r.ok && r.diagnostics.map((x) => x.code)).toEqual(['upstream-failed']);
  });
});
