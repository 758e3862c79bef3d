import type { Adapter } from '../../src/adapters/adapter.js';
import { getDialect } from '../../src/dialects/registry.js';
import { stateKeySql } from '../../src/managed/tables.js';
import { ADJ_YML, applyProject, FACTS_MODEL_YML, PROJECT_YML, writeProject } from './yaml-project.js';

/** Sizes of the read benchmarks' data. */
export interface ReadSizes {
  sourceRows: number;
  currentRows: number;
  logEntries: number;
}

/** `count` log entries for keys 0 … currentRows-1 (seq from `firstSeq`), generated set-based in SQL, never through the API. */
export function insertLogSql(sizes: ReadSizes, firstSeq: number, count: number): string {
  const keys = sizes.currentRows;
  return `insert into writeback.adj__log (_entry_id, _seq, _op, _scenario, _version, _user, _at, _set_columns, _old_values,
      _request_id, _comment, _prev_hash, _hash, id, amount, confidence)
    select 'e' || (i + ${firstSeq}), i + ${firstSeq}, 'upsert', 'base', (i + ${firstSeq} - 1) // ${keys} + 1, 'gen',
      timestamp '2026-01-01' + to_milliseconds(i + ${firstSeq}), '|amount|confidence|id|', null, null, null, 'p', 'h',
      'K' || lpad(((i + ${firstSeq} - 1) % ${keys})::varchar, 7, '0'), ((i * 7) % 100000)::decimal(18,2) / 100,
      case i % 3 when 0 then 'low' when 1 then 'medium' else 'high' end
    from range(${count}) t(i)`;
}

/**
 * The read benchmarks' project: a source of `sourceRows` facts, the input `adj` linked to it with
 * `currentRows` current rows derived from a log of `logEntries` entries (all generated in SQL), the
 * enrich model `adjusted_facts`, and `bench_latest`, a plain table of the latest values (the baseline).
 * `files` replace or add project files (e.g. roles for token sign-in).
 */
export async function readProject(sizes: ReadSizes, files: Record<string, string> = {}): Promise<string> {
  const dir = writeProject('read', { 'project.yml': PROJECT_YML, 'inputs/adj.yml': ADJ_YML, 'models/adjusted_facts.yml': FACTS_MODEL_YML, ...files });
  await applyProject(dir, async (db: Adapter) => {
    await db.execute('create schema if not exists src');
    await db.execute(`create table src.facts as
      select 'K' || lpad(i::varchar, 7, '0') as id, 'name ' || i as name, ['EMEA', 'AMER', 'APAC'][i % 3 + 1] as region,
             (i % 977)::decimal(18,2) as revenue, date '2026-01-01' + (i % 365)::integer as booked_on
      from range(${sizes.sourceRows}) t(i)`);
  });
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(`${dir}/target/warehouse.duckdb`);
  const conn = await instance.connect();
  await conn.run(insertLogSql(sizes, 1, sizes.logEntries));
  // the state as writes would leave it, `_key` (DuckDB's one-column state key) derived by the product's own expression
  const key = stateKeySql(getDialect('duckdb'), ["'base'", 'id']);
  await conn.run(`insert into writeback.adj (id, amount, confidence, _scenario, _version, _deleted, _set_columns, _updated_by, _updated_at, _entry_id, _key)
    select id, arg_max(amount, _seq), arg_max(confidence, _seq), 'base', max(_version), false, '|amount|confidence|id|', 'gen', max(_at), arg_max(_entry_id, _seq), ${key}
    from writeback.adj__log group by id`);
  // the chain head follows the generated log (DuckDB keeps every input's head as a row of _wb_heads)
  await conn.run(`update writeback._wb_heads set seq = ${sizes.logEntries} where table_name = 'adj'`);
  await conn.run('create table main.bench_latest as select id, amount, confidence from writeback.adj');
  await conn.run('checkpoint');
  conn.closeSync();
  instance.closeSync();
  return dir;
}
