import type { SystemType } from '../../../src/managed/columns.js';
import type { ColumnType } from '../../../src/ir/types.js';

/** One of each portable column type. */
export const PORTABLE_TYPES_FOR_TEST: ColumnType[] = [
  { kind: 'string' },
  { kind: 'text' },
  { kind: 'integer' },
  { kind: 'number' },
  { kind: 'decimal', precision: 18, scale: 2 },
  { kind: 'decimal', precision: 38, scale: 10 },
  { kind: 'boolean' },
  { kind: 'date' },
  { kind: 'timestamp' },
  { kind: 'enum', values: ['a', 'b'] },
];

/** Each system column type. */
export const SYSTEM_TYPES_FOR_TEST: { kind: 'system'; type: SystemType }[] = (['string', 'integer', 'bigint', 'boolean', 'timestamp'] as const).map((type) => ({ kind: 'system', type }));
