import type { Adapter } from '../adapters/adapter.js';
import type { SqlNames } from '../managed/sql-names.js';
import { isoFromDb } from '../rules/wire-values.js';
import { META_TABLES } from '../managed/meta-tables.js';
import { PENDING_TABLE } from '../managed/names.js';

/** A write waiting for approval, or a decided one. */
export interface PendingChange {
  id: string;
  table: string;
  scenario: string;
  op: 'upsert' | 'delete';
  /** The rows as sent (wire shape, without `_version`). */
  rows: Record<string, unknown>[];
  /** Each row's `_version` when proposed (0 = did not exist). */
  versions: number[];
  proposedBy: string;
  proposedRole: string | null;
  proposedAttributes: Record<string, string>;
  proposedAt: string;
  comment: string | null;
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: string | null;
  decidedAt: string | null;
  decisionComment: string | null;
  /** Log entries of the decision (`upsert`/`delete` on approval, `reject` on rejection). */
  entryIds: string[] | null;
  /** Log entries of the proposal (`propose_upsert` / `propose_delete`); the change's id is the first one's. */
  proposalEntryIds: string[] | null;
  /** Idempotency key of the proposing request (a retry returns this change). */
  requestId?: string | null;
}

/** The columns of `_wb_pending`, from the catalog, each quoted (`rows` is a reserved word on Snowflake and BigQuery). */
function columns(d: SqlNames['dialect']): string {
  const table = META_TABLES.find((t) => t.name === PENDING_TABLE)!;
  return table.columns.map((c) => d.quoteIdent(c.name)).join(', ');
}

function fromRow(r: Record<string, unknown>): PendingChange {
  return {
    id: String(r.pending_id),
    table: String(r.table_name),
    scenario: String(r.scenario),
    op: r.op === 'delete' ? 'delete' : 'upsert',
    rows: JSON.parse(String(r.rows)) as Record<string, unknown>[],
    versions: JSON.parse(String(r.versions)) as number[],
    proposedBy: String(r.proposed_by),
    proposedRole: r.proposed_role == null ? null : String(r.proposed_role),
    proposedAttributes: JSON.parse(String(r.proposed_attributes)) as Record<string, string>,
    proposedAt: isoFromDb(r.proposed_at) ?? '',
    comment: r.comment == null ? null : String(r.comment),
    status: String(r.status) as PendingChange['status'],
    decidedBy: r.decided_by == null ? null : String(r.decided_by),
    decidedAt: isoFromDb(r.decided_at),
    decisionComment: r.decision_comment == null ? null : String(r.decision_comment),
    entryIds: r.entry_ids == null ? null : (JSON.parse(String(r.entry_ids)) as string[]),
    requestId: r.request_id == null ? null : String(r.request_id),
    proposalEntryIds: r.proposal_entry_ids == null ? null : (JSON.parse(String(r.proposal_entry_ids)) as string[]),
  };
}

/** Record a new pending change (inside the transaction that logs its proposal). */
export async function insertPending(tx: Adapter, names: SqlNames, p: PendingChange): Promise<void> {
  const d = names.dialect;
  await tx.execute(
    `insert into ${names.meta(PENDING_TABLE)} (${columns(d)}) values (${Array.from({ length: 13 }, (_, i) => d.param(i + 1)).join(', ')}, null, null, null, null, ${d.param(14)}, ${d.param(15)})`,
    [
      p.id,
      p.table,
      p.scenario,
      p.op,
      JSON.stringify(p.rows),
      JSON.stringify(p.versions),
      p.rows.length,
      p.proposedBy,
      p.proposedRole,
      JSON.stringify(p.proposedAttributes),
      new Date(p.proposedAt),
      p.comment,
      'pending',
      p.requestId ?? null,
      p.proposalEntryIds ? JSON.stringify(p.proposalEntryIds) : null,
    ],
  );
}

/** One pending change by id (any status). */
export async function getPending(reader: Adapter, names: SqlNames, id: string): Promise<PendingChange | undefined> {
  const d = names.dialect;
  const rows = await reader.query(`select ${columns(d)} from ${names.meta(PENDING_TABLE)} where ${d.quoteIdent('pending_id')} = ${d.param(1)}`, [id]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** Changes of a table, oldest first; `status` default `pending`, `all` for every status. */
export async function listPending(reader: Adapter, names: SqlNames, table: string, status: PendingChange['status'] | 'all' = 'pending'): Promise<PendingChange[]> {
  const d = names.dialect;
  const params: string[] = [table];
  const q = (c: string) => d.quoteIdent(c);
  let where = `${q('table_name')} = ${d.param(1)}`;
  if (status !== 'all') {
    params.push(status);
    where += ` and ${q('status')} = ${d.param(2)}`;
  }
  const rows = await reader.query(`select ${columns(d)} from ${names.meta(PENDING_TABLE)} where ${where} order by ${q('proposed_at')}, ${q('pending_id')}`, params);
  return rows.map(fromRow);
}

/** Mark a pending change decided (inside the transaction that logs the decision); false when it was no longer pending (someone else decided first). */
export async function decidePending(
  tx: Adapter,
  names: SqlNames,
  id: string,
  decision: { status: 'approved' | 'rejected'; by: string; comment: string; at: string; entryIds: string[] },
): Promise<boolean> {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const n = await tx.execute(
    `update ${names.meta(PENDING_TABLE)} set ${q('status')} = ${d.param(1)}, ${q('decided_by')} = ${d.param(2)}, ${q('decided_at')} = ${d.param(3)}, ` +
      `${q('decision_comment')} = ${d.param(4)}, ${q('entry_ids')} = ${d.param(5)} where ${q('pending_id')} = ${d.param(6)} and ${q('status')} = ${d.literal('pending')}`,
    [decision.status, decision.by, new Date(decision.at), decision.comment, JSON.stringify(decision.entryIds), id],
  );
  return n > 0;
}

