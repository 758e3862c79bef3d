import type { SourceLocation } from '../ir/types.js';

/** Every problem a user can cause in a project, as a value (never thrown). */
export interface Diagnostic {
  /** Stable, kebab-case code, e.g. `unknown-key`, `model-cycle`. Tests and `--json` consumers rely on it. */
  code: string;
  severity: 'error' | 'warning';
  message: string;
  /** Where: file:line:col in the project. Absent only for project-wide problems (e.g. no project.yml). */
  loc?: SourceLocation;
  /** An optional suggestion printed under the code frame. */
  hint?: string;
}

/** The result of a stage that can fail because of user input. */
export type Result<T> = { ok: true; value: T; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export function error(code: string, message: string, loc?: SourceLocation, hint?: string): Diagnostic {
  return { code, severity: 'error', message, ...(loc ? { loc } : {}), ...(hint ? { hint } : {}) };
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}
