import type { Adapter } from '../adapters/adapter.js';
import type { SqlNames } from '../managed/sql-names.js';
import { isoFromDb } from '../rules/wire-values.js';
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

const COLUMNS =
  'pending_id, table_name, scenario, op, rows, versions, row_count, proposed_by, proposed_role, proposed_attributes, proposed_at, comment, status, decided_by, decided_at, decision_comment, entry_ids, request_id, proposal_entry_ids';

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
    `insert into ${names.meta(PENDING_TABLE)} (${COLUMNS}) values (${Array.from({ length: 13 }, (_, i) => d.param(i + 1)).join(', ')}, null, null, null, null, ${d.param(14)}, ${d.param(15)})`,
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
  const rows = await reader.query(`select ${COLUMNS} from ${names.meta(PENDING_TABLE)} where pending_id = ${names.dialect.param(1)}`, [id]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** Changes of a table, oldest first; `status` default `pending`, `all` for every status. */
export async function listPending(reader: Adapter, names: SqlNames, table: string, status: PendingChange['status'] | 'all' = 'pending'): Promise<PendingChange[]> {
  const d = names.dialect;
  const params: string[] = [table];
  let where = `table_name = ${d.param(1)}`;
  if (status !== 'all') {
    params.push(status);
    where += ` and status = ${d.param(2)}`;
  }
  const rows = await reader.query(`select ${COLUMNS} from ${names.meta(PENDING_TABLE)} where ${where} order by proposed_at, pending_id`, params);
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
  const n = await tx.execute(
    `update ${names.meta(PENDING_TABLE)} set status = ${d.param(1)}, decided_by = ${d.param(2)}, decided_at = ${d.param(3)}, decision_comment = ${d.param(4)}, entry_ids = ${d.param(5)} ` +
      `where pending_id = ${d.param(6)} and status = 'pending'`,
    [decision.status, decision.by, new Date(decision.at), decision.comment, JSON.stringify(decision.entryIds), id],
  );
  return n > 0;
}

