import { describe, expect, it } from 'vitest';
import type { InputTable } from '../../../src/ir/types.js';
import { canonicalEntryText, entryHash } from '../../../src/write/log-entry.js';
import { uuidv7 } from '../../../src/write/uuid-v7.js';

const loc = { file: 'inputs/t.yml', line: 1, col: 1 };
const table: InputTable = {
  name: 't',
  key: ['id'],
  columns: [
    { name: 'note', type: { kind: 'text' }, required: false, loc },
    { name: 'id', type: { kind: 'string' }, required: true, loc },
    { name: 'later', type: { kind: 'text' }, required: false, loc },
  ],
  scenarios: false,
  permissions: {},
  loc,
};
const entry = {
  entryId: '0190',
  seq: 1,
  op: 'upsert' as const,
  scenario: 'base',
  version: 1,
  user: 'a"b',
  atMs: 0,
  setColumns: '|id|note|',
  oldValues: '{"note":null}',
  requestId: null,
  comment: 'line\nbreak',
  values: [null, 'k', null],
};

describe('hash chain', () => {
  it('the canonical text is JSON of the fields; pairs in name order, unset nulls left out, explicit nulls kept', () => {
    const text = canonicalEntryText(table, entry);
    expect(JSON.parse(text)).toEqual(['0190', 1, 'upsert', 'base', 1, 'a"b', '1970-01-01T00:00:00.000Z', '|id|note|', '{"note":null}', null, 'line\nbreak', [['id', 'k'], ['note', null]]]);
  });

  it('a hash depends on the previous hash and on every field', () => {
    const h = entryHash(null, canonicalEntryText(table, entry));
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash('x', canonicalEntryText(table, entry))).not.toBe(h);
    expect(entryHash(null, canonicalEntryText(table, { ...entry, values: ['n', 'k', null] }))).not.toBe(h);
  });
});

describe('uuidv7', () => {
  it('is a version-7 UUID and sorts by creation, also within one millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => uuidv7(1_700_000_000_000));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
