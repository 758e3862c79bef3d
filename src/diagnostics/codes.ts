import type { CodeSpec, Params } from './code-spec.js';
import { DEPLOY_CODES } from './codes-deploy.js';
import { LOAD_CODES } from './codes-load.js';
import { MODEL_CODES } from './codes-model.js';

/**
 * Every diagnostic code, with the parameters it takes and the message (and hint) it makes of
 * them. Codes are stable: tests and `--json` consumers rely on them; a message is written here
 * and nowhere else.
 */
export const DIAGNOSTIC_CODES = { ...LOAD_CODES, ...MODEL_CODES, ...DEPLOY_CODES };

/** A diagnostic code. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** The parameters of a code. */
export type ParamsOf<C extends DiagnosticCode> = (typeof DIAGNOSTIC_CODES)[C] extends CodeSpec<infer P> ? P : never;

/** The message and fixed hint of a code for its parameters. */
export function describeCode<C extends DiagnosticCode>(code: C, params: ParamsOf<C>): { message: string; hint?: string } {
  return describeUnchecked(code, params);
}

/**
 * {@link describeCode} for parameters read back from a diagnostic (e.g. `--json` output or a
 * stored one), whose type no longer names the code.
 */
export function describeUnchecked(code: DiagnosticCode, params: Params): { message: string; hint?: string } {
  // Each spec's parameter type is declared with its code; a diagnostic's params were checked against it when it was made.
  const spec = DIAGNOSTIC_CODES[code] as unknown as CodeSpec<Params>;
  const hint = spec.hint?.(params);
  return hint === undefined ? { message: spec.message(params) } : { message: spec.message(params), hint };
}
