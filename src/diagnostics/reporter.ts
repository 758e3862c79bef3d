import type { Diagnostic } from './diagnostic.js';

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
