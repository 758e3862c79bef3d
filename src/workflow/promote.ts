import { hash } from 'node:crypto';
import type { InputTable } from '../ir/types.js';
import { type Outcome, failure } from '../rules/outcome.js';
import type { WireRow, WriteOptions, WriteResult } from '../write/types.js';
import { canonicalFromDb, wireFromCanonical, wireFromDb } from '../rules/wire-values.js';
import type { WriteContext } from '../write/write-context.js';
import { type PreparedRequest, stateKey } from '../write/write-request.js';
import type { JointOutcome } from '../write/joint-commit.js';
import { loadEffectiveRows } from './effective-rows.js';
import { rowsInScope } from './rows-in-scope.js';
import { findScenario, scenarioChain } from '../write/scenario-registry.js';

/** What promoting writes into the parent, per table. */
export interface PromotedTable {
  table: string;
  /** Rows upserted into the parent: key + the columns the scenario overrides. */
  upserts: WireRow[];
  /** Per upsert, the parent's values of the same columns before promoting (null: the parent has no such key). */
  before: (WireRow | null)[];
  /** Keys deleted in the parent (the scenario deleted them). */
  deletes: WireRow[];
  /** Entries written (or that would be, for a dry run). */
  entries: number;
  /** The promoting user's writes to this table need approval: they become pending changes (listed in `pending` once promoted). */
  needsApproval?: true;
  /** Pending changes created instead of writes. */
  pending?: string[];
}

/** Result of `promote`. */
export type PromoteResult = Outcome<{
  scenario: string;
  parent: string;
  dryRun: boolean;
  rows: number;
  tables: PromotedTable[];
  /** Digest of what is (or would be) written: pass it back as `expectedPreview` to confirm exactly this preview. */
  preview: string;
}>;

/** The scenario's own rows of one table: overrides (upserts into the parent) and tombstones (deletes there). */
async function overridesOf(ctx: WriteContext, input: InputTable, scenario: string, parentChain: string[]): Promise<{ upserts: WireRow[]; before: (WireRow | null)[]; deletes: WireRow[] }> {
  const d = ctx.names.dialect;
  const rows = await ctx.reader.query(`select * from ${ctx.names.state(input.name)} where ${d.quoteIdent('_scenario')} = ${d.param(1)}`, [scenario]);
  const upserts: WireRow[] = [];
  const before: (WireRow | null)[] = [];
  const keyCols = input.key.map((k) => input.columns.find((c) => c.name === k)!);
  const keyOf = (r: Record<string, unknown>) => keyCols.map((c) => canonicalFromDb(c.type, r[c.name]));
  // reset rows follow the parent already
  const overrides = rows.filter((r) => r._deleted !== true && r._set_columns != null);
  const tombstones = rows.filter((r) => r._deleted === true);
  // only what differs from the parent is promoted (a second promote, or an override equal to its parent, writes nothing)
  const parentRows = await loadEffectiveRows(ctx, input, parentChain, overrides.map(keyOf));
  for (const r of overrides) {
    const set = String(r._set_columns);
    const parentRow = parentRows.get(stateKey(parentChain[0]!, keyOf(r)));
    const row: WireRow = {};
    input.columns.forEach((c, i) => {
      if (input.key.includes(c.name)) row[c.name] = wireFromDb(c.type, r[c.name]);
      else if (set.includes(`|${c.name}|`) && (!parentRow || canonicalFromDb(c.type, r[c.name]) !== (parentRow.values[i] ?? null))) row[c.name] = wireFromDb(c.type, r[c.name]);
    });
    if (Object.keys(row).length <= input.key.length) continue;
    upserts.push(row);
    before.push(parentRow ? Object.fromEntries(Object.keys(row).map((name) => {
      const i = input.columns.findIndex((c) => c.name === name);
      return [name, wireFromCanonical(input.columns[i]!.type, parentRow.values[i] ?? null)];
    })) : null);
  }
  // a tombstone deletes in the parent only what the parent still shows
  const visible = await loadEffectiveRows(ctx, input, parentChain, tombstones.map(keyOf));
  const deletes = tombstones
    .filter((r) => visible.has(stateKey(parentChain[0]!, keyOf(r))))
    .map((r) => Object.fromEntries(keyCols.map((c) => [c.name, wireFromDb(c.type, r[c.name])])));
  return { upserts, before, deletes };
}

/** Options of `promote`: a write's options (the promoting user), plus the confirmation. */
export interface PromoteOptions extends WriteOptions {
  /** Required to write (else `confirmation_required` with the count); a dry run previews. */
  confirm?: boolean;
  /** Only this table. */
  table?: string;
  /** The `preview` digest of the dry run this confirms: if what would be written changed since, `conflict` and nothing is written. */
  expectedPreview?: string;
}

/** What promoting needs from the write path: prepare (validate + admit) and commit across tables. */
export interface PromoteHost {
  /** Validate and admit a write without committing it: the request to commit, or its final result. */
  prepare(op: PreparedRequest['op'], table: string, rows: readonly unknown[], opts: WriteOptions): Promise<PreparedRequest | WriteResult>;
  /** Commit requests of several tables in one transaction: all or none. */
  commitTogether(requests: PreparedRequest[]): Promise<JointOutcome>;
}

/**
 * Write a scenario's overrides into its parent as new logged writes by the promoting user (those
 * rows the user's row filter lets it see; the rest stay in the scenario), in ONE
 * transaction across every table (all or nothing). Every batch is validated and checked like any
 * write and first dry-run together; a dry run returns that preview; otherwise `confirm: true` is
 * required. A batch the user's role must have approved becomes a pending change (in the same
 * transaction), named in its table's `pending`.
 */
export async function promoteScenario(ctx: WriteContext, host: PromoteHost, name: string, opts: PromoteOptions): Promise<PromoteResult> {
  if (name === 'base') return failure('bad_request', "'base' has no parent to promote into");
  const info = await findScenario(ctx.reader, ctx.names, name);
  if (!info) return failure('not_found', `no scenario '${name}'`);
  if (info.archivedAt) return failure('bad_request', `scenario '${name}' is archived`);
  const parent = info.parent ?? 'base';
  const parentChain = await scenarioChain(ctx.reader, ctx.names, parent);
  const inputs = Object.values(ctx.project.inputs).filter((t) => t.scenarios && (opts.table === undefined || t.name === opts.table));
  if (opts.table !== undefined && inputs.length === 0) return failure('not_found', `${opts.table} is not an input table with scenarios`);
  const { confirm, table: _table, expectedPreview, ...base } = opts;
  const writeOpts: WriteOptions = { ...base, scenario: parent, comment: opts.comment ?? `promote scenario ${name} into ${parent}`, dryRun: false, requestId: undefined };
  const plan: PromotedTable[] = [];
  const requests: PreparedRequest[] = [];
  const owner: PromotedTable[] = [];
  for (const input of inputs) {
    const all = await overridesOf(ctx, input, name, parentChain);
    // the caller promotes the rows it may see; others' rows stay in the scenario, unmentioned
    const upsertsSeen = await rowsInScope(ctx, input, [name, ...parentChain], all.upserts, opts);
    const deletesSeen = await rowsInScope(ctx, input, parentChain, all.deletes, opts);
    const upserts = all.upserts.filter((_, i) => upsertsSeen[i]);
    // the parent's values are shown only where the caller may read the parent's row too
    const parentSeen = await rowsInScope(ctx, input, parentChain, all.before.map((b) => b ?? {}), opts);
    const before = all.before.map((b, i) => (b && parentSeen[i] ? b : null)).filter((_, i) => upsertsSeen[i]);
    const deletes = all.deletes.filter((_, i) => deletesSeen[i]);
    if (upserts.length === 0 && deletes.length === 0) continue;
    const table: PromotedTable = { table: input.name, upserts, before, deletes, entries: 0 };
    plan.push(table);
    for (const [op, rows] of [['upsert', upserts], ['delete', deletes]] as const) {
      if (rows.length === 0) continue;
      const prepared = await host.prepare(op, input.name, rows, writeOpts);
      if (!('input' in prepared)) {
        if (prepared.ok) continue; // nothing left to write (cannot happen without a dry run; kept for safety)
        return failure(prepared.error.code, `${input.name}: ${prepared.error.message}; nothing was promoted`, prepared.error.details);
      }
      requests.push(prepared);
      owner.push(table);
    }
  }
  const rows = plan.reduce((n, t) => n + t.upserts.length + t.deletes.length, 0);
  const preview = hash('sha256', JSON.stringify(plan.map((t) => [t.table, t.upserts, t.deletes])), 'hex').slice(0, 32);
  if (requests.length === 0) return { ok: true, scenario: name, parent, dryRun: opts.dryRun === true, rows, tables: plan, preview };
  // every batch decided together first: the preview, and no confirmation asked for a promotion that cannot pass
  for (const r of requests) r.dryRun = true;
  const decided = await host.commitTogether(requests);
  if (!decided.ok) return refused(owner[decided.index]!, decided.result);
  decided.results.forEach((r, i) => {
    if (!r.ok) return;
    owner[i]!.entries += r.entries.length;
    if (r.needsApproval) owner[i]!.needsApproval = true;
  });
  if (opts.dryRun) return { ok: true, scenario: name, parent, dryRun: true, rows, tables: plan, preview };
  if (confirm === true && expectedPreview !== undefined && expectedPreview !== preview)
    return failure('conflict', `${name} changed since the preview (promoting now writes ${rows} row(s)); nothing was promoted — preview again`, [
      { message: 'preview', count: rows, preview },
    ]);
  if (confirm !== true)
    return failure('confirmation_required', `promoting ${name} into ${parent} writes ${rows} row(s); confirm it (or dry-run to preview)`, [{ message: 'confirm', count: rows }]);
  for (const r of requests) r.dryRun = false;
  const done = await host.commitTogether(requests);
  if (!done.ok) return refused(owner[done.index]!, done.result);
  for (const t of plan) t.entries = 0;
  done.results.forEach((r, i) => {
    if (!r.ok) return;
    owner[i]!.entries += r.entries.length;
    if (r.pending) owner[i]!.pending = [...(owner[i]!.pending ?? []), r.pending.id];
  });
  return { ok: true, scenario: name, parent, dryRun: false, rows, tables: plan, preview };
}

function refused(table: PromotedTable, result: Extract<WriteResult, { ok: false }>): PromoteResult {
  return failure(result.error.code, `${table.table}: ${result.error.message}; nothing was promoted`, result.error.details);
}
