import type { ColumnType, InputColumn, InputTable, MacroVariant, Model, ModelBody, Project, SourceLocation } from '../../../src/ir/types.js';

/** A hand-built project covering every model kind (until the loader exists, tests build IR directly). */

const loc = (file: string, line = 1, col = 1): SourceLocation => ({ file, line, col });

function column(name: string, type: ColumnType, required = false): InputColumn {
  return { name, type, required, loc: loc('inputs/x.yml') };
}

function input(name: string, key: string[], columns: InputColumn[], scenarios = false): InputTable {
  return { name, key, columns, scenarios, permissions: {}, loc: loc(`inputs/${name}.yml`) };
}

function model(name: string, body: ModelBody, models: string[] = []): Model {
  return { name, body, dependsOn: { models, inputs: [], sources: [] }, loc: loc(`models/${name}.yml`, 2, 1) };
}

function macro(name: string, body: string, params: MacroVariant['params'], dialect?: string): MacroVariant {
  return { name, params, body, loc: loc('macros/util.sql', 1, 1), ...(dialect ? { dialect } : {}) };
}

/** The SQL of the `plan_summary` model (line 3 col 5 of its YAML file). */
export const PLAN_SUMMARY_SQL = `select a.region, {{ fiscal_label('a.quarter') }} as label,
  sum(a.amount) as total, {{ var('fiscal_year') }} as fiscal_year -- the year
from {{ ref('account_plan') }} a
join {{ ref('accounts_fixed') }} f on f.id = a.id
/* quarters only */ where a.quarter is not null
group by all
`;

/** Builds the fixture project (fresh objects each call, so tests may mutate them). */
export function fixtureProject(): Project {
  const sourceTable = (table: string) => ({ source: 'crm', table, database: {}, schema: { dev: 'crm' }, identifier: table });
  return {
    dir: '/tmp/fixture',
    name: 'fixture',
    defaultTarget: 'dev',
    targets: { dev: { name: 'dev', type: 'duckdb', path: ':memory:' } },
    schemas: { inputs: 'writeback', views: 'planning' },
    sources: {
      crm: {
        name: 'crm',
        tables: { accounts: sourceTable('accounts'), products: sourceTable('products') },
        loc: loc('project.yml', 5),
      },
    },
    seeds: [],
    vars: { fiscal_year: 2026 },
    roles: {},
    inputs: {
      revenue_forecast: input(
        'revenue_forecast',
        ['account_id', 'quarter'],
        [
          column('account_id', { kind: 'string' }, true),
          column('quarter', { kind: 'string' }, true),
          column('amount', { kind: 'decimal', precision: 18, scale: 2 }),
          column('confidence', { kind: 'enum', values: ['low', 'medium', 'high'] }),
          column('note', { kind: 'text' }),
        ],
        true,
      ),
      account_fix: input('account_fix', ['account_id'], [
        column('account_id', { kind: 'string' }, true),
        column('category', { kind: 'string' }),
        column('region', { kind: 'string' }),
      ]),
      manual_products: input('manual_products', ['id'], [
        column('id', { kind: 'string' }, true),
        column('name', { kind: 'string' }),
        column('category', { kind: 'string' }),
        column('price', { kind: 'number' }),
        column('launched', { kind: 'date' }),
        column('active', { kind: 'boolean' }),
        column('units', { kind: 'integer' }),
        column('checked_at', { kind: 'timestamp' }),
      ]),
    },
    models: [
      model('account_plan', {
        kind: 'enrich',
        from: { kind: 'source', source: 'crm', table: 'accounts' },
        joins: [{ input: 'revenue_forecast', on: { account_id: 'id' }, columns: ['quarter', 'amount', 'confidence'] }],
      }),
      model('accounts_fixed', {
        kind: 'override',
        from: { kind: 'source', source: 'crm', table: 'accounts' },
        input: 'account_fix',
        on: { account_id: 'id' },
        columns: ['category', 'region'],
      }),
      model('all_products', {
        kind: 'append',
        from: { kind: 'source', source: 'crm', table: 'products' },
        input: 'manual_products',
        columns: ['id', 'name', 'category'],
      }),
      model(
        'fixed_plan',
        {
          kind: 'enrich',
          from: { kind: 'model', model: 'accounts_fixed' },
          joins: [{ input: 'revenue_forecast', on: { account_id: 'id' }, columns: ['amount'] }],
        },
        ['accounts_fixed'],
      ),
      model('plan_summary', { kind: 'sql', sql: PLAN_SUMMARY_SQL, sqlLoc: loc('models/plan_summary.yml', 3, 5) }, ['account_plan', 'accounts_fixed']),
    ],
    macros: {
      fiscal_label: [
        macro('fiscal_label', "{{ prefixed(col, prefix) }}", [{ name: 'col' }, { name: 'prefix', default: 'FY' }]),
        macro('fiscal_label', "'{{ prefix }}' || {{ var('fiscal_year') }} || '-' || {{ col }}", [{ name: 'col' }, { name: 'prefix', default: 'FY' }], 'duckdb'),
        macro('fiscal_label', "to_char({{ col }})", [{ name: 'col' }, { name: 'prefix', default: 'FY' }], 'snowflake'),
      ],
      prefixed: [macro('prefixed', "'{{ prefix }}' || {{ col }}", [{ name: 'col' }, { name: 'prefix' }])],
    },
  };
}
