import type { Row, SqlValue } from '../../src/adapters/adapter.js';
import { getDialect } from '../../src/dialects/registry.js';
import type { InputColumn, InputTable, Project } from '../../src/ir/types.js';
import { createWriteback } from '../../src/library/writeback.js';
import { logColumns } from '../../src/managed/tables.js';
import { byScenarioViewName, logTableName } from '../../src/managed/names.js';
import { sqlNames } from '../../src/managed/sql-names.js';
import { hasByScenarioView } from '../../src/emit/model-by-scenario.js';
import { sqlModelHasByScenarioView } from '../../src/emit/model-sql-by-scenario.js';
import { compileProject } from '../../src/emit/compile-project.js';
import { seedSourceColumns } from '../../src/seeds/seed-columns.js';
import { callWebhook, listWebhookCalls } from '../../src/workflow/webhook.js';
import { decidePending, getPending, insertPending, listPending } from '../../src/workflow/pending-store.js';
import { emittedStatements } from '../unit/dialects/emitted-statements.js';
import { projectOn } from '../unit/dialects/remote-projects.js';
import { RecordingAdapter, type RecordedStatement } from './recording-adapter.js';

/** The dialects whose statements are collected. */
export type CollectedDialect = 'snowflake' | 'bigquery' | 'postgres' | 'duckdb';

/** A value of a column's type that its rules accept (the first allowed one, a pattern's sample, the minimum). */
function sample(c: InputColumn, i: number): unknown {
  const t = c.type;
  if (t.kind === 'enum') return t.values[0];
  if (Array.isArray(c.allowedValues)) return c.allowedValues[0];
  if (t.kind === 'integer') return Math.max(Number(c.min ?? 1), 1) + i;
  if (t.kind === 'number' || t.kind === 'decimal') return String(Math.max(Number(c.min ?? 1), 1) + i);
  if (t.kind === 'boolean') return true;
  if (t.kind === 'date') return '2026-03-01';
  if (t.kind === 'timestamp') return '2026-03-01T10:00:00Z';
  const candidates = [`2026-Q${(i % 4) + 1}`, `k${i}`, `A${i}`, `M-${String(i).padStart(4, '0')}`];
  return c.pattern ? (candidates.find((s) => new RegExp(c.pattern!).test(s)) ?? `k${i}`) : `k${i}`;
}

/** Rows of a source lookup that find every tuple it asks for (and every user attribute's 'x'). */
function sourceRows(sql: string, params: SqlValue[]): Row[] {
  const group = /where \(\((.*?)\)(?: or \(|\))/i.exec(sql)?.[1] ?? '';
  const width = Math.max(1, group.split(' and ').length);
  const out: Row[] = [];
  // extra columns (a row filter's source columns) hold 'x', the value every user attribute has here
  const extra = Object.fromEntries(Array.from({ length: 8 }, (_, j) => [`c${width + j}`, 'x']));
  for (let i = 0; i + width <= params.length; i += width) out.push({ ...extra, ...Object.fromEntries(params.slice(i, i + width).map((v, j) => [`c${j}`, v])) });
  return out;
}

function rows(input: InputTable, n: number, offset = 0): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => Object.fromEntries(input.columns.map((c) => [c.name, sample(c, i + offset)])));
}

/**
 * Every statement the library runs for `project` on a dialect, recorded on a mocked warehouse:
 * the apply plan against an empty warehouse (seeds, meta and managed tables, versioned views,
 * aliases, `__by_scenario`, `__pending`, `__history`), the apply operations a fresh plan does not
 * need (add/drop column, archive) and `compile`'s output; then the write path on every input table
 * (upsert, bulk upsert, delete, a scenario, an idempotent retry, dry run), reads (rows, as-of,
 * history, verify, model rows), idempotency pruning, scenarios, tokens (service and personal, sign-in with its last use), the users directory, pending changes and webhook records.
 * `refused`: the steps the library refused (their statements up to the refusal are recorded).
 */
export async function collectStatements(dir: string, type: CollectedDialect): Promise<{ log: RecordedStatement[]; refused: string[] }> {
  const project: Project = await projectOn(dir, type === 'duckdb' ? 'postgres' : type).then((p) => ({
    ...p,
    targets: { ...p.targets, [p.defaultTarget]: { name: p.defaultTarget, type, settings: {} } as Project['targets'][string] },
  }));
  const dialect = getDialect(type);
  const adapter = new RecordingAdapter(dialect);
  const wb = await createWriteback(project, adapter, { targetName: project.defaultTarget });
  const refused: string[] = [];
  const step = async (origin: string, fn: () => Promise<unknown>) => {
    adapter.step = origin;
    const result = await fn();
    if (typeof result === 'object' && result !== null && 'ok' in result && result.ok === false) refused.push(`${origin}: ${JSON.stringify(result).slice(0, 300)}`);
  };

  await step('apply', () => wb.deploy.apply({ user: 'u', project }));
  const compiled = compileProject(project, dialect, project.defaultTarget, { sourceColumns: seedSourceColumns(project) });
  for (const s of emittedStatements(project, dialect, compiled)) adapter.log.push({ origin: s.origin, sql: s.sql, params: s.params ?? [] });

  const byScenario = (m: Project['models'][number]) => hasByScenarioView(project, m) || (sqlModelHasByScenarioView(project, m) && dialect.lateralJoins);
  // the managed tables and the model views exist now (a model read orders by column position: one column will do)
  const view = (name: string) => ({ schema: project.schemas.views, name, kind: 'view' as const, columns: [{ name: 'x', dataType: 'x' }] });
  adapter.tables = [
    ...Object.values(project.inputs).map((i) => ({
      schema: project.schemas.inputs,
      name: logTableName(i.name),
      kind: 'table' as const,
      columns: logColumns(i).map((c) => ({ name: c.name, dataType: 'x' })),
    })),
    ...project.models.flatMap((m) => [view(m.name), ...(byScenario(m) ? [view(byScenarioViewName(m.name))] : [])]),
  ];
  const upside: Row = { name: 'upside', parent: 'base', description: null, created_by: 'u', created_at: new Date(0), archived_by: null, archived_at: null };
  // once `existing` is set, a state lookup of an input finds its sample row (version 1), and the pending change is there
  let existing: InputTable | undefined;
  const stateRow = (input: InputTable, scenario: SqlValue): Row => ({
    ...rows(input, 1)[0],
    _scenario: typeof scenario === 'string' ? scenario : 'base', _version: 1, _deleted: false, _set_columns: `|${input.columns.map((c) => c.name).join('|')}|`,
    _updated_by: 'u', _updated_at: new Date(0), _entry_id: 'e0',
  });
  const pendingRow = (input: InputTable): Row => ({
    pending_id: 'p1', table_name: input.name, scenario: 'base', op: 'upsert', rows: JSON.stringify(rows(input, 1)), versions: '[1]', row_count: 1,
    proposed_by: 'planner-user', proposed_role: null, proposed_attributes: '{}', proposed_at: new Date(0), comment: null, status: 'pending',
    decided_by: null, decided_at: null, decision_comment: null, entry_ids: null, request_id: null, proposal_entry_ids: '["e1"]',
  });
  adapter.answers = [
    // every chain head was created by apply (an empty log: seq 0, empty head): its own table, or its row of the shared one
    { matches: /^select \S+, \S+ from (\S+__head\S*|\S+_wb_heads\S* where \S+ = \S+)$/i, rows: () => [{ seq: 0, head: '' }] },
    { matches: /^select s\./i, rows: (_, params) => (existing ? [stateRow(existing, params[0] ?? null)] : []) },
    { matches: /^select .* from \S*_wb_pending\S* where/i, rows: () => (existing ? [pendingRow(existing)] : []) },
    // `upside` is recorded; a lookup of another name finds nothing
    { matches: /_wb_scenarios/i, rows: (sql, params) => (/ where /i.test(sql) && !params.includes('upside') ? [] : [upside]) },
    // a source lookup finds every value it asks for (tuples of `cast(col as text) = param` joined by `and`)
    { matches: /^select distinct cast\(/i, rows: (sql, params) => sourceRows(sql, params) },
  ];

  for (const input of Object.values(project.inputs)) {
    const t = input.name;
    const user = { user: 'u' };
    const scenario = input.scenarios ? { scenario: 'upside' } : {};
    await step(`write ${t}`, () => wb.inputs.write(t, rows(input, 1), { ...user, requestId: `r-${t}` }));
    await step(`write ${t} (dry run)`, () => wb.inputs.write(t, rows(input, 1), { ...user, dryRun: true }));
    await step(`write ${t} (bulk)`, () => wb.inputs.write(t, rows(input, 40, 100), user));
    await step(`write ${t} (scenario)`, () => wb.inputs.write(t, rows(input, 2), { ...user, ...scenario }));
    if (input.scenarios) await step(`write ${t} (unrecorded scenario)`, () => wb.inputs.write(t, rows(input, 1), { ...user, scenario: 'fresh' }));
    if (input.approval) {
      // a proposal: a role that needs approval, with every attribute set, writes values that meet the conditions
      const role = input.approval.requiredFor?.[0] ?? Object.keys(project.roles)[0] ?? '';
      const attributes = Object.fromEntries((project.roles[role]?.attributes ?? []).map((a) => [a, 'x']));
      const big = Object.fromEntries(Object.entries(input.approval.when ?? {}).map(([c, cond]) => [c, String(Number(cond.gt ?? cond.gte ?? 0) + 1)]));
      await step(`propose ${t}`, () => wb.inputs.write(t, rows(input, 1).map((r) => ({ ...r, ...big })), { user: 'p', role, attributes }));
    }
    const keys = rows(input, 1).map((r) => Object.fromEntries(input.key.map((k) => [k, r[k]])));
    existing = input;
    await step(`delete ${t}`, () => wb.inputs.delete(t, keys, user));
    await step(`write ${t} (existing row, changed)`, () => wb.inputs.write(t, rows(input, 1, 7).map((r, i) => ({ ...r, ...keys[i] })), user));
    await step(`write ${t} (conflict: stale _version)`, () => wb.inputs.write(t, rows(input, 1, 7).map((r, i) => ({ ...r, ...keys[i], _version: 0 })), user));
    await step(`approve ${t}`, () => wb.pending.approve(t, 'p1', { user: 'u', comment: 'ok' }));
    await step(`reject ${t}`, () => wb.pending.reject(t, 'p1', { user: 'u', comment: 'no' }));
    await step(`pending list ${t}`, () => wb.pending.list(t, { status: 'all' }));
    for (const action of Object.keys(input.actions ?? {})) {
      await step(`action ${t}.${action}`, () => wb.actions.run(t, action, { ...user, keys, confirm: true }));
    }
    if (input.scenarios) await step(`reset ${t}`, () => wb.scenarios.reset(t, keys, { ...user, scenario: 'upside' }));
    existing = undefined;
    await step(`rows ${t}`, () => wb.inputs.rows(t));
    await step(`rows ${t} (scenario, as of)`, () => wb.inputs.rows(t, { ...scenario, asOf: new Date('2026-01-01T00:00:00Z') }));
    // the form's grid: search, sort, paging, counts and sums on the warehouse; groups; a scenario's parent rows
    const numeric = input.columns.find((c) => !input.key.includes(c.name) && ['integer', 'decimal', 'number'].includes(c.type.kind));
    await step(`grid ${t}`, () => wb.inputs.grid(t, { search: 'a', sort: [{ column: numeric?.name ?? input.key[0]!, dir: 'desc' }], offset: 1, limit: 10 }));
    await step(`grid ${t} (grouped)`, () => wb.inputs.grid(t, { groupBy: [input.key[0]!], limit: 5 }));
    if (input.scenarios) await step(`grid ${t} (scenario)`, () => wb.inputs.grid(t, { ...scenario, sort: [{ column: '_updated_at', dir: 'asc' }] }));
    if (input.planning) {
      await step(`rows ${t} (template)`, () => wb.inputs.rows(t, { template: true }));
      await step(`grid ${t} (template, grouped)`, () => wb.inputs.grid(t, { template: true, groupBy: input.key.filter((k) => k !== input.planning?.across.column), search: 'a' }));
      await step(`planning context ${t}`, () => wb.sources.planningContext(t));
    }
    await step(`history ${t}`, () => wb.inputs.history(t, { key: Object.fromEntries(input.key.map((k) => [k, String(rows(input, 1)[0]?.[k])])) }));
    await step(`history ${t} (all)`, () => wb.inputs.history(t));
    const names = sqlNames(project, project.defaultTarget, dialect);
    const change = {
      id: 'p1', table: t, scenario: 'base', op: 'upsert' as const, rows: rows(input, 1), versions: [0], proposedBy: 'u', proposedRole: null,
      proposedAttributes: {}, proposedAt: '2026-01-01T00:00:00Z', comment: null, status: 'pending' as const, decidedBy: null, decidedAt: null,
      decisionComment: null, entryIds: null, proposalEntryIds: ['e1'], requestId: null,
    };
    await step(`pending ${t}`, async () => {
      await insertPending(adapter, names, change);
      await getPending(adapter, names, 'p1');
      await listPending(adapter, names, t);
      await listPending(adapter, names, t, 'all');
      await decidePending(adapter, names, 'p1', { status: 'approved', by: 'u', comment: 'ok', at: '2026-01-02T00:00:00Z', entryIds: ['e2'] });
    });
    await step(`webhook ${t}`, async () => {
      await callWebhook(adapter, names, { url: 'http://127.0.0.1:9/unreachable', retries: 0 }, { table: t, action: 'submit', user: 'u', entry_ids: ['e1'] } as Parameters<typeof callWebhook>[3]);
      await listWebhookCalls({ names, reader: adapter } as unknown as Parameters<typeof listWebhookCalls>[0], input, undefined);
    });
  }
  await step('verify', () => wb.verify());
  await step('prune idempotency records', () => wb.pruneIdempotency(new Date('2026-06-01T00:00:00Z')));
  for (const model of project.models) {
    await step(`model rows ${model.name}`, () => wb.models.rows(model.name, { limit: 10 }));
    if (byScenario(model)) await step(`model rows ${model.name} (scenario)`, () => wb.models.rows(model.name, { scenario: 'upside' }));
  }
  await step('scenarios: compare, promote', async () => {
    await wb.scenarios.compare('upside', 'base');
    await wb.scenarios.promote('upside', { user: 'u', dryRun: true });
    await wb.scenarios.promote('upside', { user: 'u', confirm: true });
  });
  await step('scenarios', async () => {
    await wb.scenarios.create({ name: 'downside', user: 'u' } as Parameters<typeof wb.scenarios.create>[0]);
    await wb.scenarios.archive('upside', 'u');
    await wb.scenarios.list();
  });
  await step('tokens', async () => {
    await wb.tokens.create({ user: 'u', role: Object.keys(project.roles)[0] ?? 'viewer', createdBy: 'u' } as Parameters<typeof wb.tokens.create>[0]);
    await wb.tokens.list();
    await wb.tokens.revoke('t1');
    await wb.tokens.authenticate('wb_token');
    await wb.tokens.listOwn('u');
    await wb.tokens.revokeOwn('u', 't1');
    const role = Object.entries(project.roles).find(([, r]) => r.attributes.length === 0)?.[0] ?? Object.keys(project.roles)[0] ?? 'viewer';
    await wb.tokens.createPersonal({ user: 'u', role, attributes: {} }, { name: 'script', expiresInDays: 7 });
    // a stored token, unused for a minute: signing in reads it and moves its last_used_at
    const stored = { token_id: '0123456789ab', user_name: 'u', role, attributes: '{}', created_at: '2026-03-01T10:00:00Z', created_by: 'u', revoked_at: null, kind: 'personal', name: 'script', expires_at: null, last_used_at: null };
    adapter.answers.unshift({ matches: /_wb_tokens.*token_hash/is, rows: () => [stored] });
    await wb.tokens.signIn(`wb_0123456789ab_${'A'.repeat(43)}`);
    adapter.answers.shift();
  });
  await step('users', async () => {
    await wb.users.recordSignIn({ issuer: 'https://idp.example.com', subject: 's1', name: 'Ana', email: 'ana@example.com' });
    await wb.users.recordSignIn({ issuer: 'https://idp.example.com', subject: 's2' });
    await wb.users.lookUp(['https://idp.example.com#s1', 'https://idp.example.com#s2']);
  });
  await wb.close();
  return { log: adapter.log, refused };
}

/** Statements once each (the first origin kept), without transaction control. */
export function distinct(log: RecordedStatement[]): RecordedStatement[] {
  const seen = new Map<string, RecordedStatement>();
  for (const s of log) if (!seen.has(s.sql)) seen.set(s.sql, s);
  return [...seen.values()];
}

export type { RecordedStatement, SqlValue };
