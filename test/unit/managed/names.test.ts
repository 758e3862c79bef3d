import { describe, expect, it } from 'vitest';
import { archiveLogName, chainHeadTableName, inputOfArchivedLog, inputOfChainHead, inputOfLog, isMetaTableName, logTableName } from '../../../src/managed/names.js';

describe('telling managed tables by name', () => {
  it('finds the input of a log, an archived log and a chain head, and nothing in other names', () => {
    const archived = archiveLogName('orders', new Date('2026-11-30T01:02:03Z'));
    expect(archived).toBe('orders__log__archived_20261130_010203');
    expect([inputOfLog(logTableName('orders')), inputOfArchivedLog(archived), inputOfChainHead(chainHeadTableName('orders'))]).toEqual(['orders', 'orders', 'orders']);
    for (const other of ['orders', 'orders__history', 'a__b__log', 'a__b__head', 'orders__log__archived_2026', '_wb_tokens__head']) {
      expect([inputOfLog(other), inputOfArchivedLog(other), inputOfChainHead(other)], other).toEqual([undefined, undefined, undefined]);
    }
    expect(inputOfLog(archived)).toBeUndefined();
  });

  it('tells the shared managed tables by their prefix', () => {
    expect([isMetaTableName('_wb_tokens'), isMetaTableName('orders'), isMetaTableName('wb_orders')]).toEqual([true, false, false]);
  });
});
