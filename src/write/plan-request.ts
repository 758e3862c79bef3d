import { type RowScope, rowScope } from '../auth/row-filter.js';
import type { InputColumn, InputTable, RowFilter } from '../ir/types.js';
import { rowThroughChain } from './chain-row.js';
import { lockProblem, moveProblem } from '../rules/status-rules.js';
import { valueChecker } from '../rules/column-rules.js';
import { countRows, type ErrorDetail, failure } from '../rules/outcome.js';
import type { WireValue, WriteResult, WrittenEntry } from './types.js';
import { type Canonical, wireFromCanonical } from '../rules/wire-values.js';
import { type CurrentRow, type PreparedRequest, type Rejected, stateKey } from './write-request.js';

/** A log entry decided by `planRequest`, before the group assigns its chain position and hash. */
export interface PlannedEntry {
  stateKey: string;
  /** `unchanged`: an upsert that changes no value and no set column; it is neither logged nor applied. */
  op: 'upsert' | 'delete' | 'reset' | 'reject' | 'unchanged';
  version: number;
  values: Canonical[];
  setColumns: string | null;
  oldValues: string | null;
  /** A delete's row before it (what the tombstone holds the key for; see CurrentRow.deletedValues). */
  deletedValues?: Canonical[];
}

/** A request's decision: the entries to write, or why nothing is written. */
export type RequestPlan = { ok: true; entries: PlannedEntry[] } | Rejected;

/** Per-input facts precomputed once (this is the bulk path). */
interface TableShape {
  names: string[];
  markers: string[];
  quoted: string[];
  index: Map<string, number>;
  isKey: boolean[];
  required: boolean[];
  defaults: [number, Canonical][];
  /** Columns with a status workflow (transitions, initial statuses or locks) and their index. */
  status: { c: InputColumn; i: number }[];
  /** Set columns and old values texts by bit mask of columns (tables of at most 30 columns): rows that set the same columns share one string. */
  setTexts: Map<number, string | null>;
  newOldTexts: Map<number, string | null>;
}

/** Widest table whose column sets are kept as bit masks. */
const MASK_COLUMNS = 30;

/** `|a|b|` of the columns in `mask` (null for none), built once per mask. */
function setTextOf(shape: TableShape, mask: number): string | null {
  let text = shape.setTexts.get(mask);
  if (text === undefined) {
    text = mask === 0 ? null : `|${shape.names.filter((_, i) => (mask & (1 << i)) !== 0).join('|')}|`;
    shape.setTexts.set(mask, text);
  }
  return text;
}

/** Old values of a new row that sets the columns in `mask`: each was null before. */
function newOldTextOf(shape: TableShape, mask: number): string | null {
  let text = shape.newOldTexts.get(mask);
  if (text === undefined) {
    text = mask === 0 ? null : `{${shape.quoted.filter((_, i) => (mask & (1 << i)) !== 0).map((q) => `${q}:null`).join(',')}}`;
    shape.newOldTexts.set(mask, text);
  }
  return text;
}

const shapes = new WeakMap<InputTable, TableShape>();

function shapeOf(input: InputTable): TableShape {
  let shape = shapes.get(input);
  if (!shape) {
    const defaults: [number, Canonical][] = [];
    input.columns.forEach((col, i) => {
      if (col.default === undefined) return;
      const checked = valueChecker(col)(col.default);
      // validate refuses a default that breaks its column's rules, with the same checker
      if (!checked.ok) throw new Error(`the default of ${input.name}.${col.name} breaks its own rules: ${checked.message}`);
      defaults.push([i, checked.value]);
    });
    shape = {
      names: input.columns.map((c) => c.name),
      markers: input.columns.map((c) => `|${c.name}|`),
      quoted: input.columns.map((c) => JSON.stringify(c.name)),
      index: new Map(input.columns.map((c, i) => [c.name, i])),
      isKey: input.columns.map((c) => input.key.includes(c.name)),
      required: input.columns.map((c) => c.required),
      defaults,
      status: input.columns.flatMap((c, i) => (c.transitions || c.initial || c.locked ? [{ c, i }] : [])),
      setTexts: new Map(),
      newOldTexts: new Map(),
    };
    shapes.set(input, shape);
  }
  return shape;
}

/** The key of a row as wire values. */
export function wireKey(input: InputTable, key: Canonical[]): Record<string, WireValue> {
  let cols = keyColumns.get(input);
  if (!cols) {
    cols = input.key.map((k) => input.columns.find((c) => c.name === k)!);
    keyColumns.set(input, cols);
  }
  const out: Record<string, WireValue> = {};
  for (let i = 0; i < cols.length; i++) out[cols[i]!.name] = wireFromCanonical(cols[i]!.type, key[i] ?? null);
  return out;
}

const keyColumns = new WeakMap<InputTable, InputColumn[]>();

function wireValues(input: InputTable, values: Canonical[]): Record<string, WireValue> {
  const out: Record<string, WireValue> = {};
  input.columns.forEach((c, i) => (out[c.name] = wireFromCanonical(c.type, values[i] ?? null)));
  return out;
}

const json = (v: Canonical) => (v === null ? 'null' : JSON.stringify(v));

/** The rows a request may touch: the writer's row filter, and on an approval the approver's too. */
function scopeOf(req: PreparedRequest): RowScope {
  return rowScope(req.input, req.actor, req.reviewer);
}

/** How the scope reads a row's filtered (input) columns. */
function valuesOf(input: InputTable, values: readonly Canonical[]): (f: RowFilter) => Canonical | undefined {
  const index = shapeOf(input).index;
  return (f) => values[index.get(f.column)!] ?? null;
}

/**
 * Whether deciding a scenario write needs each key's row as the scenario's readers see it (through
 * its parent chain): a delete, row filters on input columns, and status transitions do; a plain
 * scenario upsert reads only the scenario's own rows (the hot path stays one lookup).
 */
function readsThroughChain(req: PreparedRequest): boolean {
  if (req.scenario === 'base' || req.op === 'reject') return false;
  return req.op === 'delete' || (req.op === 'upsert' && shapeOf(req.input).status.length > 0) || scopeOf(req).onInput.length > 0;
}

/** The scenarios whose state rows a request's decision reads, in the write transaction. */
export function levelsOf(req: PreparedRequest): readonly string[] {
  if (!readsThroughChain(req)) return [req.scenario];
  return req.chain ?? [req.scenario, 'base'];
}

/**
 * Decide one request against the current state (`current` sees earlier requests of the same
 * group; it holds every level of `levelsOf(req)` read in the transaction). Pure: checks `_version`
 * conflicts, row filters on input columns (current and new values), status transitions against
 * the row as seen through the scenario chain, required columns after the merge, and computes each
 * entry's row, set columns and old values (JSON of the changed columns' previous values). Any
 * problem rejects the whole request.
 */
export function planRequest(req: PreparedRequest, current: (key: string) => CurrentRow | undefined): RequestPlan {
  const { input } = req;
  const shape = shapeOf(input);
  const n = shape.names.length;
  // the row as the scenario's readers see it (levelsOf loaded every level wherever this is called)
  const levels = levelsOf(req);
  const seen = (key: Canonical[]) => rowThroughChain(input, levels, key, current);
  if (req.op === 'reject') return { ok: true, entries: rejectEntries(req, current) };
  const scope = scopeOf(req);
  const filtered = scope.onInput.length > 0;
  const admits = (values: readonly Canonical[]) => scope.admits(valuesOf(input, values), 'input');
  /** Whether a level of the chain holds the key for a row outside the scope (alive, as seen from that level, or deleted). */
  const heldOutside = (key: Canonical[]) =>
    levels.some((scenario, i) => {
      const row = current(stateKey(scenario, key));
      if (!row) return false;
      if (row.deleted) return !row.deletedValues || !admits(row.deletedValues);
      const through = rowThroughChain(input, levels.slice(i), key, current);
      return through !== undefined && !admits(through.values);
    });
  const conflicts: ErrorDetail[] = [];
  const forbidden: ErrorDetail[] = [];
  const invalid: ErrorDetail[] = [];
  const entries: PlannedEntry[] = [];
  const isBase = req.scenario === 'base';
  const given = new Array<boolean>(n);
  const isSet = new Array<boolean>(n);

  for (let r = 0; r < req.rows.length; r++) {
    const row = req.rows[r]!;
    const key = req.keys[r]!;
    const sk = stateKey(req.scenario, key);
    const cur = current(sk);
    // the row as its readers see it: in a scenario, through the parent chain
    const before = isBase ? (cur && !cur.deleted ? cur : undefined) : filtered || req.op === 'delete' || shape.status.length > 0 ? seen(key) : undefined;
    // a row outside the caller's row filter is, to the caller, a row that does not exist: no
    // answer may show its values, who wrote it, when, or its version. Seeing no row, the key may
    // still be held outside the filter: by a row alive further down the scenario chain (its values
    // would show through a write here) or by the tombstone of such a row (its versions would count
    // on) — then the caller learns only that the key is taken. Other tombstones are unseen too.
    const hidden = filtered && (before !== undefined ? !admits(before.values) : heldOutside(key));
    const shown = hidden || (filtered && cur?.deleted === true) ? undefined : cur;
    const alive = shown !== undefined && !shown.deleted;
    const curVersion = shown?.version ?? 0;
    // the next entry continues the key's real version, whatever the caller may see of it
    const nextVersion = (cur?.version ?? 0) + 1;
    if (row.expectedVersion !== undefined && row.expectedVersion !== curVersion && !(row.expectedVersion === 0 && !alive)) {
      const wk = JSON.stringify(wireKey(input, key));
      conflicts.push({
        row: r,
        message: alive
          ? `${input.name} ${wk} was changed by ${shown!.updatedBy} at ${new Date(shown!.updatedAtMs).toISOString()} (now version ${curVersion}; you sent ${row.expectedVersion})`
          : shown
            ? `${input.name} ${wk} was deleted by ${shown.updatedBy} at ${new Date(shown.updatedAtMs).toISOString()}`
            : `${input.name} ${wk} does not exist (version 0; you sent ${row.expectedVersion})`,
        key: wireKey(input, key),
        current: alive ? wireValues(input, shown!.values) : null,
        expected_version: row.expectedVersion,
        _version: curVersion,
        ...(shown ? { _updated_by: shown.updatedBy, _updated_at: new Date(shown.updatedAtMs).toISOString() } : {}),
      });
      continue;
    }
    if (hidden) {
      const wk = JSON.stringify(wireKey(input, key));
      // the one thing a caller learns of a row it cannot see: its key is taken (as with any unique key)
      if (req.op === 'upsert') forbidden.push({ row: r, message: `${input.name} ${wk} cannot be written by you` });
      else invalid.push({ row: r, message: req.op === 'reset' ? `${input.name} ${wk} has no override in scenario '${req.scenario}'` : `${input.name} ${wk} does not exist in scenario '${req.scenario}'` });
      continue;
    }
    // a status that locks the row (in base, the plan of record) binds every change of it, deletes included
    if (isBase && before && req.op !== 'reset')
      for (const { c, i } of shape.status) {
        const locked = lockProblem(c, req.actor.role, before.values[i] ?? null);
        if (locked) forbidden.push({ row: r, column: c.name, message: locked });
      }

    if (req.op === 'reset') {
      // a reset entry leaves a transparent state row (no set columns, not deleted): the key follows the parent again
      // (a tombstone over a parent row outside the caller's filter is a hidden key, answered above)
      if (!cur || (!cur.deleted && cur.setColumns === null)) {
        invalid.push({ row: r, message: `${input.name} ${JSON.stringify(wireKey(input, key))} has no override in scenario '${req.scenario}'` });
        continue;
      }
      // the row a reset leaves is the parent's: a filtered caller may not move a row out of its filter
      // this way either (and learns nothing of the parent's values: no column is named)
      if (filtered) {
        const after = rowThroughChain(input, levels.slice(1), key, current);
        if (after && !scope.admits(valuesOf(input, after.values), 'input')) {
          forbidden.push({ row: r, message: `${input.name} ${JSON.stringify(wireKey(input, key))} cannot be reset by you` });
          continue;
        }
      }
      const values: Canonical[] = new Array(n);
      let old = '';
      for (let i = 0; i < n; i++) {
        const v = cur.values[i] ?? null;
        values[i] = shape.isKey[i] ? v : null;
        if (!shape.isKey[i] && (cur.setColumns ?? '').includes(shape.markers[i]!)) old += `${old ? ',' : ''}${shape.quoted[i]}:${json(v)}`;
      }
      entries.push({ stateKey: sk, op: 'reset', version: nextVersion, values, setColumns: null, oldValues: `{${old}}` });
      continue;
    }

    if (req.op === 'delete') {
      // in a scenario, the row as seen through the chain: deleting a key that only an ancestor has (or
      // that a reset left following its parent) writes a tombstone that hides it there
      const visible = before;
      if (!visible) {
        invalid.push({ row: r, message: `${input.name} ${JSON.stringify(wireKey(input, key))} does not exist in scenario '${req.scenario}'` });
        continue;
      }
      const values: Canonical[] = new Array(n);
      let old = '';
      const curSet = visible.setColumns ?? '';
      for (let i = 0; i < n; i++) {
        const v = visible.values[i] ?? null;
        values[i] = shape.isKey[i] ? v : null;
        if (!shape.isKey[i] && (v !== null || curSet.includes(shape.markers[i]!))) old += `${old ? ',' : ''}${shape.quoted[i]}:${json(v)}`;
      }
      const version = nextVersion;
      entries.push({
        stateKey: sk,
        op: 'delete',
        version,
        values,
        setColumns: null,
        oldValues: `{${old}}`,
        deletedValues: visible.values.slice(),
      });
      continue;
    }

    const values: Canonical[] = alive ? cur!.values.slice() : new Array<Canonical>(n).fill(null);
    const curSet = alive ? (cur!.setColumns ?? '') : '';
    given.fill(false);
    for (let i = 0; i < n; i++) isSet[i] = alive && curSet.includes(shape.markers[i]!);
    const payload = row.values;
    for (const name in payload) given[shape.index.get(name)!] = true;
    if (!alive && isBase) for (const [i, v] of shape.defaults) if (!given[i]) (values[i] = v), (given[i] = true);
    let old = '';
    let setColumns = '';
    // narrow tables: the set columns (and a new row's old values) as a bit mask, their texts shared
    const masked = n <= MASK_COLUMNS;
    let setMask = 0;
    for (let i = 0; i < n; i++) {
      if (given[i]) {
        const name = shape.names[i]!;
        const value = name in payload ? (payload[name] ?? null) : values[i]!;
        const before = alive ? (cur!.values[i] ?? null) : null;
        // a key never changes on a row that exists (a reset row has none set: it is not a change either);
        // on a new row every given column changes from null (its text comes from the mask below)
        if (alive || !masked) {
          if ((!isSet[i] || before !== value) && !(alive && shape.isKey[i])) old += `${old ? ',' : ''}${shape.quoted[i]}:${json(before)}`;
        }
        values[i] = value;
        isSet[i] = true;
      }
      if (isSet[i]) {
        if (masked) setMask |= 1 << i;
        else setColumns += shape.markers[i]!.slice(setColumns === '' ? 0 : 1);
      }
      if (shape.required[i] && values[i] === null && (isBase || shape.names[i]! in payload))
        invalid.push({ row: r, column: shape.names[i]!, message: shape.names[i]! in payload ? `'${shape.names[i]}' is required and cannot be null` : `'${shape.names[i]}' is required` });
    }
    for (const { c, i } of shape.status) {
      // a status move is from the row as its readers see it (null: a new row) to the row after the write
      const from = before ? (before.values[i] ?? null) : null;
      const to = isBase || isSet[i] ? (values[i] ?? null) : from;
      const problem = moveProblem(c, req.actor.role, from, to);
      if (problem) (problem.kind === 'invalid' ? invalid : forbidden).push({ row: r, column: c.name, message: problem.message, from, to });
    }
    if (filtered) {
      // in a scenario, a column the scenario does not set is read from its parent chain
      const after = (f: RowFilter) => {
        const i = shape.index.get(f.column)!;
        return isBase || isSet[i] ? (values[i] ?? null) : (before?.values[i] ?? null);
      };
      for (const { filter: f, value: want } of scope.failing(after, 'input'))
        forbidden.push({ row: r, column: f.column, message: `${f.column} '${after(f)}' is outside your ${f.attribute} ('${want ?? 'not set'}')` });
    }
    const set = masked ? setTextOf(shape, setMask) : setColumns === '' ? null : setColumns;
    // a row that is written as it already is changes nothing: no entry, no new version (a
    // proposal is still recorded: it is the approver who decides)
    if (alive && old === '' && set === (cur!.setColumns ?? null) && !req.propose) {
      entries.push({ stateKey: sk, op: 'unchanged', version: cur!.version, values, setColumns: set, oldValues: null });
      continue;
    }
    const version = nextVersion;
    entries.push({
      stateKey: sk,
      op: 'upsert',
      version,
      values,
      setColumns: set,
      // a new row's set columns are exactly the columns it gives (defaults included), each null before
      oldValues: !alive && masked ? newOldTextOf(shape, setMask) : old === '' ? null : `{${old}}`,
    });
  }

  if (conflicts.length > 0)
    return failure('conflict', `${countRows(conflicts)} row(s) changed since the version they were based on; nothing was written`, conflicts);
  if (forbidden.length > 0) return failure('forbidden', `${countRows(forbidden)} row(s) are outside what role '${req.actor.role}' may write`, forbidden);
  if (invalid.length > 0) {
    const notFound = req.op !== 'upsert';
    return failure(
      notFound ? 'not_found' : 'validation_failed',
      notFound ? `${countRows(invalid)} key(s) do not exist; nothing was deleted` : `${countRows(invalid)} row(s) failed validation`,
      invalid,
    );
  }
  return { ok: true, entries };
}

/** A rejection of a pending change: one entry per key, state untouched, `_version` the row's current one. */
function rejectEntries(req: PreparedRequest, current: (key: string) => CurrentRow | undefined): PlannedEntry[] {
  const { input } = req;
  const isKey = shapeOf(input).isKey;
  return req.keys.map((key) => {
    const sk = stateKey(req.scenario, key);
    const cur = current(sk);
    const values = input.columns.map((_, i) => (isKey[i] ? (key[input.key.indexOf(input.columns[i]!.name)] ?? null) : null));
    return { stateKey: sk, op: 'reject', version: cur?.version ?? 0, values, setColumns: null, oldValues: null };
  });
}

/**
 * A successful result whose `entries` are built on first access (then kept): a bulk write's caller
 * that does not read them allocates no object per row. `entries` stays an ordinary enumerable
 * property in its usual place, so spreading or serializing the result reads it like any other.
 * Per entry only its id, version and op are kept until then (the keys are the request's).
 */
export function writtenResult(
  input: InputTable,
  keys: readonly Canonical[][],
  planned: readonly PlannedEntry[],
  entryIds: readonly (string | null)[],
  at: string,
  dryRun: boolean,
): Extract<WriteResult, { ok: true }> {
  const versions = planned.map((p) => p.version);
  const ops = planned.map((p) => p.op);
  let entries: WrittenEntry[] | undefined;
  const result: Extract<WriteResult, { ok: true }> = { ok: true, entries: [], at, replayed: false, dryRun };
  return Object.defineProperty(result, 'entries', {
    enumerable: true,
    configurable: true,
    get: () => (entries ??= versions.map((version, i) => ({ entryId: entryIds[i] ?? null, key: wireKey(input, keys[i]!), version, op: ops[i]! }))),
    set: (value: WrittenEntry[]) => {
      entries = value;
    },
  });
}
