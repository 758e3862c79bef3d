import { describe, expect, it } from 'vitest';
import { archiveLogName } from '../../../src/managed/names.js';
import { snapshotCopiesTable } from '../../../src/snapshot/snapshot-tables.js';

describe('which tables the BI snapshot copies', () => {
  const copies = (table: string, schema = 'writeback') => snapshotCopiesTable('writeback', schema, table);

  it('copies input state, the tables views read, and every table outside the inputs schema', () => {
    expect(['orders', 'revenue_forecast', '_wb_scenarios', '_wb_scenario_paths', '_wb_pending'].filter((t) => !copies(t))).toEqual([]);
    expect(copies('orders__log', 'crm')).toBe(true);
    expect(copies('_wb_tokens', 'crm')).toBe(true);
  });

  it('leaves out logs, archived logs, chain heads and every other managed table', () => {
    const left = ['orders__log', archiveLogName('orders', new Date('2026-11-30T01:02:03Z')), 'orders__head', '_wb_tokens', '_wb_sessions', '_wb_users', '_wb_idempotency', '_wb_webhook_calls', '_wb_model_versions', '_wb_seeds', '_wb_chain_heads'];
    expect(left.filter((t) => copies(t))).toEqual([]);
  });

  it('recognises managed names in every schema when the inputs schema is not given', () => {
    expect(snapshotCopiesTable(undefined, 'any', 'orders__log')).toBe(false);
    expect(snapshotCopiesTable(undefined, 'any', '_wb_tokens')).toBe(false);
    expect(snapshotCopiesTable(undefined, 'any', 'orders')).toBe(true);
  });
});
