import { describe, expect, it } from 'vitest';
import { copyTextChunks, copyTextField } from '../../../src/adapters/postgres/postgres-copy.js';
import type { BulkKind, BulkValue } from '../../../src/adapters/adapter.js';

const lines = (kinds: BulkKind[], rows: BulkValue[][]) => [...copyTextChunks(kinds, { count: rows.length, value: (r, c) => rows[r]![c] })].join('');

describe('COPY text format (the Postgres bulk path)', () => {
  it('escapes backslash, tab, newline and carriage return, and nothing else', () => {
    expect(copyTextField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyTextField('\\N')).toBe('\\\\N');
    expect(copyTextField('\\.')).toBe('\\\\.');
    expect(copyTextField('"quoted", \'single\'; 👩‍💻 ünï')).toBe('"quoted", \'single\'; 👩‍💻 ünï');
    expect(copyTextField('')).toBe('');
  });

  it('writes NULL as \\N and the empty string as an empty field', () => {
    expect(lines(['varchar', 'varchar', 'varchar'], [[null, '', undefined]])).toBe('\\N\t\t\\N\n');
  });

  it('sends each kind as the text its column parses: exact integers, t/f, instants in UTC', () => {
    const at = Date.UTC(2026, 11, 6, 16, 0, 0, 123);
    expect(lines(['bigint', 'bigint', 'double', 'boolean', 'boolean', 'timestamp-ms', 'timestamp-iso', 'varchar'], [
      [9007199254740993n.toString(), 42, 0.1, true, 'false', at, '2026-12-06T17:00:00.123+01:00', '12345678901234567890.12'],
    ])).toBe('9007199254740993\t42\t0.1\tt\tf\t2026-12-06T16:00:00.123Z\t2026-12-06T16:00:00.123Z\t12345678901234567890.12\n');
  });

  it('writes whole numbers beyond 2^53 in full and each row its own instant', () => {
    expect(lines(['bigint'], [[1e21], ['-9223372036854775808']])).toBe('1000000000000000000000\n-9223372036854775808\n');
    expect(lines(['timestamp-ms'], [[0], [0], [1], [0]])).toBe(
      '1970-01-01T00:00:00.000Z\n1970-01-01T00:00:00.000Z\n1970-01-01T00:00:00.001Z\n1970-01-01T00:00:00.000Z\n',
    );
  });

  it('splits many rows into chunks at row boundaries', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [`row ${i} ${'x'.repeat(30)}`]);
    const chunks = [...copyTextChunks(['varchar'], { count: rows.length, value: (r) => rows[r]![0] })];
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
    expect(chunks.join('').split('\n').length - 1).toBe(rows.length);
  });
});
