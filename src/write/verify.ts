import type { Adapter, SqlValue } from '../adapters/adapter.js';
import { LOG_SYSTEM_COLUMNS, STATE_KEY_COLUMN, stateKeySourceColumns } from '../managed/tables.js';
import { logTableName } from '../managed/names.js';
import type { ColumnType, InputTable } from '../ir/types.js';
import { canonicalEntryText, entryHash } from './log-entry.js';
import { chainHeadRows } from './chain-head.js';
import { logOpFromDb } from '../managed/log-ops.js';
import { wireKey } from './plan-request.js';
import type { SqlNames } from '../managed/sql-names.js';
import { logReplaySql } from './state-relation.js';
import type { VerifyProblem, VerifyReport } from './types.js';
import { canonicalFromDb } from '../rules/wire-values.js';

/** At most this many problems are reported per table and kind. */
const MAX_PROBLEMS = 50;
/** Log entries read per query while checking the chain. */
const VERIFY_PAGE = 20_000;

/** Verify every given input: replay the log and compare with the state (drift), recompute the hash chain. */
export async function verifyTables(reader: Adapter, names: SqlNames, inputs: InputTable[]): Promise<VerifyReport> {
  const report: VerifyReport = { ok: true, tables: [], problems: [] };
  const described = await reader.describeSchemas([names.inputsSchema]);
  for (const input of inputs) {
    const log = described.find((t) => t.name === logTableName(input.name));
    const chain = await verifyChain(reader, names, withDroppedColumns(input, log?.columns ?? []));
    const drift = await verifyState(reader, names, input);
    report.tables.push({ table: input.name, entries: chain.entries, stateRows: drift.stateRows });
    report.problems.push(...chain.problems, ...drift.problems);
  }
  report.ok = report.problems.length === 0;
  return report;
}

/** Portable type of a column the project no longer declares, from its warehouse type name. */
function typeFromWarehouse(dataType: string): ColumnType {
  const t = dataType.toUpperCase();
  const dec = /^(DECIMAL|NUMERIC)\((\d+),\s*(\d+)\)/.exec(t);
  if (dec) return { kind: 'decimal', precision: Number(dec[2]), scale: Number(dec[3]) };
  if (/^(BIGINT|INTEGER|INT|INT64|SMALLINT|HUGEINT)/.test(t)) return { kind: 'integer' };
  if (/^(DOUBLE|FLOAT|REAL)/.test(t)) return { kind: 'number' };
  if (t.startsWith('BOOL')) return { kind: 'boolean' };
  if (t === 'DATE') return { kind: 'date' };
  if (t.startsWith('TIMESTAMP')) return { kind: 'timestamp' };
  return { kind: 'string' };
}

/**
 * The input with the user columns its log still has but the project dropped (a log keeps every
 * column it ever had, and old entries hashed their values), so the chain check sees them.
 */
function withDroppedColumns(input: InputTable, logColumns: { name: string; dataType: string }[]): InputTable {
  const known = new Set([...input.columns.map((c) => c.name), ...LOG_SYSTEM_COLUMNS.map((c) => c.name)]);
  const extra = logColumns.filter((c) => !known.has(c.name));
  if (extra.length === 0) return input;
  return {
    ...input,
    columns: [...input.columns, ...extra.map((c) => ({ name: c.name, type: typeFromWarehouse(c.dataType), required: false, loc: input.loc }))],
  };
}

async function verifyChain(reader: Adapter, names: SqlNames, input: InputTable): Promise<{ entries: number; problems: VerifyProblem[] }> {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const problems: VerifyProblem[] = [];
  let prev: string | null = null;
  let expectedSeq = 1;
  let count = 0;
  // page through the log by _seq so a large log never sits in memory at once
  let afterSeq = -1;
  let afterId = '';
  while (problems.length < MAX_PROBLEMS) {
    const rows = await reader.query(
      // `_seq >= last` first, so that an index on (_seq, _entry_id) bounds each page's scan
      `select * from ${names.log(input.name)} where ${q('_seq')} >= ${d.param(2)} and (${q('_seq')} > ${d.param(1)} or ${q('_entry_id')} > ${d.param(3)}) ` +
        `order by ${q('_seq')}, ${q('_entry_id')} limit ${VERIFY_PAGE}`,
      [BigInt(afterSeq), BigInt(afterSeq), afterId],
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      if (problems.length >= MAX_PROBLEMS) break;
      count++;
      const seq = Number(r._seq);
      const entryId = String(r._entry_id);
      const e = {
        entryId,
        seq,
        op: logOpFromDb(r._op),
        scenario: String(r._scenario),
        version: Number(r._version),
        user: String(r._user),
        atMs: r._at instanceof Date ? r._at.getTime() : Date.parse(String(r._at)),
        setColumns: (r._set_columns as string | null) ?? null,
        oldValues: (r._old_values as string | null) ?? null,
        requestId: (r._request_id as string | null) ?? null,
        comment: (r._comment as string | null) ?? null,
        values: input.columns.map((c) => canonicalFromDb(c.type, r[c.name])),
      };
      const storedPrev = (r._prev_hash as string | null) ?? null;
      const broken = (message: string) => problems.push({ table: input.name, kind: 'broken-chain', message, entryId, seq });
      if (seq !== expectedSeq) broken(`entry ${entryId} has _seq ${seq}, expected ${expectedSeq} (an entry is missing or duplicated)`);
      if (storedPrev !== prev) broken(`entry ${entryId} (seq ${seq}) does not link to the previous entry's hash`);
      const recomputed = entryHash(storedPrev, canonicalEntryText(input, e));
      if (recomputed !== r._hash) broken(`entry ${entryId} (seq ${seq}) was modified after it was written: its content does not match its _hash`);
      prev = String(r._hash);
      expectedSeq = seq + 1;
      afterSeq = seq;
      afterId = entryId;
    }
  }
  const heads = await chainHeadRows(reader, names, input.name);
  const head = heads[0];
  const lastSeq = expectedSeq - 1;
  if (heads.length > 1 || ((count > 0 || head) && (!head || Number(head.seq) !== lastSeq || head.head !== (prev ?? ''))))
    problems.push({
      table: input.name,
      kind: 'chain-head-mismatch',
      message: `the chain head of ${input.name} in ${names.chainHead(input.name).label} (${heads.length > 1 ? `${heads.length} rows` : head ? `seq ${String(head.seq)}` : 'missing'}) does not match the last log entry (seq ${lastSeq}): entries were removed or added outside writeback`,
    });
  return { entries: count, problems };
}

async function verifyState(reader: Adapter, names: SqlNames, input: InputTable): Promise<{ stateRows: number; problems: VerifyProblem[] }> {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const params: SqlValue[] = [];
  const replay = logReplaySql(names, input, params);
  const compared = [...input.columns.map((c) => c.name), '_version', '_deleted', '_set_columns', '_updated_by', '_updated_at', '_entry_id', ...(d.stateKeyColumn ? [STATE_KEY_COLUMN.name] : [])];
  const keyCols = stateKeySourceColumns(input);
  const on = keyCols.map((c) => `r.${q(c)} = s.${q(c)}`).join(' and ');
  const differs = compared.map((c) => `r.${q(c)} is distinct from s.${q(c)}`).join(' or ');
  const sql =
    `select ${keyCols.map((c) => `coalesce(r.${q(c)}, s.${q(c)}) as ${q(c)}`).join(', ')}, ` +
    `r.${q('_entry_id')} as ${q('_wb_replayed')}, s.${q('_entry_id')} as ${q('_wb_stored')}, ` +
    `${compared.map((c) => `case when r.${q(c)} is distinct from s.${q(c)} then 1 else 0 end as ${q(`_wb_d_${c}`)}`).join(', ')} ` +
    `from ${replay} r full join ${names.state(input.name)} s on ${on} ` +
    `where r.${q('_entry_id')} is null or s.${q('_entry_id')} is null or ${differs} limit ${MAX_PROBLEMS}`;
  const rows = await reader.query(sql, params);
  const problems: VerifyProblem[] = rows.map((r) => {
    const key = wireKey(
      input,
      input.key.map((k) => canonicalFromDb(input.columns.find((c) => c.name === k)!.type, r[k])),
    );
    const scenario = String(r._scenario);
    const cols = compared.filter((c) => Number(r[`_wb_d_${c}`]) === 1);
    const message =
      r._wb_replayed === null
        ? `state row ${JSON.stringify(key)} (scenario ${scenario}) has no log entry`
        : r._wb_stored === null
          ? `log entries of ${JSON.stringify(key)} (scenario ${scenario}) have no state row`
          : `state row ${JSON.stringify(key)} (scenario ${scenario}) differs from the log in: ${cols.join(', ')}`;
    return { table: input.name, kind: 'state-drift', message, key, scenario };
  });
  const count = await reader.query<{ n: unknown }>(`select count(*) as n from ${names.state(input.name)}`);
  return { stateRows: Number(count[0]?.n ?? 0), problems };
}
