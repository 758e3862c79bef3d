import type { Adapter, SqlValue } from '../adapters/adapter.js';
import { WarehouseError } from '../adapters/warehouse-error.js';
import { logColumns } from '../managed/tables.js';
import { logTableName, IDEMPOTENCY_TABLE } from '../managed/names.js';
import { type ManagedColumn } from '../managed/columns.js';
import type { InputTable } from '../ir/types.js';
import { advanceChainHead, type ChainHead, lockChainHead, readChainHead } from './chain-head.js';
import { appendedLogSql, entriesValuesSql, type StateKeys, updatesExistingOnly, upsertStateSql } from './commit-sql.js';
import { findIdempotency, replayOrReject } from './idempotency.js';
import { canonicalEntryText, entryHash, type LogEntry } from './log-entry.js';
import { type LogOp, STATE_OPS } from '../managed/log-ops.js';
import { levelsOf, type PlannedEntry, planRequest, writtenResult } from './plan-request.js';
import type { SqlNames } from '../managed/sql-names.js';
import { appendRows, type StageValue } from './stage-rows.js';
import { loadCurrentRows } from './state-lookup.js';
import type { WriteResult } from './types.js';
import { uuidv7 } from './uuid-v7.js';
import type { CurrentRow, PreparedRequest } from './write-request.js';
import type { WritePolicy } from './write-policy.js';

/**
 * What a table's writer remembers between groups (single-process shortcuts; a miss is safe:
 * a stale head is caught by the chain-head lock where writers lock first, else by the
 * compare-and-swap — both before anything is written —, an id recorded by another writer fails
 * its unique key (dialects without enforced keys always look ids up), and the group is then
 * decided again with `checkAllIds` and a fresh head).
 */
export interface WriterMemory {
  /** The chain head this writer committed last; undefined = read it in the transaction. */
  head?: ChainHead;
  /** Request ids this writer recorded; only these (or all, with `checkAllIds`) are looked up again in the transaction. */
  recentIds: Set<string>;
  checkAllIds: boolean;
}

/** A committed group: each request's result, the new chain head, the request ids recorded. */
export interface GroupOutcome {
  results: WriteResult[];
  head: ChainHead;
  recordedIds: string[];
}

/** Up to this many entries, the state upsert binds their values instead of re-reading the log. */
const SMALL_BATCH = 32;

/** Per-connection staging facts of one input: its temporary key table and the log's physical layout. */
export interface StageTables {
  keys: string;
  logLayout?: LogLayout;
}

/** The log table's physical columns, and for each the index of its value in a `stageRow` (-1: none, null). */
export interface LogLayout {
  columns: ManagedColumn[];
  from: number[];
  identity: boolean;
}

/**
 * Map the log's physical column order (a column added later is last; a column removed from the
 * project stays in the log) onto `logColumns(input)` order, so the Appender writes by position safely.
 */
export function logLayout(input: InputTable, physical: string[]): LogLayout {
  const logical = logColumns(input);
  const index = new Map(logical.map((c, i) => [c.name, i]));
  const missing = logical.filter((c) => !physical.includes(c.name)).map((c) => c.name);
  if (missing.length > 0) throw new Error(`the log of ${input.name} lacks column(s) ${missing.join(', ')}: run \`writeback apply\` first`);
  const from = physical.map((name) => index.get(name) ?? -1);
  const columns = physical.map(
    (name, i): ManagedColumn => logical[from[i]!] ?? { name, type: { kind: 'system', type: 'string' }, nullable: true, description: '' },
  );
  return { columns, from, identity: from.every((j, i) => j === i) && physical.length === logical.length };
}

/**
 * Decide and commit a group of requests of one table in ONE transaction: read the chain head and
 * the current rows, decide each request on its own (a conflict or replay affects only that request),
 * advance the chain head by compare-and-swap over every accepted entry, then insert the log, upsert
 * the state and record idempotency. Returns each request's result (only valid once committed).
 *
 * The head moves before anything is appended, by every writer: a stale head fails the
 * compare-and-swap (`ChainMovedError`, a conflict) before anything is written, and once it has
 * moved no other writer can append to this log until the transaction ends (under READ COMMITTED
 * the others wait on the head row, then miss; under snapshot isolation the warehouse aborts one of
 * two writers of the row). So the log entries with `_seq` in (read head, new head] are exactly this
 * transaction's, whatever another writer committed before — the bulk state upsert reads those.
 */
export async function commitGroup(
  tx: Adapter,
  names: SqlNames,
  input: InputTable,
  stages: StageTables,
  requests: PreparedRequest[],
  atMs: number,
  memory: WriterMemory,
  policy: WritePolicy,
): Promise<GroupOutcome> {
  const at = new Date(atMs).toISOString();
  // warehouses where writers of other processes must queue on the chain-head row (Postgres, Snowflake)
  // lock it first; the lock also tells whether the head this writer committed last is still current
  let cached = memory.head;
  if (names.dialect.lockChainHeadFirst && !(await lockChainHead(tx, names, input.name, cached))) cached = undefined;
  const head = cached ?? (await readChainHead(tx, names, input.name));
  // without an enforced unique key on request ids, every id is looked up again here
  const checkAll = memory.checkAllIds || names.dialect.primaryKeys !== 'enforced';
  const ids = requests.map((r) => r.idempotencyKey).filter((id): id is string => id !== null && (checkAll || memory.recentIds.has(id)));
  const recorded = await findIdempotency(tx, names, ids);
  const wanted = requests.flatMap((r) => levelsOf(r).flatMap((scenario) => r.keys.map((key) => ({ scenario, key }))));
  const stored = await loadCurrentRows(tx, names, input, wanted, stages.keys);
  const overlay = new Map<string, CurrentRow>();
  const current = (k: string) => overlay.get(k) ?? stored.get(k);
  const grouped = requests.length > 1;

  const results: WriteResult[] = [];
  const entries: LogEntry[] = [];
  /** The entries that change the state (proposals and rejections only go to the log), split by whether their key had a state row. */
  const stateEntries: LogEntry[] = [];
  const existingEntries: LogEntry[] = [];
  const newEntries: LogEntry[] = [];
  const existingKeys = new Set<string>();
  const newRecords: { req: PreparedRequest; result: WriteResult }[] = [];
  const touched = new Set<string>();
  let dedupe = false;
  let allNew = true;
  let allExisting = true;
  let seq = head.seq;
  let prev: string | null = head.head === '' ? null : head.head;

  for (const req of requests) {
    const earlier = req.idempotencyKey !== null ? recorded.get(req.idempotencyKey) : undefined;
    if (earlier) {
      results.push(replayOrReject(earlier, req.payloadHash ?? '', req.requestId ?? ''));
      continue;
    }
    const plan = planRequest(req, current);
    if (!plan.ok) {
      results.push(plan);
      continue;
    }
    // an unchanged row is answered (with its current version) but gets no entry
    const ids = plan.entries.map((p) => (p.op === 'unchanged' ? null : uuidv7(atMs)));
    // a proposal is logged with the version it was based on, and leaves the state alone
    const answered = req.propose ? plan.entries.map((p) => ({ ...p, version: p.version - 1 })) : plan.entries;
    // the result's entries are built only when read (see writtenResult)
    let result: WriteResult = writtenResult(input, req.keys, answered, ids, at, req.dryRun);
    if (req.dryRun && req.propose) result = { ...result, entries: [], needsApproval: true };
    if (!req.dryRun && req.effects.length > 0) result = (await policy.commitEffects(tx, names, req, result.ok ? result.entries : [], at)) ?? result;
    results.push(result);
    if (req.dryRun || !result.ok) continue;
    answered.forEach((p, i) => {
      const id = ids[i];
      if (!id) return;
      const entry = toLogEntry(input, req, p, id, ++seq, atMs, prev);
      entries.push(entry);
      prev = entry.hash;
      if (!STATE_OPS.includes(entry.op)) return;
      stateEntries.push(entry);
      if (stored.has(p.stateKey)) {
        allNew = false;
        existingEntries.push(entry);
        existingKeys.add(p.stateKey);
      } else {
        allExisting = false;
        newEntries.push(entry);
      }
      if (!grouped) return;
      if (touched.has(p.stateKey)) dedupe = true;
      touched.add(p.stateKey);
      overlay.set(p.stateKey, {
        version: p.version,
        deleted: p.op === 'delete',
        values: p.values,
        setColumns: p.setColumns,
        updatedBy: entry.user,
        updatedAtMs: atMs,
        ...(p.deletedValues ? { deletedValues: p.deletedValues } : {}),
      });
    });
    if (req.idempotencyKey !== null) {
      newRecords.push({ req, result });
      recorded.set(req.idempotencyKey, { requestId: req.idempotencyKey, payloadHash: req.payloadHash ?? '', result });
    }
  }

  const next: ChainHead = { seq, head: prev ?? '' };
  if (entries.length > 0) {
    await advanceChainHead(tx, names, input.name, head, next, atMs);
    const layout = stages.logLayout ?? logLayout(input, logColumns(input).map((c) => c.name));
    await appendRows(tx, { schema: names.inputsSchema, table: logTableName(input.name) }, layout.columns, {
      count: entries.length,
      value: (r, c) => {
        const j = layout.from[c]!;
        return j < 0 ? null : entryField(entries[r]!, j);
      },
    });
    if (stateEntries.length > 0) {
      const keys = allNew ? 'new' : allExisting ? 'existing' : 'mixed';
      const distinct = grouped ? touched.size : stateEntries.length;
      const write = (source: StateSource, keys: StateKeys, distinct: number) => writeState(tx, names, input, source, dedupe, keys, distinct);
      if (stateEntries.length > SMALL_BATCH) await write({ seqAfter: head.seq, seqTo: next.seq }, keys, distinct);
      else if (keys === 'mixed' && names.dialect.splitMixedUpsert) {
        await write(existingEntries, 'existing', existingKeys.size);
        await write(newEntries, 'new', 0);
      } else await write(stateEntries, keys, distinct);
    }
  }
  // a request that changed nothing is recorded too: its retry must replay, not write what it finds then
  if (newRecords.length > 0) await recordIdempotency(tx, names, input, newRecords, atMs);
  return { results, head: next, recordedIds: newRecords.map(({ req }) => req.idempotencyKey!) };
}

/** The state-changing entries of a group: in memory (a small group, bound as values), or this transaction's `_seq` range of the log. */
type StateSource = LogEntry[] | { seqAfter: number; seqTo: number };

/**
 * Write the state rows of `source` in one statement. An update changes exactly the rows read in
 * this transaction, one per key (`distinct`); fewer means a state row went away meanwhile: the
 * group is decided again on fresh reads rather than a write lost.
 */
async function writeState(tx: Adapter, names: SqlNames, input: InputTable, source: StateSource, dedupe: boolean, keys: StateKeys, distinct: number): Promise<void> {
  const params: SqlValue[] = [];
  const relation = Array.isArray(source) ? entriesValuesSql(names, input, source, params) : appendedLogSql(names, input);
  if (!Array.isArray(source)) params.push(BigInt(source.seqAfter), BigInt(source.seqTo));
  const changed = await tx.execute(upsertStateSql(names, input, relation, dedupe, keys), params);
  if (updatesExistingOnly(names, keys) && changed !== distinct)
    throw new WarehouseError('conflict', `the state of ${input.name} changed during the write (${changed} of ${distinct} rows updated)`);
}

/** The op a planned entry is logged as: a proposal's upserts and deletes become `propose_*`. */
function loggedOp(req: PreparedRequest, p: PlannedEntry): LogOp {
  if (p.op === 'unchanged') throw new Error('an unchanged row is never logged');
  if (!req.propose) return p.op;
  return p.op === 'delete' ? 'propose_delete' : 'propose_upsert';
}

function toLogEntry(input: InputTable, req: PreparedRequest, p: PlannedEntry, entryId: string, seq: number, atMs: number, prevHash: string | null): LogEntry {
  const e: LogEntry = {
    entryId,
    seq,
    op: loggedOp(req, p),
    scenario: req.scenario,
    version: p.version,
    user: req.loggedBy ?? req.actor.user,
    atMs,
    setColumns: p.setColumns,
    oldValues: p.oldValues,
    requestId: req.requestId,
    comment: req.comment,
    prevHash,
    hash: '',
    values: p.values,
  };
  e.hash = entryHash(prevHash, canonicalEntryText(input, e));
  return e;
}

/** Value of a log entry's j-th column in `logColumns` order (13 system columns, then the user columns). */
function entryField(e: LogEntry, j: number): StageValue {
  switch (j) {
    case 0: return e.entryId;
    case 1: return e.seq;
    case 2: return e.op;
    case 3: return e.scenario;
    case 4: return e.version;
    case 5: return e.user;
    case 6: return e.atMs;
    case 7: return e.setColumns;
    case 8: return e.oldValues;
    case 9: return e.requestId;
    case 10: return e.comment;
    case 11: return e.prevHash;
    case 12: return e.hash;
    default: return e.values[j - 13] ?? null;
  }
}

async function recordIdempotency(tx: Adapter, names: SqlNames, input: InputTable, records: { req: PreparedRequest; result: WriteResult }[], atMs: number): Promise<void> {
  const d = names.dialect;
  // ≤ 300 records (1,800 parameters) per statement: under every warehouse's parameter limit
  for (let start = 0; start < records.length; start += 300) {
    const params: SqlValue[] = [];
    const tuples = records.slice(start, start + 300).map(({ req, result }) => {
      params.push(req.idempotencyKey, input.name, req.payloadHash ?? '', req.actor.user, JSON.stringify(result), new Date(atMs));
      const base = params.length - 6;
      return `(${[1, 2, 3, 4, 5, 6].map((i) => d.param(base + i)).join(', ')})`;
    });
    await tx.execute(
      `insert into ${names.meta(IDEMPOTENCY_TABLE)} (${['request_id', 'table_name', 'payload_hash', 'user_name', 'result', 'created_at'].map(names.id).join(', ')}) values ${tuples.join(', ')}`,
      params,
    );
  }
}
