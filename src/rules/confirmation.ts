import type { Project } from '../ir/types.js';
import type { WriteError } from './outcome.js';

/** Rows changed at once beyond which a change must be confirmed, when project.yml sets no `confirm_threshold`. */
export const DEFAULT_CONFIRM_THRESHOLD = 100;

/** The project's threshold: `confirm_threshold` in project.yml, else the default. */
export function confirmThreshold(project: Pick<Project, 'confirmThreshold'>): number {
  return project.confirmThreshold ?? DEFAULT_CONFIRM_THRESHOLD;
}

/**
 * The bulk-confirmation rule, for HTTP and the CLI alike: changing more than `threshold` rows at
 * once needs a confirmation (`"confirm": true` / `--yes`) or a dry run; else `confirmation_required`
 * with the count. `how` names the confirmation in the caller's words.
 */
export function confirmationRequired(
  count: number,
  verb: string,
  given: { confirm?: boolean | undefined; dryRun?: boolean | undefined },
  threshold: number,
  how: { confirm: string; dryRun: string },
): WriteError | undefined {
  if (count <= threshold || given.confirm || given.dryRun) return undefined;
  return {
    code: 'confirmation_required',
    message: `${verb} ${count} rows at once needs ${how.confirm} (or ${how.dryRun} to see what would change); the limit without confirmation is ${threshold}`,
    details: [{ message: `${count} rows`, count, threshold }],
  };
}
