import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAdapter, resolveTarget } from '../../../src/adapters/registry.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import { planProject } from '../../../src/plan/plan-project.js';
import { loadProject } from '../../../src/project/load-project.js';

/** The region every attacker belongs to, and the region whose rows they must never see. */
export const SEEN = 'EMEA';
export const HIDDEN = 'AMER';

/**
 * Source accounts: EMEA ones the attackers may see; AMER ones (ids, names and owners are canaries: they contain `qzv`)
 * behind the source-column row filter. `acc_qzv9` is an AMER account no input row ever names,
 * `acc_e09` an EMEA one.
 */
export const ACCOUNTS = [
  ['acc_e01', 'Northwind Trading', SEEN, 'olga'],
  ['acc_e02', 'Fjord Shipping', SEEN, 'olga'],
  ['acc_e03', 'Rhine Tools', SEEN, 'piet'],
  ['acc_e09', 'Baltic Paper', SEEN, 'piet'],
  ['acc_qzv1', 'Qzv Canary Holdings 5f1c', HIDDEN, 'qzv_owner_8d2e'],
  ['acc_qzv2', 'Qzv Canary Mining 77ab', HIDDEN, 'qzv_owner_8d2e'],
  ['acc_qzv3', 'Qzv Canary Foods 31c9', HIDDEN, 'qzv_owner_4b0a'],
  ['acc_qzv9', 'Qzv Canary Unused e4d2', HIDDEN, 'qzv_owner_4b0a'],
] as const;

/** Actuals per account and period (the planning context of account_plan); the hidden accounts' rows carry their canary ids. */
export const ACTUALS = ACCOUNTS.flatMap(([id], i) => ['P01', 'P02', 'P03'].map((period, j) => [id, period, `${31 + i}${j}7.5`] as const));

/** The adversarial project: one input with an input-column row filter, one with a source-column one. */
function files(webhookUrl: string): Record<string, string> {
  const roles = (approve: boolean) => `
  planner:  { read: true, write: true, delete: true, row_filter: { FILTER: user.region } }
  reviewer: { read: true, write: true, delete: true${approve ? ', approve: true' : ''}, row_filter: { FILTER: user.region } }
  viewer:   { read: true, row_filter: { FILTER: user.region } }`;
  return {
    'project.yml': `name: leak_probe
default_target: dev
targets:
  dev: { type: duckdb, path: target/warehouse.duckdb }
schemas: { inputs: wb, views: marts }
sources:
  crm:
    schema: crm
    tables:
      accounts: {}
      categories: {}
      actuals: {}
seeds:
  - file: seeds/accounts.csv
    into: crm.accounts
    column_types: { id: string, name: string, region: string, owner: string }
  - file: seeds/categories.csv
    into: crm.categories
  - file: seeds/actuals.csv
    into: crm.actuals
    column_types: { account: string, period: string, amount: string }
confirm_threshold: 100
roles:
  planner: { attributes: [region] }
  reviewer: { attributes: [region] }
  viewer: { attributes: [region] }
`,
    'seeds/accounts.csv': `id,name,region,owner\n${ACCOUNTS.map((a) => a.join(',')).join('\n')}\n`,
    'seeds/categories.csv': 'name\nalpha\nbeta\ngamma\n',
    // last period's actuals of every account, the hidden region's among them
    'seeds/actuals.csv': `account,period,amount\n${ACTUALS.map((a) => a.join(',')).join('\n')}\n`,
    // the filter is on the input's own column
    'inputs/forecast.yml': `name: forecast
key: [id]
scenarios: true
columns:
  id: { type: string, pattern: '^[a-z0-9-]+$' }
  region: { type: string, required: true, values: { source: crm.accounts, column: region } }
  amount: { type: 'decimal(14,2)', min: 0, required: true }
  note: { type: text, max_length: 200 }
  status:
    type: enum
    values: [draft, submitted, approved]
    default: draft
    transitions:
      draft: [submitted]
      submitted: [draft, { to: approved, roles: [reviewer] }]
      approved: [{ to: draft, roles: [reviewer] }]
permissions:${roles(true).replaceAll('FILTER', 'region')}
approval: { required_for: [planner], when: { amount: { gt: 1000000 } } }
actions:
  submit:
    set: { status: submitted }
    roles: [planner, reviewer]
    webhook: { url: '${webhookUrl}/forecast', retries: 0 }
`,
    // the filter is on the linked source's column
    'inputs/account_plan.yml': `name: account_plan
key: [account_id, period]
links_to: { source: crm.accounts, on: { account_id: id } }
scenarios: true
columns:
  account_id: { type: string }
  period: { type: string, pattern: '^P[0-9]{2,4}$' }
  target: { type: 'decimal(14,2)', required: true }
  category: { type: string, values: { source: crm.categories, column: name } }
  reference: { type: string, values: { source: crm.accounts, column: name } }
  comment: { type: text, max_length: 200 }
  stage:
    type: enum
    values: [open, committed, closed]
    default: open
    transitions:
      open: [committed]
      committed: [open, { to: closed, roles: [reviewer] }]
    locked: { closed: [reviewer] }
permissions:${roles(true).replaceAll('FILTER', 'source.region')}
approval: { required_for: [planner], when: { target: { gt: 1000000 } } }
planning:
  rows: links_to
  across: { column: period, values: [P01, P02] }
  layout: pivot
  value: target
  context: { source: crm.actuals, on: { account_id: account }, across: period, value: amount, label: Actuals }
actions:
  commit:
    set: { stage: committed }
    confirm: true
    webhook: { url: '${webhookUrl}/plan', retries: 0 }
`,
    'models/plan_by_account.yml': `name: plan_by_account
kind: enrich
source: crm.accounts
inputs:
  - input: account_plan
    on: { account_id: id }
    columns: [period, target, category, reference, comment, stage]
`,
    'models/forecast_totals.yml': `name: forecast_totals
kind: sql
sql: |
  select region, count(*) as n, sum(amount) as total, max(note) as last_note, min(status) as first_status
  from {{ input('forecast') }}
  group by region
`,
    'models/plan_names.yml': `name: plan_names
kind: sql
sql: |
  select a.region, a.name, a.owner, p.period, p.target, p.comment
  from {{ input('account_plan') }} p
  join {{ source('crm', 'accounts') }} a on a.id = p.account_id
`,
  };
}

/** Write the project into a new temp dir and apply it (seeds, write-back tables, views). */
export async function appliedLeakProject(webhookUrl: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'wb-leak-'));
  for (const [path, text] of Object.entries(files(webhookUrl))) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const loaded = await loadProject(dir);
  if (!loaded.ok) throw new Error(`the leak project does not load: ${JSON.stringify(loaded.diagnostics)}`);
  const target = resolveTarget(loaded.value);
  const adapter = await openAdapter(loaded.value, target);
  try {
    const plan = await planProject(loaded.value, { targetName: target.name, adapter, user: 'setup' });
    if (!plan.ok) throw new Error(`the leak project does not plan: ${JSON.stringify(plan.diagnostics)}`);
    const applied = await applyPlan(plan.value, adapter);
    if (!applied.ok) throw new Error(`the leak project does not apply: ${JSON.stringify(applied.diagnostics)}`);
  } finally {
    await adapter.close();
  }
  return dir;
}
