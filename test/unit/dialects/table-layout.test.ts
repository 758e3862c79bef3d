import { describe, expect, it } from 'vitest';
import { listDialects } from '../../../src/dialects/registry.js';
import { bigqueryDialect } from '../../../src/dialects/bigquery/bigquery-dialect.js';
import { createLogTableSql, createMetaTableSql } from '../../../src/emit/ddl.js';
import { META_TABLES } from '../../../src/managed/meta-tables.js';
import { IDEMPOTENCY_TABLE } from '../../../src/managed/names.js';
import type { InputTable } from '../../../src/ir/types.js';

const input = {
  name: 'fx',
  key: ['pair', 'rate_key', 'day', 'seq', 'extra'],
  columns: [
    { name: 'pair', type: { kind: 'string' } },
    { name: 'rate_key', type: { kind: 'number' } },
    { name: 'day', type: { kind: 'date' } },
    { name: 'seq', type: { kind: 'integer' } },
    { name: 'extra', type: { kind: 'string' } },
  ],
} as unknown as InputTable;

describe('table layout of the tables that grow', () => {
  it('BigQuery partitions a log by the day of _at and clusters it by _scenario and the key (at most four, no FLOAT64)', () => {
    expect(createLogTableSql(bigqueryDialect, 'writeback', input)[0]).toMatch(/\) partition by date\(`_at`\) cluster by `_scenario`, `pair`, `day`, `seq`$/);
  });

  it('BigQuery partitions _wb_idempotency by the day of created_at and clusters it by request_id', () => {
    const meta = META_TABLES.find((t) => t.name === IDEMPOTENCY_TABLE)!;
    expect(createMetaTableSql(bigqueryDialect, 'writeback', meta)[0]).toMatch(/\) partition by date\(`created_at`\) cluster by `request_id`$/);
  });

  it('the other warehouses write no layout options', () => {
    for (const d of listDialects().filter((x) => x.name !== 'bigquery')) {
      expect(createLogTableSql(d, 'writeback', input)[0]).toMatch(/\)$/);
      expect(d.tableLayoutSql({ partitionByDay: '_at', clusterBy: [] })).toBe('');
    }
  });
});
