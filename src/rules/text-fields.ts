import { textProblem } from './column-rules.js';
import { failure, type WriteError } from './outcome.js';

/**
 * Free text that is stored with every entry and hashed into the chain must be storable exactly
 * (the column rules' `textProblem`): else 422 naming the field.
 */
export function textFieldProblem(fields: Record<string, string | null | undefined>): { ok: false; error: WriteError } | undefined {
  for (const [field, text] of Object.entries(fields)) {
    if (typeof text !== 'string') continue;
    const bad = textProblem(text);
    if (bad) return failure('validation_failed', `the ${field.replace('_', ' ')} ${bad}`, [{ column: field, message: bad }]);
  }
  return undefined;
}
