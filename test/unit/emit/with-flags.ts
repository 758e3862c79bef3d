import type { Dialect } from '../../../src/dialects/dialect.js';

/** A copy of `base` with some capability flags changed (to test the emitter's other paths on real DuckDB). */
export function withFlags(base: Dialect, flags: Partial<Dialect>): Dialect {
  const props: PropertyDescriptorMap = {};
  for (const [k, v] of Object.entries(flags)) props[k] = { value: v, enumerable: true };
  const dialect: Dialect = Object.create(base, props);
  return dialect;
}
