import type { SqlValue } from '../adapters/adapter.js';
import type { InputTable } from '../ir/types.js';
import type { SqlNames } from '../managed/sql-names.js';
import { chainLevelsSql, resolvedRowsSql } from '../emit/scenario-rows.js';
import { stateOpCondition } from '../managed/log-ops.js';
import { STATE_KEY_COLUMN, stateKeySourceColumns, stateKeySql } from '../managed/tables.js';

/**
 * SQL of the state replayed from the log: the latest state-changing entry per scenario+key (at or before `asOf`
 * when given), with the state table's columns (`_key` too where the dialect has `stateKeyColumn`). The log carries the full row after each write,
 * so this is the state at that time. Parameters are pushed onto `params`.
 */
export function logReplaySql(names: SqlNames, input: InputTable, params: SqlValue[], asOf?: Date): string {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const partition = stateKeySourceColumns(input).map(q).join(', ');
  // proposals and rejections never changed the state
  let where = ` where ${stateOpCondition(`x.${q('_op')}`)}`;
  if (asOf) {
    params.push(asOf);
    where += ` and x.${q('_at')} <= ${d.param(params.length)}`;
  }
  const cols = [
    ...input.columns.map((c) => `l.${q(c.name)}`),
    `l.${q('_scenario')}`,
    `l.${q('_version')}`,
    `l.${q('_op')} = 'delete' as ${q('_deleted')}`,
    `l.${q('_set_columns')}`,
    `l.${q('_user')} as ${q('_updated_by')}`,
    `l.${q('_at')} as ${q('_updated_at')}`,
    `l.${q('_entry_id')}`,
    // `_key` as the write path derives it (verify compares it with the stored one)
    ...(d.stateKeyColumn ? [`${stateKeySql(d, stateKeySourceColumns(input).map((c) => `l.${q(c)}`))} as ${q(STATE_KEY_COLUMN.name)}`] : []),
  ];
  return (
    `(select ${cols.join(', ')} from (select x.*, row_number() over (partition by ${partition} order by x.${q('_seq')} desc) as ${q('_wb_rn')} ` +
    `from ${names.log(input.name)} x${where}) l where l.${q('_wb_rn')} = 1)`
  );
}

/** The state table, or — for an as-of read — the log replayed up to `asOf`. */
export function stateRelationSql(names: SqlNames, input: InputTable, params: SqlValue[], asOf?: Date): string {
  return asOf ? logReplaySql(names, input, params, asOf) : names.state(input.name);
}

/**
 * SQL of the visible rows of one scenario (a relation with user columns + `_scenario`, `_version`,
 * `_updated_by`, `_updated_at`): for `base`, its live rows; for another scenario, its rows
 * overlaid on `base` column by column (a column the scenario has not set falls back to base),
 * keys it deleted hidden, and `_version` the scenario row's own (0 when it has none yet).
 */
export function scenarioRowsSql(names: SqlNames, input: InputTable, scenarioOrChain: string | readonly string[], params: SqlValue[], asOf?: Date): string {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const scenario = typeof scenarioOrChain === 'string' ? scenarioOrChain : scenarioOrChain[0]!;
  // a scenario of a scenario: fall back along the whole parent chain (src/emit/scenario-rows.ts)
  if (typeof scenarioOrChain !== 'string' && scenarioOrChain.length > 1) {
    const rel = stateRelationSql(names, input, params, asOf);
    return resolvedRowsSql(d, input, rel, chainLevelsSql(d, scenarioOrChain, params));
  }
  const sys = ['_scenario', '_version', '_updated_by', '_updated_at'];
  if (scenario === 'base') {
    const rel = stateRelationSql(names, input, params, asOf);
    params.push('base');
    const cols = [...input.columns.map((c) => q(c.name)), ...sys.map(q)].map((c) => `t.${c}`).join(', ');
    return `(select ${cols} from ${rel} t where t.${q('_scenario')} = ${d.param(params.length)} and not t.${q('_deleted')})`;
  }
  const relS = stateRelationSql(names, input, params, asOf);
  params.push(scenario);
  const pS = d.param(params.length);
  const relB = stateRelationSql(names, input, params, asOf);
  params.push('base');
  const pB = d.param(params.length);
  const k0 = q(input.key[0]!);
  const has = `s.${k0} is not null`;
  const cols = input.columns.map((c) => {
    const col = q(c.name);
    if (input.key.includes(c.name)) return `coalesce(s.${col}, b.${col}) as ${col}`;
    const setHere = d.strContains(`s.${q('_set_columns')}`, d.literal(`|${c.name}|`));
    return `case when ${has} and coalesce(${setHere}, false) then s.${col} else b.${col} end as ${col}`;
  });
  cols.push(
    `case when ${has} then s.${q('_scenario')} else b.${q('_scenario')} end as ${q('_scenario')}`,
    `coalesce(s.${q('_version')}, 0) as ${q('_version')}`,
    `case when ${has} then s.${q('_updated_by')} else b.${q('_updated_by')} end as ${q('_updated_by')}`,
    `case when ${has} then s.${q('_updated_at')} else b.${q('_updated_at')} end as ${q('_updated_at')}`,
  );
  const on = input.key.map((k) => `s.${q(k)} = b.${q(k)}`).join(' and ');
  return (
    `(select ${cols.join(', ')} from (select * from ${relS} x where x.${q('_scenario')} = ${pS}) s ` +
    `full join (select * from ${relB} y where y.${q('_scenario')} = ${pB}) b on ${on} ` +
    `where case when ${has} then not s.${q('_deleted')} else not b.${q('_deleted')} end)`
  );
}
