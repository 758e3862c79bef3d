import type { Adapter } from '../adapters/adapter.js';
import type { InputTable, Scalar } from '../ir/types.js';
import type { SqlNames } from '../managed/sql-names.js';
import type { WireRow, WriteOptions, WriteResult } from '../write/types.js';
import { failure } from '../rules/outcome.js';
import { callWebhook, type WebhookOutcome } from './webhook.js';

/** Options of running an action: who, which keys, and the caller's confirmation. */
export interface ActionRunOptions extends WriteOptions {
  /** Rows holding the key columns of the selected rows. */
  keys: readonly unknown[];
  /** Required when the action declares `confirm: true` (unless `dryRun`). */
  confirm?: boolean;
}

/** The write's result, plus the webhook's outcome when one was called. */
export type ActionResult = (Extract<WriteResult, { ok: true }> & { webhook?: WebhookOutcome }) | Extract<WriteResult, { ok: false }>;

/** `today` / `now` and literal values of an action's `set`, for a date / timestamp column. */
function resolveValue(input: InputTable, column: string, value: Scalar, now: Date): Scalar {
  const type = input.columns.find((c) => c.name === column)?.type.kind;
  if (value === 'today' && type === 'date') return now.toISOString().slice(0, 10);
  if (value === 'now' && type === 'timestamp') return now.toISOString();
  if (typeof value === 'number' && type === 'decimal') return String(value);
  return value;
}

/**
 * Run a declared action: check its role, comment and confirmation, write `set` on every selected
 * key as one ordinary logged write (comment `action <name>: …`), then — once committed, not for
 * a dry run or a change waiting for approval — call its webhook. The webhook's failure is logged
 * and returned, never undoes the write.
 */
export async function runAction(
  input: InputTable | undefined,
  name: string,
  opts: ActionRunOptions,
  write: (table: string, rows: readonly unknown[], opts: WriteOptions) => Promise<WriteResult>,
  writer: Adapter,
  names: SqlNames,
): Promise<ActionResult> {
  if (!input) return failure('not_found', 'unknown input table');
  const action = input.actions && Object.hasOwn(input.actions, name) ? input.actions[name] : undefined;
  if (!action) return failure('not_found', `${input.name} has no action '${name}'${input.actions ? ` (actions: ${Object.keys(input.actions).join(', ')})` : ''}`);
  if (action.roles && opts.role !== undefined && !action.roles.includes(opts.role))
    return failure('forbidden', `action '${name}' is for role ${action.roles.join(' or ')}, not '${opts.role}'`);
  const comment = typeof opts.comment === 'string' && opts.comment.trim() !== '' ? opts.comment : undefined;
  if (action.commentRequired && !comment) return failure('validation_failed', `action '${name}' needs a comment`, [{ column: 'comment', message: 'a comment is required' }]);
  if (!Array.isArray(opts.keys) || opts.keys.length === 0) return failure('bad_request', 'keys must be a non-empty array of key objects');
  if (action.confirm && opts.confirm !== true && opts.dryRun !== true)
    return failure('confirmation_required', `action '${name}' on ${opts.keys.length} row(s) needs "confirm": true (or "dry_run": true to preview)`, [{ message: 'confirm', count: opts.keys.length }]);
  const now = new Date(Date.now());
  const bad: { row: number; message: string }[] = [];
  const rows = opts.keys.map((k, i) => {
    if (typeof k !== 'object' || k === null || Array.isArray(k)) {
      bad.push({ row: i, message: 'a key must be an object of key columns' });
      return {};
    }
    const extra = Object.keys(k).filter((c) => !input.key.includes(c));
    if (extra.length > 0) bad.push({ row: i, message: `a key holds only ${input.key.join(', ')}; found ${extra.join(', ')}` });
    const row: WireRow = { ...(k as WireRow) };
    for (const [c, v] of Object.entries(action.set)) row[c] = resolveValue(input, c, v, now);
    return row;
  });
  if (bad.length > 0) return failure('bad_request', `${bad.length} key(s) are malformed`, bad);
  const { keys: _keys, confirm: _confirm, ...writeOpts } = opts;
  const result = await write(input.name, rows, { ...writeOpts, comment: `action ${name}${comment ? `: ${comment}` : ''}` });
  // a webhook announces what changed: rows the action left as they were are not in it, and an
  // action that changed nothing calls nobody
  const changed = result.ok ? result.entries.flatMap((e) => (e.entryId === null ? [] : [{ key: e.key, entryId: e.entryId }])) : [];
  if (!result.ok || result.dryRun || result.pending || !action.webhook || changed.length === 0) return result;
  const webhook = await callWebhook(writer, names, action.webhook, {
    table: input.name,
    action: name,
    user: opts.user,
    keys: changed.map((e) => e.key),
    entry_ids: changed.map((e) => e.entryId),
    at: result.at,
    comment: comment ?? null,
  });
  return { ...result, webhook };
}
