import type { SqlValue } from '../dialects/sql-value.js';
import type { Dialect } from '../dialects/dialect.js';
import type { InputTable } from '../ir/types.js';
import { SCENARIO_PATHS_TABLE, SCENARIOS_TABLE } from '../managed/names.js';

/**
 * The rows of one or more scenarios with copy-on-write fallback along each scenario's parent
 * chain. `stateRel` has the state table's columns (every scenario); `levelsRel` has
 * `(_s, _anc, _d)`: for each scenario `_s` read, each ancestor `_anc` (itself included) at
 * distance `_d` (base last). Per (scenario, key):
 * - a level is *decisive* when it is a tombstone or a row with set columns (a reset row — set
 *   columns null, not deleted — is transparent); the row is visible when the nearest decisive
 *   level is not a tombstone;
 * - each non-key column takes the value of the nearest live level that set it (else null);
 * - `_version` is the scenario's own row's (0 when it has none), `_updated_by/_at` the nearest
 *   decisive level's, `_set_columns` lists every column set along the chain.
 * Output: user columns, `_scenario`, `_version`, `_updated_by`, `_updated_at`, `_set_columns`.
 */
export function resolvedRowsSql(d: Dialect, input: InputTable, stateRel: string, levelsRel: string): string {
  const q = (c: string) => d.quoteIdent(c);
  const x = (c: string) => `x.${q(c)}`;
  const keyCols = input.key;
  const valueCols = input.columns.filter((c) => !keyCols.includes(c.name));
  // layer 1: per level row, the depth that decides each column (nearest live level that set it) and
  // the row's visibility (nearest decisive level) — windows without ORDER BY share one partitioning
  const part = `over (partition by ${['l._s', ...keyCols.map((k) => `st.${q(k)}`)].join(', ')})`;
  const has = (c: string) => `(not st.${q('_deleted')} and coalesce(${d.strContains(`st.${q('_set_columns')}`, d.literal(`|${c}|`))}, false))`;
  const layer1 = [
    `l.${q('_s')}`,
    `l.${q('_d')}`,
    'st.*',
    ...valueCols.map((c) => `min(case when ${has(c.name)} then l.${q('_d')} end) ${part} as ${q(`_wb_d_${c.name}`)}`),
    `min(case when st.${q('_deleted')} or st.${q('_set_columns')} is not null then l.${q('_d')} end) ${part} as ${q('_wb_dd')}`,
  ];
  // layer 2: one row per scenario and key, each value taken from its deciding level (max over one row)
  const at = (depthCol: string, expr: string) => `max(case when ${x('_d')} = ${x(depthCol)} then ${expr} end)`;
  const cols: string[] = [`${x('_s')} as ${q('_scenario')}`, ...keyCols.map((k) => `${x(k)} as ${q(k)}`)];
  const setParts: string[] = [];
  for (const c of valueCols) {
    const dc = `_wb_d_${c.name}`;
    // booleans have no max() everywhere: carry them as 1/0
    cols.push(c.type.kind === 'boolean' ? `${at(dc, `case when ${x(c.name)} then 1 else 0 end`)} = 1 as ${q(c.name)}` : `${at(dc, x(c.name))} as ${q(c.name)}`);
    setParts.push(`case when max(${x(dc)}) is not null then ${d.literal(`${c.name}|`)} else '' end`);
  }
  const keySet = keyCols.map((k) => `|${k}`).join('') + '|';
  cols.push(
    `${setParts.length > 0 ? `${d.literal(keySet)} || ${setParts.join(' || ')}` : d.literal(keySet)} as ${q('_set_columns')}`,
    `max(case when ${x('_d')} = ${x('_wb_dd')} and not ${x('_deleted')} then 1 else 0 end) as ${q('_wb_visible')}`,
    `${at('_wb_dd', x('_updated_by'))} as ${q('_updated_by')}`,
    `${at('_wb_dd', x('_updated_at'))} as ${q('_updated_at')}`,
    `coalesce(max(case when ${x('_d')} = 0 then ${x('_version')} end), 0) as ${q('_version')}`,
  );
  const out = [...input.columns.map((c) => `y.${q(c.name)}`), ...['_scenario', '_version', '_updated_by', '_updated_at', '_set_columns'].map((c) => `y.${q(c)}`)];
  return (
    `(select ${out.join(', ')} from (select ${cols.join(', ')} from ` +
    `(select ${layer1.join(', ')} from ${levelsRel} l join ${stateRel} st on st.${q('_scenario')} = l.${q('_anc')}) x ` +
    `group by ${[x('_s'), ...keyCols.map(x)].join(', ')}) y where y.${q('_wb_visible')} = 1)`
  );
}

/** Levels of one scenario's chain (self first, base last) as a relation of bound parameters. */
export function chainLevelsSql(d: Dialect, chain: readonly string[], params: SqlValue[]): string {
  const str = d.columnType({ kind: 'system', type: 'string' });
  const q = (c: string) => d.quoteIdent(c);
  params.push(chain[0]!);
  const s = params.length;
  const rows = chain.map((anc, i) => {
    params.push(anc);
    return `select cast(${d.param(s)} as ${str}) as ${q('_s')}, cast(${d.param(params.length)} as ${str}) as ${q('_anc')}, ${i} as ${q('_d')}`;
  });
  return `(${rows.join(' union all ')})`;
}

/** Levels of every active scenario (base included), read from `_wb_scenario_paths` (views use it). */
export function allLevelsSql(d: Dialect, inputsSchema: string): string {
  const q = (c: string) => d.quoteIdent(c);
  const base = d.literal('base');
  return (
    `(select ${base} as ${q('_s')}, ${base} as ${q('_anc')}, 0 as ${q('_d')} union all ` +
    `select p.${q('scenario')}, p.${q('ancestor')}, p.${q('depth')} from ${d.qualify(inputsSchema, SCENARIO_PATHS_TABLE)} p ` +
    `join ${d.qualify(inputsSchema, SCENARIOS_TABLE)} s on s.${q('name')} = p.${q('scenario')} where s.${q('archived_at')} is null)`
  );
}

/** Every active scenario name (`base` first) as a relation with one column `_scenario`. */
export function scenarioListSql(d: Dialect, inputsSchema: string): string {
  const q = (c: string) => d.quoteIdent(c);
  return (
    `(select ${d.literal('base')} as ${q('_scenario')} union all select s.${q('name')} from ${d.qualify(inputsSchema, SCENARIOS_TABLE)} s ` +
    `where s.${q('archived_at')} is null)`
  );
}
