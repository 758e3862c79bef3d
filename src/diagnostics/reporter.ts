import type { SourceLocation } from '../ir/types.js';
import { diagnostic, type Diagnostic, type DiagnosticCode, type ParamsOf, type Result } from './diagnostic.js';

/**
 * Collects the errors and warnings of a stage (load, validate, resolve, emit, plan, apply), in
 * the order found. Never throws: a stage reports and keeps going, and its caller turns what was
 * collected into a {@link Result}.
 */
export class Reporter {
  /** Every error and warning, in the order found. */
  readonly all: Diagnostic[] = [];

  /** Reports an error of `code` at `loc`; `hint` replaces the code's own hint. */
  error<C extends DiagnosticCode>(code: C, params: ParamsOf<C>, loc?: SourceLocation, hint?: string): void {
    this.all.push(diagnostic('error', code, params, loc, hint));
  }

  /** Reports a warning of `code` at `loc`. */
  warn<C extends DiagnosticCode>(code: C, params: ParamsOf<C>, loc?: SourceLocation, hint?: string): void {
    this.all.push(diagnostic('warning', code, params, loc, hint));
  }

  /** Adds diagnostics collected elsewhere (e.g. another stage's result). */
  add(...diagnostics: readonly Diagnostic[]): void {
    this.all.push(...diagnostics);
  }

  /** True when at least one error was collected. */
  get hasErrors(): boolean {
    return this.all.some((d) => d.severity === 'error');
  }

  /** How many diagnostics were collected so far (a mark for {@link errorsSince}). */
  get size(): number {
    return this.all.length;
  }

  /** True when an error was collected after `mark` (a {@link size} taken earlier). */
  errorsSince(mark: number): boolean {
    return this.all.slice(mark).some((d) => d.severity === 'error');
  }

  /** `value` with the warnings, or every diagnostic when there was an error (or no value). */
  result<T>(value: T | undefined): Result<T> {
    if (this.hasErrors || value === undefined) return { ok: false, diagnostics: [...this.all] };
    return { ok: true, value, warnings: [...this.all] };
  }
}
