import type { InputTable, MacroVariant, Role, Scalar, Source, SourceLocation, TargetConfig } from '../ir/types.js';

/** Names that were declared but failed validation: references to them are not reported again. */
export interface BrokenNames {
  sources: Set<string>;
  roles: Set<string>;
  vars: Set<string>;
  targets: Set<string>;
  inputs: Set<string>;
  models: Set<string>;
}

/** What the loader knows while it checks references; built up file by file. */
export interface LoadScope {
  dir: string;
  targets: Record<string, TargetConfig>;
  sources: Record<string, Source>;
  roles: Record<string, Role>;
  vars: Record<string, Scalar>;
  inputs: Record<string, InputTable>;
  /** model name → where it is declared. */
  models: Map<string, SourceLocation>;
  macros: Record<string, MacroVariant[]>;
  /** `*` in a set means the whole section failed validation. */
  broken: BrokenNames;
}

/** An empty scope for a project directory. */
export function emptyScope(dir: string): LoadScope {
  return {
    dir,
    targets: {},
    sources: {},
    roles: {},
    vars: {},
    inputs: {},
    models: new Map(),
    macros: {},
    broken: { sources: new Set(), roles: new Set(), vars: new Set(), targets: new Set(), inputs: new Set(), models: new Set() },
  };
}

/** True when `name` is in the set or the whole section is broken. */
export function isBroken(set: Set<string>, name: string): boolean {
  return set.has(name) || set.has('*');
}

/** True when `source.table` is declared (or its source is broken, to avoid follow-on errors). */
export function sourceTableExists(scope: LoadScope, source: string, table: string): boolean {
  if (isBroken(scope.broken.sources, source)) return true;
  return scope.sources[source]?.tables[table] !== undefined;
}
