import type { InputTable } from '../project/types.js';
import type { SqlNames } from './sql-names.js';

/**
 * Upsert the state from the log entries just appended (`_seq` above the bound parameter 1), in one
 * set-based statement. With `dedupe`, only the last entry of each scenario+key is applied.
 */
export function upsertStateSql(names: SqlNames, input: InputTable, dedupe: boolean): string {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const user = input.columns.map((c) => c.name);
  const partition = ['_scenario', ...input.key].map(q).join(', ');
  const fresh = `(select * from ${names.log(input.name)} where ${q('_seq')} > ${d.param(1)})`;
  const from = dedupe
    ? `(select x.* from (select e.*, row_number() over (partition by ${partition} order by ${q('_seq')} desc) as ${q('_wb_rn')} from ${fresh} e) x where x.${q('_wb_rn')} = 1) e`
    : `${fresh} e`;
  const mapped: [string, string][] = [
    ...user.map((c): [string, string] => [c, `e.${q(c)}`]),
    ['_scenario', `e.${q('_scenario')}`],
    ['_version', `e.${q('_version')}`],
    ['_deleted', `e.${q('_op')} = 'delete'`],
    ['_set_columns', `e.${q('_set_columns')}`],
    ['_updated_by', `e.${q('_user')}`],
    ['_updated_at', `e.${q('_at')}`],
    ['_entry_id', `e.${q('_entry_id')}`],
  ];
  const target = names.state(input.name);
  const keyCols = ['_scenario', ...input.key];
  const nonKey = mapped.map(([c]) => c).filter((c) => !keyCols.includes(c));
  if (d.upsertStyle === 'on-conflict') {
    return (
      `insert into ${target} (${mapped.map(([c]) => q(c)).join(', ')}) ` +
      `select ${mapped.map(([c, e]) => `${e} as ${q(c)}`).join(', ')} from ${from} ` +
      `on conflict (${keyCols.map(q).join(', ')}) do update set ${nonKey.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`
    );
  }
  return (
    `merge into ${target} t using (select ${mapped.map(([c, e]) => `${e} as ${q(c)}`).join(', ')} from ${from}) s ` +
    `on ${keyCols.map((c) => `t.${q(c)} = s.${q(c)}`).join(' and ')} ` +
    `when matched then update set ${nonKey.map((c) => `${q(c)} = s.${q(c)}`).join(', ')} ` +
    `when not matched then insert (${mapped.map(([c]) => q(c)).join(', ')}) values (${mapped.map(([c]) => `s.${q(c)}`).join(', ')})`
  );
}
