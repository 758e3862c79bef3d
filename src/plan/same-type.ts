/** Spellings warehouses report for the same type, mapped to one name. */
const SYNONYMS: Record<string, string> = {
  'DOUBLE PRECISION': 'DOUBLE',
  FLOAT8: 'DOUBLE',
  TEXT: 'VARCHAR',
  STRING: 'VARCHAR',
  'CHARACTER VARYING': 'VARCHAR',
  INT: 'INTEGER',
  INT4: 'INTEGER',
  INT8: 'BIGINT',
  INT64: 'BIGINT',
  BOOL: 'BOOLEAN',
  NUMERIC: 'DECIMAL',
  NUMBER: 'DECIMAL',
  'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP',
  TIMESTAMP_NTZ: 'TIMESTAMP',
  TIMESTAMPTZ: 'TIMESTAMP WITH TIME ZONE',
};

/** A type name in one canonical spelling: upper case, single spaces, no spaces around `(`, `,`, `)`. */
export function normalizeType(sqlType: string): string {
  let normalized = NORMALIZED.get(sqlType);
  if (normalized === undefined) {
    if (NORMALIZED.size >= 10_000) NORMALIZED.clear();
    NORMALIZED.set(sqlType, (normalized = normalizeUncached(sqlType)));
  }
  return normalized;
}

/** Type spellings seen so far (a plan compares every column of every input: a handful of distinct types, many times). */
const NORMALIZED = new Map<string, string>();

function normalizeUncached(sqlType: string): string {
  const flat = sqlType.trim().toUpperCase().replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1');
  const paren = flat.indexOf('(');
  const base = paren < 0 ? flat : flat.slice(0, paren);
  const args = paren < 0 ? '' : flat.slice(paren);
  return (SYNONYMS[base] ?? base) + args;
}

/** True when the type a dialect would declare and the type the warehouse reports are the same. */
export function sameType(declared: string, reported: string): boolean {
  return normalizeType(declared) === normalizeType(reported);
}
