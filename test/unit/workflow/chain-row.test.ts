import { describe, expect, it } from 'vitest';
import type { InputTable } from '../../../src/ir/types.js';
import { rowThroughChain } from '../../../src/write/chain-row.js';
import { type CurrentRow, stateKey } from '../../../src/write/write-request.js';

const loc = { file: 'inputs/t.yml', line: 1, col: 1 };
const table: InputTable = {
  name: 't',
  key: ['id'],
  columns: [
    { name: 'id', type: { kind: 'string' }, required: true, loc },
    { name: 'amount', type: { kind: 'integer' }, required: false, loc },
    { name: 'status', type: { kind: 'string' }, required: false, loc },
  ],
  scenarios: true,
  permissions: {},
  loc,
};
const row = (values: (string | null)[], setColumns: string | null, more: Partial<CurrentRow> = {}): CurrentRow => ({
  version: 1,
  deleted: false,
  values,
  setColumns,
  updatedBy: 'u',
  updatedAtMs: 0,
  ...more,
});
const levels = (rows: Record<string, CurrentRow>) => (sk: string) => rows[sk];
const at = (scenario: string) => stateKey(scenario, ['k']);
const chain = ['q3', 'stretch', 'base'];

describe('rowThroughChain (the in-memory twin of resolvedRowsSql)', () => {
  it('takes each column from the nearest level that set it; the version is the scenario row\'s own', () => {
    const rows = {
      [at('base')]: row(['k', '10', 'draft'], '|id|amount|status|', { version: 7, updatedBy: 'b' }),
      [at('stretch')]: row(['k', '20', null], '|id|amount|', { version: 2, updatedBy: 's' }),
    };
    expect(rowThroughChain(table, chain, ['k'], levels(rows))).toEqual({
      version: 0,
      deleted: false,
      values: ['k', '20', 'draft'],
      setColumns: '|id|amount|status|',
      updatedBy: 's',
      updatedAtMs: 0,
    });
  });

  it('a tombstone hides the key below it; a reset row is transparent', () => {
    const base = row(['k', '10', 'draft'], '|id|amount|status|');
    expect(rowThroughChain(table, chain, ['k'], levels({ [at('base')]: base, [at('stretch')]: row(['k', null, null], null, { deleted: true }) }))).toBeUndefined();
    const reset = rowThroughChain(table, chain, ['k'], levels({ [at('base')]: base, [at('q3')]: row(['k', null, null], null, { version: 3 }) }));
    expect(reset).toMatchObject({ version: 3, values: ['k', '10', 'draft'] });
  });

  it('an explicit null set in a scenario wins over the parent value; a key nobody has is not visible', () => {
    const rows = { [at('base')]: row(['k', '10', 'draft'], '|id|amount|status|'), [at('q3')]: row(['k', null, null], '|id|status|') };
    expect(rowThroughChain(table, chain, ['k'], levels(rows))?.values).toEqual(['k', '10', null]);
    expect(rowThroughChain(table, ['base'], ['other'], levels(rows))).toBeUndefined();
  });
});
