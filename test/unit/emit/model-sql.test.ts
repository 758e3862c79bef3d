import { describe, expect, it } from 'vitest';
import { duckdbDialect as d } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import type { Dialect } from '../../../src/dialects/dialect.js';
import { latestAliasResolver, renderModel, type RenderOptions } from '../../../src/emit/model-sql.js';
import { pickMacroVariant } from '../../../src/emit/model-template.js';
import { locateRange, mapOfText } from '../../../src/diagnostics/text-map.js';
import type { Model, Project } from '../../../src/ir/types.js';
import { fixtureProject } from './fixture-project.js';
import { withFlags } from './with-flags.js';

function render(project: Project, name: string, options: RenderOptions = {}, dialect: Dialect = d) {
  const model = project.models.find((m) => m.name === name);
  if (!model) throw new Error(name);
  return renderModel(project, model, dialect, 'dev', latestAliasResolver(project), options);
}

function sqlModel(project: Project, sql: string): Model {
  const model: Model = { name: 'adhoc', body: { kind: 'sql', sql, sqlLoc: { file: 'models/adhoc.yml', line: 4, col: 3 } }, dependsOn: { models: [], inputs: [], sources: [] }, loc: { file: 'models/adhoc.yml', line: 1, col: 1 } };
  project.models.push(model);
  return model;
}

function codes(r: ReturnType<typeof render>): string[] {
  return r.ok ? [] : r.diagnostics.map((x) => x.code);
}

describe('structured models', () => {
  it('pins refs through the resolver', () => {
    const p = fixtureProject();
    const model = p.models.find((m) => m.name === 'fixed_plan')!;
    const r = renderModel(p, model, d, 'dev', (m) => ({ schema: 'planning', name: `${m}__v7` }));
    expect(r.ok && r.value).toContain('from "planning"."accounts_fixed__v7" as "b"');
  });

  it('resolves sources per target', () => {
    const p = fixtureProject();
    p.sources['crm']!.tables['accounts'] = { source: 'crm', table: 'accounts', schema: { dev: 'RAW_CRM' }, database: { dev: 'WH' }, identifier: 'ACCOUNTS' };
    const r = render(p, 'account_plan');
    expect(r.ok && r.value).toContain('from "WH"."RAW_CRM"."ACCOUNTS" as "b"');
    const other = renderModel(p, p.models[0]!, d, 'prod', latestAliasResolver(p));
    expect(codes(other)).toEqual(['unknown-source']);
  });

  it('reports an enrich column that clashes with a known base column', () => {
    const p = fixtureProject();
    const body = p.models[0]!.body;
    if (body.kind === 'enrich') body.joins[0]!.columns.push('note');
    const r = render(p, 'account_plan', { sourceColumns: () => ['id', 'name', 'note'] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.diagnostics[0]).toMatchObject({ code: 'column-clash', loc: { file: 'models/account_plan.yml' } });
    expect(!r.ok && r.diagnostics[0]!.message).toMatch(/'note' of input 'revenue_forecast'/);
  });

  it('reports a column added twice by two joins', () => {
    const p = fixtureProject();
    const body = p.models[0]!.body;
    if (body.kind === 'enrich') body.joins.push({ input: 'account_fix', on: { account_id: 'id' }, columns: ['category', 'quarter'] });
    expect(codes(render(p, 'account_plan'))).toEqual(['unknown-column']);
    if (body.kind === 'enrich') body.joins[1]!.columns = ['category', 'region'];
    expect(render(p, 'account_plan').ok).toBe(true);
    if (body.kind === 'enrich') body.joins.push({ input: 'account_fix', on: { account_id: 'id' }, columns: ['region'] });
    expect(codes(render(p, 'account_plan'))).toEqual(['column-clash']);
  });

  it('reports unknown inputs, columns and models', () => {
    const p = fixtureProject();
    const body = p.models[1]!.body;
    if (body.kind === 'override') body.input = 'nope';
    expect(codes(render(p, 'accounts_fixed'))).toEqual(['unknown-input']);
    const append = p.models[2]!.body;
    if (append.kind === 'append') append.columns.push('colour');
    expect(codes(render(p, 'all_products'))).toEqual(['unknown-column']);
    const enrich = p.models[3]!.body;
    if (enrich.kind === 'enrich') enrich.from = { kind: 'model', model: 'ghost' };
    expect(codes(render(p, 'fixed_plan'))).toEqual(['unknown-model']);
  });

  it('cannot render override without star modifiers or known columns', () => {
    const p = fixtureProject();
    const bare = withFlags(d, { supportsStarReplace: false, starExcludeKeyword: undefined });
    expect(codes(render(p, 'accounts_fixed', {}, bare))).toEqual(['override-unsupported']);
    expect(codes(render(p, 'accounts_fixed', { sourceColumns: () => ['id', 'name'] }, bare))).toEqual(['unknown-column', 'unknown-column']);
    expect(codes(render(p, 'accounts_fixed', { sourceColumns: () => ['id', 'name', 'category'] }))).toEqual(['unknown-column']);
    expect(codes(render(p, 'account_plan', { sourceColumns: () => ['name'] }))).toEqual(['unknown-column']);
    expect(codes(render(p, 'all_products', { sourceColumns: () => ['id', 'name'] }))).toEqual(['unknown-column']);
  });
});

describe('sql models', () => {
  it('renders input(), source() and var literals', () => {
    const p = fixtureProject();
    p.vars['label'] = "it's";
    sqlModel(p, `select *, {{ var('label') }} as l, {{ var('missing', 3) }} as m from {{ input('account_fix') }} f join {{ source('crm', 'accounts') }} a on a.id = f.account_id;`);
    const r = render(p, 'adhoc');
    expect(r.ok && r.value).toBe(
      `select *, 'it''s' as l, 3 as m from (select "account_id", "category", "region", "_version", "_updated_by", "_updated_at" from "writeback"."account_fix" where "_scenario" = 'base' and not "_deleted") f join "crm"."accounts" a on a.id = f.account_id`,
    );
  });

  it('picks the dialect variant of a macro, else the default', () => {
    const variants = fixtureProject().macros['fiscal_label']!;
    expect(pickMacroVariant(variants, 'duckdb')?.dialect).toBe('duckdb');
    expect(pickMacroVariant(variants, 'snowflake')?.dialect).toBe('snowflake');
    expect(pickMacroVariant(variants, 'postgres')?.dialect).toBeUndefined();
    const p = fixtureProject();
    sqlModel(p, `select {{ fiscal_label('x', prefix='Q') }}`);
    const other = withFlags(d, { name: 'postgres' });
    const r = render(p, 'adhoc', {}, other);
    expect(r.ok && r.value).toBe(`select 'Q' || x`);
  });

  it('reports unknown vars, macros and names with their location', () => {
    const p = fixtureProject();
    sqlModel(p, `select 1\nfrom x where y = {{ var('nope') }} and {{ nomacro(1) }} and {{ bare }}`);
    const r = render(p, 'adhoc');
    expect(!r.ok && r.diagnostics.map((x) => [x.code, x.loc?.line, x.loc?.col])).toEqual([
      ['unknown-var', 5, 23],
      ['unknown-macro', 5, 45],
      ['unknown-name', 5, 66],
    ]);
  });

  it('reports macro argument problems', () => {
    const p = fixtureProject();
    sqlModel(p, `select {{ prefixed('a') }}, {{ prefixed('a', 'b', 'c') }}, {{ prefixed('a', 'b', prefix='c') }}, {{ prefixed('a', zz=1) }}`);
    const r = render(p, 'adhoc');
    expect(!r.ok && r.diagnostics.map((x) => x.message)).toEqual([
      "macro 'prefixed' needs argument 'prefix'",
      "macro 'prefixed' takes at most 2 argument(s), got 3",
      "macro 'prefixed': parameter 'prefix' is given twice",
      "macro 'prefixed' has no parameter 'zz'",
      "macro 'prefixed' needs argument 'prefix'",
    ]);
  });

  it('guards against macro recursion', () => {
    const p = fixtureProject();
    const mk = (name: string, body: string) => [{ name, params: [], body, loc: { file: 'macros/loop.sql', line: 1, col: 1 } }];
    p.macros['ping'] = mk('ping', '{{ pong() }}');
    p.macros['pong'] = mk('pong', '{{ ping() }}');
    sqlModel(p, `select {{ ping() }}`);
    const r = render(p, 'adhoc');
    expect(!r.ok && r.diagnostics[0]).toMatchObject({ code: 'macro-recursion', loc: { file: 'macros/loop.sql' } });
    expect(!r.ok && r.diagnostics[0]!.message).toMatch(/ping → pong → ping/);
  });

  it('locates problems inside a macro body in its macros file', () => {
    const p = fixtureProject();
    p.macros['broken'] = [{ name: 'broken', params: [], body: 'x ||\n  {{ nope_param }}', loc: { file: 'macros/b.sql', line: 3, col: 10 }, bodyLoc: { file: 'macros/b.sql', line: 3, col: 30 } }];
    sqlModel(p, `select {{ broken() }}`);
    const r = render(p, 'adhoc');
    expect(!r.ok && r.diagnostics[0]).toMatchObject({ code: 'unknown-name', loc: { file: 'macros/b.sql', line: 4, col: 6 } });
    expect(!r.ok && r.diagnostics[0]!.message).toMatch(/\(in macro broken\)$/);
  });

  it('reports template syntax errors at their position', () => {
    const p = fixtureProject();
    sqlModel(p, `select\n  {{ ref('a' }}`);
    const r = render(p, 'adhoc');
    expect(!r.ok && r.diagnostics[0]).toMatchObject({ code: 'template-syntax', loc: { line: 5, col: 16 } });
  });

  it('maps offsets of an embedded text to project locations', () => {
    const base = { file: 'm.yml', line: 10, col: 5 };
    expect(locateRange(mapOfText(base, 'ab\ncd'), 1)).toMatchObject({ line: 10, col: 6 });
    expect(locateRange(mapOfText(base, 'ab\ncd'), 4, 5)).toMatchObject({ line: 11, col: 6, endLine: 11, endCol: 7 });
  });
});
