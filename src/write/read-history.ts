import type { SqlValue } from '../adapters/adapter.js';
import { checkPermission } from '../auth/permissions.js';
import { onInputRows, rowScope } from '../auth/row-filter.js';
import { lookUpUsers } from '../auth/users.js';
import { valueChecker } from '../rules/column-rules.js';
import { parseTime } from './read-rows.js';
import type { ColumnChange, HistoryEntry, HistoryOptions, HistoryResult } from './types.js';
import { type Canonical, canonicalFromDb, isoFromDb, numberFromDb, wireFromCanonical } from '../rules/wire-values.js';
import type { WriteContext } from './write-context.js';
import { failure } from '../rules/outcome.js';
import { wireKey } from './plan-request.js';
import { logOpFromDb } from '../managed/log-ops.js';
import { checkScenarioName } from '../rules/scenario-name.js';

/** Entries per history answer: default 1000, at most 100000 (library and HTTP). */
export const HISTORY_LIMITS = { default: 1000, max: 100_000 } as const;

/** Log entries of an input table, oldest first, each with old → new values of the columns it changed. */
export async function readHistory(ctx: WriteContext, tableName: string, opts: HistoryOptions = {}): Promise<HistoryResult> {
  const input = Object.hasOwn(ctx.project.inputs, tableName) ? ctx.project.inputs[tableName] : undefined;
  if (!input) return failure('not_found', `unknown input table '${tableName}'`);
  const denied = checkPermission(input, opts.actor, 'read');
  if (denied) return { ok: false, error: denied };
  const since = parseTime(opts.since);
  if (since === null) return failure('bad_request', `since '${String(opts.since)}' is not an ISO 8601 timestamp`, [{ column: 'since', message: 'not an ISO 8601 timestamp' }]);
  const limit = opts.limit ?? HISTORY_LIMITS.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_LIMITS.max)
    return failure('bad_request', `limit must be a whole number from 1 to ${HISTORY_LIMITS.max}`, [{ column: 'limit', message: `${String(limit)} is out of range` }]);
  // a filter, not a read of the scenario's rows: an unknown (valid) name simply has no entries
  const invalidScenario = opts.scenario === undefined ? undefined : checkScenarioName(opts.scenario);
  if (invalidScenario) return { ok: false, error: invalidScenario };

  const d = ctx.names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const params: SqlValue[] = [];
  const scope = rowScope(input, opts.actor);
  const where = scope.where(d, params, onInputRows(input, ctx.names, 'l')) ?? ['1 = 0'];
  for (const [name, value] of Object.entries(opts.key ?? {})) {
    const col = input.columns.find((c) => c.name === name);
    if (!col || !input.key.includes(name)) return failure('bad_request', `'${name}' is not a key column of ${input.name}`, [{ column: name, message: 'not a key column' }]);
    const checked = valueChecker({ ...col, min: undefined, max: undefined, pattern: undefined, maxLength: undefined, allowedValues: undefined })(value);
    if (!checked.ok || checked.value === null) return failure('bad_request', `key ${name}: ${checked.ok ? 'null' : checked.message}`, [{ column: name, message: 'bad key value' }]);
    params.push(checked.value);
    where.push(`l.${q(name)} = cast(${d.param(params.length)} as ${d.columnType(col.type)})`);
  }
  if (opts.user !== undefined) {
    params.push(opts.user);
    where.push(`l.${q('_user')} = ${d.param(params.length)}`);
  }
  if (since) {
    params.push(since);
    where.push(`l.${q('_at')} >= ${d.param(params.length)}`);
  }
  if (opts.scenario !== undefined) {
    params.push(opts.scenario);
    where.push(`l.${q('_scenario')} = ${d.param(params.length)}`);
  }
  const sql =
    `select * from (select l.* from ${ctx.names.log(input.name)} l${where.length ? ` where ${where.join(' and ')}` : ''} ` +
    `order by l.${q('_seq')} desc ${d.limitClause(params, limit)}) h order by h.${q('_seq')}`;
  const rows = await ctx.reader.query(sql, params);
  // names of the users of these entries only: the row filter above already chose what the reader sees
  const users = await lookUpUsers(ctx.reader, ctx.names, rows.map((r) => String(r._user)));
  const entries: HistoryEntry[] = rows.map((r) => {
    const values = new Map<string, Canonical>(input.columns.map((c) => [c.name, canonicalFromDb(c.type, r[c.name])]));
    const old = r._old_values ? (JSON.parse(String(r._old_values)) as Record<string, Canonical>) : {};
    // an entry that moved the row into the reader's filter: what it was before is not the reader's to see
    const cameIn = scope.onInput.length > 0 && !scope.admits((f) => (Object.hasOwn(old, f.column) ? (old[f.column] ?? null) : (values.get(f.column) ?? null)), 'input');
    const changes: ColumnChange[] = [];
    for (const c of input.columns) {
      if (!Object.hasOwn(old, c.name)) continue;
      changes.push({ column: c.name, old: cameIn ? null : wireFromCanonical(c.type, old[c.name] ?? null), new: wireFromCanonical(c.type, values.get(c.name) ?? null) });
    }
    return {
      entryId: String(r._entry_id),
      // gaps in the chain positions would count the entries outside the reader's filter
      seq: scope.unrestricted ? numberFromDb(r._seq) : null,
      op: logOpFromDb(r._op),
      scenario: String(r._scenario),
      key: wireKey(input, input.key.map((k) => values.get(k) ?? null)),
      version: numberFromDb(r._version),
      user: String(r._user),
      userName: users.get(String(r._user))?.name ?? null,
      userEmail: users.get(String(r._user))?.email ?? null,
      at: isoFromDb(r._at) ?? '',
      requestId: (r._request_id as string | null) ?? null,
      comment: (r._comment as string | null) ?? null,
      changes,
    };
  });
  return { ok: true, entries };
}
