import { z } from 'zod';

/** What {@link salvageObject} could keep from an object that failed validation. */
export interface Salvaged<T> {
  /** Every field that validated on its own; record/array fields keep their valid entries. */
  value: Partial<T>;
  /** field → keys (record fields) or `*` (whole field) that failed and were dropped. */
  broken: Map<string, Set<string>>;
}

/**
 * Validates each field of a failed object on its own, and each entry of a record or list field,
 * so that one bad entry does not hide the rest of a file from later checks (and later checks
 * can tell a missing name from a broken one). Issues are reported from the whole-file parse;
 * this only keeps what is usable. Salvaged lists are sparse (valid items keep their index;
 * iterate them with `forEach`, which skips holes).
 */
export function salvageObject<S extends z.ZodObject>(schema: S, raw: unknown): Salvaged<z.output<S>> {
  const value: Record<string, unknown> = {};
  const broken = new Map<string, Set<string>>();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    for (const key of Object.keys(schema.shape)) broken.set(key, new Set(['*']));
    return { value: value as Partial<z.output<S>>, broken };
  }
  const input = raw as Record<string, unknown>;
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const r = field.safeParse(input[key]);
    if (r.success) {
      if (r.data !== undefined) value[key] = r.data;
      continue;
    }
    const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field;
    const bad = new Set<string>();
    const entries = input[key];
    if (inner instanceof z.ZodRecord && entries !== null && typeof entries === 'object' && !Array.isArray(entries)) {
      const kept: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(entries)) {
        const e = (inner.valueType as z.ZodType).safeParse(v);
        if (e.success) kept[k] = e.data;
        else bad.add(k);
      }
      value[key] = kept;
    } else if (inner instanceof z.ZodArray && Array.isArray(entries)) {
      const kept: unknown[] = [];
      entries.forEach((v, i) => {
        const e = (inner.element as z.ZodType).safeParse(v);
        if (e.success) kept[i] = e.data;
        else bad.add(String(i));
      });
      value[key] = kept;
    } else bad.add('*');
    broken.set(key, bad);
  }
  return { value: value as Partial<z.output<S>>, broken };
}
