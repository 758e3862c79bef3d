import type { SourceLocation } from '../ir/types.js';
import type { Params } from './code-spec.js';
import { describeCode, type DiagnosticCode, type ParamsOf } from './codes.js';

export { formatLocation } from './message-text.js';
export type { DiagnosticCode, ParamsOf } from './codes.js';

/** Every problem a user can cause in a project, as a value (never thrown). */
export interface Diagnostic {
  /** Stable, kebab-case code, e.g. `unknown-key`, `model-cycle` (see codes.ts). Tests and `--json` consumers rely on it. */
  code: DiagnosticCode;
  severity: 'error' | 'warning';
  /** Made from `params` by the code (codes.ts). */
  message: string;
  /** What the message is made of, for machines. */
  params: Params;
  /** Where: file:line:col in the project. Absent only for project-wide problems (e.g. no project.yml). */
  loc?: SourceLocation;
  /** An optional suggestion printed under the code frame. */
  hint?: string;
}

/** The result of a stage that can fail because of user input. */
export type Result<T> = { ok: true; value: T; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** A diagnostic of `code`; its message (and hint, unless one is given) comes from the code. */
export function diagnostic<C extends DiagnosticCode>(
  severity: Diagnostic['severity'],
  code: C,
  params: ParamsOf<C>,
  loc?: SourceLocation,
  hint?: string,
): Diagnostic {
  const described = describeCode(code, params);
  const h = hint ?? described.hint;
  return { code, severity, message: described.message, params, ...(loc ? { loc } : {}), ...(h ? { hint: h } : {}) };
}
