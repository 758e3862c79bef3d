/**
 * Name rules for everything a user names in YAML (project, sources, tables, inputs, columns,
 * models, roles, macros, vars, targets). Names are always quoted by the dialect when emitted,
 * so SQL reserved words (`select`, `order`, `user`) are allowed — quoting makes them safe and
 * portable; we do not keep a reserved-word list that would differ per warehouse.
 */

/** The pattern every name must match. */
export const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

/** The longest allowed name (Postgres truncates identifiers at 63 bytes). */
export const MAX_NAME_LENGTH = 63;

/** Why `name` is not a valid name, or undefined when it is valid. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a name cannot be empty';
  if (name.length > MAX_NAME_LENGTH) return `is ${name.length} characters long; names have at most ${MAX_NAME_LENGTH}`;
  if (name.startsWith('_')) return 'must not start with `_` (reserved for system columns and managed tables)';
  if (name.includes('__')) return 'must not contain `__` (reserved for generated names like `<model>__v2`)';
  if (/[^\x20-\x7e]/.test(name)) return 'contains a non-ASCII character (only a-z, 0-9 and _ are allowed)';
  if (!NAME_PATTERN.test(name)) return 'must start with a lowercase letter and contain only a-z, 0-9 and _';
  return undefined;
}

/** Physical warehouse names (schema, database, identifier) may use upper case and `$`/`-`. */
export const PHYSICAL_NAME_PATTERN = /^[A-Za-z0-9_$-]+$/;

/** Why a physical name is invalid, or undefined. */
export function physicalNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a name cannot be empty';
  if (name.length > 255) return 'is longer than 255 characters';
  if (!PHYSICAL_NAME_PATTERN.test(name)) return 'may only contain A-Z, a-z, 0-9, `_`, `$` and `-`';
  return undefined;
}
