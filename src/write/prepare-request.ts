import { checkPermission } from '../auth/permissions.js';
import { onSourceRows, rowScope } from '../auth/row-filter.js';
import type { InputTable } from '../ir/types.js';
import { findIdempotency, payloadHash, replayOrReject, scopedIdempotencyKey } from './idempotency.js';
import { parseRow, parseValidRow, type ParsedRow } from './row-schema.js';
import { textFieldProblem } from '../rules/text-fields.js';
import { lookupTuples } from './source-lookup.js';
import type { Actor } from '../auth/actor.js';
import type { SqlValue } from '../adapters/adapter.js';
import { countRows, type ErrorDetail, failure } from '../rules/outcome.js';
import type { WriteOptions, WriteResult } from './types.js';
import type { Canonical } from '../rules/wire-values.js';
import type { WriteContext } from './write-context.js';
import { type PreparedRequest, stateKey } from './write-request.js';
import { loadCurrentRows } from './state-lookup.js';
import { checkScenarioName } from '../rules/scenario-name.js';

/**
 * Everything about a request that does not depend on the current state, checked before it
 * queues: table, role, scenario, size, idempotency (a fast path; re-checked in the transaction),
 * the row schema, duplicate keys, linked keys, allowed values from sources, and row filters on
 * linked-source columns. Returns the prepared request, or the final result.
 */
export async function prepareRequest(
  ctx: WriteContext,
  op: PreparedRequest['op'],
  tableName: string,
  rows: unknown,
  opts: WriteOptions,
): Promise<PreparedRequest | WriteResult> {
  const input = Object.hasOwn(ctx.project.inputs, tableName) ? ctx.project.inputs[tableName] : undefined;
  if (!input) return failure('not_found', `unknown input table '${tableName}'`);
  if (typeof opts.user !== 'string' || opts.user.length === 0) return failure('bad_request', 'a user is required to write');
  const badText = textFieldProblem({ user: opts.user, comment: opts.comment, request_id: opts.requestId });
  if (badText) return badText;
  const denied = checkPermission(input, opts, op === 'delete' ? 'delete' : 'write');
  if (op === 'reset' && (opts.scenario ?? 'base') === 'base') return failure('bad_request', "reset removes a scenario's override; 'base' has no parent to follow");
  if (denied) return { ok: false, error: denied };
  const scenario = opts.scenario ?? 'base';
  const invalidScenario = checkScenarioName(scenario);
  if (invalidScenario) return { ok: false, error: invalidScenario };
  if (scenario !== 'base' && !input.scenarios)
    return failure('bad_request', `${input.name} has no scenarios (declare \`scenarios: true\`); write scenario 'base'`);
  if (!Array.isArray(rows)) return failure('bad_request', 'rows must be an array of objects');
  if (rows.length === 0) return failure('bad_request', 'no rows given');
  if (rows.length > ctx.maxBatchRows)
    return failure('payload_too_large', `${rows.length} rows in one batch; at most ${ctx.maxBatchRows} allowed`);

  const comment = opts.comment ?? null;
  const requestId = opts.requestId ?? null;
  let hash: string | null = null;
  // only rows of scalar values can pass the checks below (each value is checked against its
  // column's type there, by row and column): others are not looked up, nor hashed (a body may
  // nest values as deep as the JSON parser allows)
  if (requestId !== null && rows.every(isFlatRow)) {
    hash = payloadHash({ table: input.name, op, scenario, user: opts.user, comment, rows });
    const record = (await findIdempotency(ctx.reader, ctx.names, [scopedIdempotencyKey(opts.user, requestId)])).values().next().value;
    if (record) return replayOrReject(record, hash, requestId);
  }

  const details: ErrorDetail[] = [];
  const parsed: ParsedRow[] = [];
  const positions: number[] = [];
  const keys: Canonical[][] = [];
  const seen = new Map<string, number>();
  const keyCols = input.key;
  const keySet = new Set(keyCols);
  const singleKey = keyCols.length === 1 ? keyCols[0]! : undefined;
  for (let i = 0; i < rows.length; i++) {
    let row = parseValidRow(input, rows[i]);
    if (!row) {
      const result = parseRow(input, rows[i], i);
      if (!result.row) {
        details.push(...result.details);
        continue;
      }
      row = result.row;
    }
    let keyOk = true;
    for (const k of keyCols) {
      const v = row.values[k];
      if (v === undefined || v === null) {
        keyOk = false;
        details.push({ row: i, column: k, message: `key column '${k}' is required` });
      }
    }
    if (op !== 'upsert')
      for (const c of Object.keys(row.values))
        if (!keySet.has(c)) details.push({ row: i, column: c, message: `a delete takes only the key (${keyCols.join(', ')}) and _version` });
    if (!keyOk) continue;
    // one key column: its (non-null) value identifies the row; several: the JSON of the tuple
    const key = singleKey !== undefined ? [row.values[singleKey] ?? null] : keyCols.map((k) => row.values[k] ?? null);
    const id = singleKey !== undefined ? key[0]! : JSON.stringify(key);
    const first = seen.get(id);
    if (first !== undefined) details.push({ row: i, message: `duplicate key in the batch (same as row ${first})` });
    else seen.set(id, i);
    parsed.push(row);
    keys.push(key);
    positions.push(i);
  }
  const forbidden: ErrorDetail[] = [];
  const unseen = new Set<number>();
  if (parsed.length > 0) {
    const found = await checkSources(ctx, input, op, parsed, positions, opts);
    details.push(...found.invalid);
    forbidden.push(...found.forbidden);
    for (const d of [...found.invalid, ...found.forbidden]) if (d.row !== undefined) unseen.add(d.row);
  }
  if (op === 'upsert') details.push(...(await checkRequired(ctx, input, scenario, parsed, keys, positions, opts, unseen)));
  if (details.length > 0) {
    details.sort((a, b) => (a.row ?? -1) - (b.row ?? -1));
    return failure('validation_failed', `${countRows(details)} row(s) failed validation`, details);
  }
  if (forbidden.length > 0)
    return failure('forbidden', `${countRows(forbidden)} row(s) are outside what role '${opts.role}' may write`, forbidden);
  return {
    op,
    input,
    scenario,
    actor: { user: opts.user, ...(opts.role !== undefined ? { role: opts.role } : {}), ...(opts.attributes ? { attributes: opts.attributes } : {}) },
    comment,
    requestId,
    idempotencyKey: requestId === null ? null : scopedIdempotencyKey(opts.user, requestId),
    effects: [],
    // every row passed its checks: rows of scalars, hashed above (the fallback keeps a request id's hash whatever column types come)
    payloadHash: requestId === null ? null : (hash ?? payloadHash({ table: input.name, op, scenario, user: opts.user, comment, rows })),
    dryRun: opts.dryRun === true,
    rows: parsed,
    keys,
  };
}

/**
 * Required columns: an explicit null is always an error; a missing value is an error for a row
 * that does not exist yet in `base` (and has no default). Existence is read here so the error
 * lists every row; the transaction checks again against the state it locks. A row the caller
 * cannot see (outside its row filter, or whose linked key it may not name: `unseen`) counts as
 * not existing, so the answer says nothing of it.
 */
async function checkRequired(
  ctx: WriteContext,
  input: InputTable,
  scenario: string,
  rows: ParsedRow[],
  keys: Canonical[][],
  positions: number[],
  actor: Actor,
  unseen: ReadonlySet<number>,
): Promise<ErrorDetail[]> {
  const details: ErrorDetail[] = [];
  const scope = rowScope(input, actor);
  const required = input.columns.filter((c) => c.required && !input.key.includes(c.name));
  const missing: { i: number; cols: string[] }[] = [];
  if (required.length === 0) return details;
  for (let i = 0; i < rows.length; i++) {
    const values = rows[i]!.values;
    let absent: string[] | undefined;
    for (const c of required) {
      if (!(c.name in values)) {
        if (c.default === undefined || c.default === null) (absent ??= []).push(c.name);
      } else if (values[c.name] === null) details.push({ row: positions[i]!, column: c.name, message: `'${c.name}' is required and cannot be null` });
    }
    if (absent && scenario === 'base') missing.push({ i, cols: absent });
  }
  for (let start = 0; start < missing.length; start += 200) {
    const chunk = missing.slice(start, start + 200);
    const found = await loadCurrentRows(ctx.reader, ctx.names, input, chunk.map(({ i }) => ({ scenario, key: keys[i]! })), '');
    for (const { i, cols } of chunk) {
      const cur = found.get(stateKey(scenario, keys[i]!));
      if (cur && !cur.deleted && !unseen.has(positions[i]!) && scope.admits((f) => cur.values[input.columns.findIndex((c) => c.name === f.column)] ?? null, 'input')) continue;
      for (const c of cols) details.push({ row: positions[i]!, column: c, message: `'${c}' is required` });
    }
  }
  return details;
}

/**
 * The rows of a prepared request that are outside `actor`'s row filters on linked-source columns
 * (an approval checks the approver's; filters on input columns are checked in the transaction).
 */
export async function sourceFilterProblems(ctx: WriteContext, req: PreparedRequest, actor: Actor): Promise<ErrorDetail[]> {
  if (rowScope(req.input, actor).onSource.length === 0) return [];
  // as for a delete: only the filters (the rows' values were checked when they were proposed)
  return (await checkSources(ctx, req.input, 'delete', req.rows, req.rows.map((_, i) => i), actor)).forbidden;
}

/**
 * Linked keys exist and are in the caller's scope, and values come from their source columns.
 * A linked row outside the caller's row filter on source columns is, to the caller, a row that
 * does not exist: both get the same answer (422 naming the key, nothing about the row); so is a
 * value taken from rows of the linked source outside the filter (the form does not offer it
 * either: src/library/source-values.ts places the filter the same way).
 */
async function checkSources(
  ctx: WriteContext,
  input: InputTable,
  op: PreparedRequest['op'],
  rows: ParsedRow[],
  positions: number[],
  opts: Actor,
): Promise<{ invalid: ErrorDetail[]; forbidden: ErrorDetail[] }> {
  const details: ErrorDetail[] = [];
  const forbidden: ErrorDetail[] = [];
  const scope = rowScope(input, opts);
  const sourceFilters = scope.onSource.map((b) => b.filter);
  const link = input.linksTo;
  if (link && (op === 'upsert' || sourceFilters.length > 0)) {
    const inputCols = Object.keys(link.on);
    const sourceCols = inputCols.map((c) => link.on[c]!);
    const tuples = rows.map((r) => inputCols.map((c) => r.values[c] ?? ''));
    const found = await lookupTuples(
      ctx.reader,
      ctx.names.source(link.source, link.table),
      sourceCols,
      tuples.filter((t) => t.every((v) => v !== '')),
      sourceFilters.map((f) => f.column),
    );
    const named = (t: string[]) => inputCols.map((c, j) => `${c} '${t[j]}'`).join(', ');
    rows.forEach((r, i) => {
      const t = tuples[i]!;
      if (t.some((v) => v === '')) return;
      const extra = found.get(JSON.stringify(t));
      const inScope = extra !== undefined && scope.admits((f) => extra[sourceFilters.indexOf(f)], 'source');
      if (inScope) return;
      const message =
        sourceFilters.length > 0 ? `${named(t)} is not a row of ${link.source}.${link.table} that you may write` : `${named(t)} does not exist in ${link.source}.${link.table}`;
      // a write names a row to create or change (422); a delete or an approval only needs the scope (403)
      (op === 'upsert' ? details : forbidden).push({ row: positions[i]!, column: inputCols[0]!, message });
    });
  }
  if (op === 'upsert') {
    for (const col of input.columns) {
      const allowed = col.allowedValues;
      if (!allowed || Array.isArray(allowed)) continue;
      const values = rows.map((r) => r.values[col.name]).filter((v): v is string => typeof v === 'string');
      if (values.length === 0) continue;
      const fromLink = link !== undefined && allowed.source === link.source && allowed.table === link.table;
      const scoped = fromLink ? (params: SqlValue[], alias: string) => scope.where(ctx.names.dialect, params, onSourceRows(input, ctx.names.dialect, alias)) : undefined;
      const found = await lookupTuples(ctx.reader, ctx.names.source(allowed.source, allowed.table), [allowed.column], values.map((v) => [v]), [], scoped);
      rows.forEach((r, i) => {
        const v = r.values[col.name];
        if (typeof v === 'string' && !found.has(JSON.stringify([v])))
          details.push({ row: positions[i]!, column: col.name, message: `'${v}' is not a value of ${allowed.source}.${allowed.table}.${allowed.column}` });
      });
    }
  }
  return { invalid: details, forbidden };
}

/** A row object whose values are all scalars (or null). */
function isFlatRow(row: unknown): boolean {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return false;
  for (const value of Object.values(row)) if (value !== null && typeof value === 'object') return false;
  return true;
}
