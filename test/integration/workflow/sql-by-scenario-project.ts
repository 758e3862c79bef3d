import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writeback } from '../../../src/library/writeback.js';

// A small project for `__by_scenario` views of SQL models (DuckDB and Postgres tests share it):
// a scenario input `forecast` joined with crm.accounts and aggregated per region, a SQL model over
// it, a SQL model over an enrich model, and a SQL model without scenario inputs.

/** The project's files (the target is `dev`, written by `writeScenarioProject`). */
export const FILES: Record<string, string> = {
  'project.yml': `name: sql_scenarios
default_target: dev
targets:
  dev: TARGET
schemas: { inputs: writeback, views: planning }
sources:
  crm:
    schema: crm
    tables:
      accounts: {}
seeds:
  - file: seeds/accounts.csv
    into: crm.accounts
    column_types: { id: string }
`,
  'seeds/accounts.csv': 'id,region\nA1,EMEA\nA2,EMEA\nB1,AMER\nB2,AMER\n',
  'inputs/forecast.yml': `name: forecast
key: [account_id, quarter]
scenarios: true
columns:
  account_id: { type: string }
  quarter: { type: string }
  amount: { type: 'decimal(18,2)' }
  note: { type: text }
`,
  'inputs/region_target.yml': `name: region_target
key: [region]
columns:
  region: { type: string }
  target: { type: 'decimal(18,2)' }
`,
  // a scenario input joined with a source, aggregated per region; an input without scenarios beside it
  'models/region_totals.yml': `name: region_totals
kind: sql
sql: |
  select a.region, sum(f.amount) as total, count(*) as rows_read, max(t.target) as target, max(c.n) as accounts
  from {{ input('forecast') }} f
  join {{ source('crm', 'accounts') }} a on a.id = f.account_id
  left join {{ input('region_target') }} t on t.region = a.region
  left join {{ ref('accounts_per_region') }} c on c.region = a.region
  group by a.region
  -- a trailing comment must not swallow the view's closing parenthesis
`,
  // reads the scenario input only through a ref (once without an alias)
  'models/region_share.yml': `name: region_share
kind: sql
sql: |
  with all_regions as (select sum(total) as grand from {{ ref('region_totals') }})
  select r.region, r.total / g.grand as share
  from {{ ref('region_totals') }} r, all_regions g
`,
  // a structured model over the scenario input, and a SQL model over it
  'models/account_forecast.yml': `name: account_forecast
kind: enrich
source: crm.accounts
inputs:
  - input: forecast
    on: { account_id: id }
    columns: [quarter, amount]
`,
  'models/forecast_accounts.yml': `name: forecast_accounts
kind: sql
sql: select count(distinct id) as accounts, sum(amount) as total from {{ ref('account_forecast') }} where amount is not null
`,
  // no scenario input anywhere: no view
  'models/accounts_per_region.yml': `name: accounts_per_region
kind: sql
sql: select region, count(*) as n from {{ source('crm', 'accounts') }} group by region
`,
};

/** Writes the project into `dir` with `target` (a YAML flow mapping) as its `dev` target. */
export function writeScenarioProject(dir: string, target: string): void {
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text.replace('TARGET', target));
  }
}

/**
 * Base rows (A1 100, A2 50 in EMEA; B1 30, B2 20 in AMER; an EMEA target), then scenarios:
 * `stretch` (A1 → 150, a note-only override of A2, B2 deleted), `moonshot` from stretch (B1 → 90),
 * and `old` (A1 → 999), archived.
 */
export async function writeScenarios(wb: Writeback): Promise<void> {
  const check = (r: { ok: boolean }) => {
    if (!r.ok) throw new Error(JSON.stringify(r));
  };
  const w = async (table: string, rows: Record<string, unknown>[], scenario?: string) =>
    check(await wb.inputs.write(table, rows, { user: 'ana', ...(scenario ? { scenario } : {}) }));
  await w('forecast', [
    { account_id: 'A1', quarter: '2026-Q1', amount: '100.00' },
    { account_id: 'A2', quarter: '2026-Q1', amount: '50.00' },
    { account_id: 'B1', quarter: '2026-Q1', amount: '30.00' },
    { account_id: 'B2', quarter: '2026-Q1', amount: '20.00' },
  ]);
  await w('region_target', [{ region: 'EMEA', target: '200.00' }]);
  check(await wb.scenarios.create({ name: 'stretch', user: 'ana' }));
  check(await wb.scenarios.create({ name: 'old', user: 'ana' }));
  check(await wb.scenarios.create({ name: 'moonshot', from: 'stretch', user: 'ana' }));
  await w('forecast', [{ account_id: 'A1', quarter: '2026-Q1', amount: '150.00' }, { account_id: 'A2', quarter: '2026-Q1', note: 'same' }], 'stretch');
  check(await wb.inputs.delete('forecast', [{ account_id: 'B2', quarter: '2026-Q1' }], { user: 'ana', scenario: 'stretch' }));
  await w('forecast', [{ account_id: 'B1', quarter: '2026-Q1', amount: '90.00' }], 'moonshot');
  await w('forecast', [{ account_id: 'A1', quarter: '2026-Q1', amount: '999.00' }], 'old');
  check(await wb.scenarios.archive('old', 'ana'));
}

/** Expected `region, total, rows_read` of region_totals per scenario (archived `old` has none). */
export const REGION_TOTALS: Record<string, string[][]> = {
  base: [
    ['AMER', '50.00', '2'],
    ['EMEA', '150.00', '2'],
  ],
  // A1 150 (its override) + A2 50 (a note-only override: the amount falls back); B2 deleted here
  stretch: [
    ['AMER', '30.00', '1'],
    ['EMEA', '200.00', '2'],
  ],
  // its own B1; stretch's A1 and B2 delete; base's A2
  moonshot: [
    ['AMER', '90.00', '1'],
    ['EMEA', '200.00', '2'],
  ],
  old: [],
};
