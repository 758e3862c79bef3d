import type { Dialect } from '../dialects/dialect.js';
import { logTableName } from '../managed/names.js';
import type { InputTable } from '../ir/types.js';
import { stateOpCondition } from '../managed/log-ops.js';
import { stateKeySourceColumns } from '../managed/tables.js';

/**
 * SELECT body of `<views>.<t>__history`: one row per column changed by a log entry, with old and
 * new value as text. Columns: `_entry_id, _seq, _at, _user, _op, _scenario, <key columns>,
 * _column, _old_value, _new_value, _request_id, _comment`. Old values come from the previous
 * entry of the same scenario+key (window `lag`), so the view needs no JSON functions. A column
 * counts as changed when the entry sets it and it was unset or different before; a delete lists
 * every non-key column that had a value. Only state-changing entries are shown: proposals and
 * rejections of pending changes are in the log, `history()` and `<t>__pending`.
 */
export function historyViewSql(dialect: Dialect, inputsSchema: string, input: InputTable): string {
  const q = (c: string) => dialect.quoteIdent(c);
  const text = dialect.columnType({ kind: 'system', type: 'string' });
  const partition = stateKeySourceColumns(input).map(q).join(', ');
  const win = `over (partition by ${partition} order by ${q('_seq')})`;
  const keys = input.key.map(q);
  const lags = input.columns.map((c) => `lag(${q(c.name)}) ${win} as ${q(`_wb_old_${c.name}`)}`);
  const base = [
    ...['_entry_id', '_seq', '_at', '_user', '_op', '_scenario', '_request_id', '_comment', '_set_columns'].map(q),
    ...input.columns.map((c) => q(c.name)),
    `lag(${q('_set_columns')}) ${win} as ${q('_wb_prev_set')}`,
    ...lags,
  ];
  const e = `${q('_wb_e')}`;
  const selects = input.columns.map((c) => {
    const col = q(c.name);
    const old = q(`_wb_old_${c.name}`);
    const marker = dialect.literal(`|${c.name}|`);
    const setNow = `coalesce(${dialect.strContains(`${e}.${q('_set_columns')}`, marker)}, false)`;
    const setBefore = `coalesce(${dialect.strContains(`${e}.${q('_wb_prev_set')}`, marker)}, false)`;
    const upsert = `(${e}.${q('_op')} = 'upsert' and ${setNow} and (not ${setBefore} or ${e}.${old} is distinct from ${e}.${col}))`;
    const removed = input.key.includes(c.name) ? 'false' : `(${e}.${q('_op')} in ('delete', 'reset') and (${setBefore} or ${e}.${old} is not null))`;
    return (
      `select ${e}.${q('_entry_id')}, ${e}.${q('_seq')}, ${e}.${q('_at')}, ${e}.${q('_user')}, ${e}.${q('_op')}, ${e}.${q('_scenario')}, ` +
      `${keys.map((k) => `${e}.${k}`).join(', ')}, ${dialect.literal(c.name)} as ${q('_column')}, ` +
      `cast(${e}.${old} as ${text}) as ${q('_old_value')}, ` +
      `case when ${e}.${q('_op')} in ('delete', 'reset') then null else cast(${e}.${col} as ${text}) end as ${q('_new_value')}, ` +
      `${e}.${q('_request_id')}, ${e}.${q('_comment')} from ${e} where ${upsert} or ${removed}`
    );
  });
  return (
    `with ${e} as (select ${base.join(', ')} from ${dialect.qualify(inputsSchema, logTableName(input.name))} where ${stateOpCondition(q('_op'))})\n` +
    selects.join('\nunion all\n')
  );
}
