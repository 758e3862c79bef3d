import type { Diagnostic } from '../diagnostics/diagnostic.js';
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

/** Collects diagnostics; errors make the load fail, warnings do not. */
export class DiagnosticSink {
  /** Every error and warning, in the order found. */
  readonly all: Diagnostic[] = [];
  /** Adds one or more diagnostics. */
  add(...diags: Diagnostic[]): void {
    this.all.push(...diags);
  }
  /** Adds a warning. */
  warn(d: Diagnostic): void {
    this.all.push({ ...d, severity: 'warning' });
  }
  /** True when at least one error was collected. */
  get hasErrors(): boolean {
    return this.all.some((d) => d.severity === 'error');
  }
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
