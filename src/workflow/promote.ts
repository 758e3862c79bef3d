import type { InputTable } from '../project/types.js';
import type { Outcome, WireRow, WriteOptions, WriteResult } from '../write/types.js';
import { canonicalFromDb, wireFromDb } from '../write/wire-values.js';
import type { WriteContext } from '../write/write-context.js';
import { failure } from '../write/write-request.js';
import { loadEffectiveRows } from './effective-rows.js';
import { findScenario, scenarioChain } from './scenario-store.js';

/** What promoting writes into the parent, per table. */
export interface PromotedTable {
  table: string;
  /** Rows upserted into the parent: key + the columns the scenario overrides. */
  upserts: WireRow[];
  /** Keys deleted in the parent (the scenario deleted them). */
  deletes: WireRow[];
  /** Entries written (or that would be, for a dry run). */
  entries: number;
}

/** Result of `promote`. */
export type PromoteResult = Outcome<{ scenario: string; parent: string; dryRun: boolean; rows: number; tables: PromotedTable[] }>;

type Submit = (op: 'upsert' | 'delete', table: string, rows: readonly unknown[], opts: WriteOptions) => Promise<WriteResult>;

/** The scenario's own rows of one table: overrides (upserts into the parent) and tombstones (deletes there). */
async function overridesOf(ctx: WriteContext, input: InputTable, scenario: string, parentChain: string[]): Promise<{ upserts: WireRow[]; deletes: WireRow[] }> {
  const d = ctx.names.dialect;
  const rows = await ctx.reader.query(`select * from ${ctx.names.state(input.name)} where ${d.quoteIdent('_scenario')} = ${d.param(1)}`, [scenario]);
  const upserts: WireRow[] = [];
  const tombstones: Record<string, unknown>[] = [];
  for (const r of rows) {
    if (r._deleted === true) {
      tombstones.push(r);
      continue;
    }
    if (r._set_columns == null) continue; // reset: follows the parent already
    const set = String(r._set_columns);
    const row: WireRow = {};
    for (const c of input.columns) if (input.key.includes(c.name) || set.includes(`|${c.name}|`)) row[c.name] = wireFromDb(c.type, r[c.name]);
    if (Object.keys(row).length > input.key.length) upserts.push(row);
  }
  const keyCols = input.key.map((k) => input.columns.find((c) => c.name === k)!);
  const visible = await loadEffectiveRows(
    ctx,
    input,
    parentChain,
    tombstones.map((r) => keyCols.map((c) => canonicalFromDb(c.type, r[c.name]))),
  );
  const deletes = tombstones
    .filter((r) => visible.has(JSON.stringify([parentChain[0], ...keyCols.map((c) => canonicalFromDb(c.type, r[c.name]))])))
    .map((r) => Object.fromEntries(keyCols.map((c) => [c.name, wireFromDb(c.type, r[c.name])])));
  return { upserts, deletes };
}

/**
 * Write a scenario's overrides into its parent as new logged writes by the promoting user:
 * every batch is first dry-run (all must pass, else nothing is written); a dry run returns that
 * preview; otherwise `confirm: true` is required. Each table's batch commits atomically.
 */
export async function promoteScenario(ctx: WriteContext, submit: Submit, name: string, opts: WriteOptions & { confirm?: boolean; table?: string }): Promise<PromoteResult> {
  if (name === 'base') return failure('bad_request', "'base' has no parent to promote into");
  const info = await findScenario(ctx.reader, ctx.names, name);
  if (!info) return failure('not_found', `no scenario '${name}'`);
  if (info.archivedAt) return failure('bad_request', `scenario '${name}' is archived`);
  const parent = info.parent ?? 'base';
  const parentChain = await scenarioChain(ctx.reader, ctx.names, parent);
  const inputs = Object.values(ctx.project.inputs).filter((t) => t.scenarios && (opts.table === undefined || t.name === opts.table));
  if (opts.table !== undefined && inputs.length === 0) return failure('not_found', `${opts.table} is not an input table with scenarios`);
  const { confirm, table: _table, ...base } = opts;
  const writeOpts: WriteOptions = { ...base, scenario: parent, comment: opts.comment ?? `promote scenario ${name} into ${parent}` };
  const plan: PromotedTable[] = [];
  for (const input of inputs) {
    const { upserts, deletes } = await overridesOf(ctx, input, name, parentChain);
    if (upserts.length === 0 && deletes.length === 0) continue;
    let entries = 0;
    for (const [op, rows] of [['upsert', upserts], ['delete', deletes]] as const) {
      if (rows.length === 0) continue;
      const dry = await submit(op, input.name, rows, { ...writeOpts, dryRun: true, requestId: undefined });
      if (!dry.ok) return failure(dry.error.code, `${input.name}: ${dry.error.message}; nothing was promoted`, dry.error.details);
      entries += dry.entries.length;
    }
    plan.push({ table: input.name, upserts, deletes, entries });
  }
  const rows = plan.reduce((n, t) => n + t.upserts.length + t.deletes.length, 0);
  if (opts.dryRun) return { ok: true, scenario: name, parent, dryRun: true, rows, tables: plan };
  if (confirm !== true)
    return failure('confirmation_required', `promoting ${name} into ${parent} writes ${rows} row(s); confirm it (or dry-run to preview)`, [{ message: 'confirm', count: rows }]);
  for (const t of plan) {
    for (const [op, batch] of [['upsert', t.upserts], ['delete', t.deletes]] as const) {
      if (batch.length === 0) continue;
      const res = await submit(op, t.table, batch, { ...writeOpts, dryRun: false });
      if (!res.ok) return failure(res.error.code, `${t.table}: ${res.error.message} (tables before ${t.table} were promoted)`, res.error.details);
    }
  }
  return { ok: true, scenario: name, parent, dryRun: false, rows, tables: plan };
}
