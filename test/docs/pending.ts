/**
 * Features the pages document before they are in this checkout. A block that uses one is
 * reported as skipped with "pending: …" (never as passed); once the feature is here, the block
 * runs like any other. Remove an entry when its feature has landed.
 */
export interface PendingFeature {
  what: string;
  /** Whether a block uses it. */
  usedBy: (script: string) => boolean;
  /** Whether this checkout has it. */
  present: () => boolean;
  /**
   * How the block runs meanwhile, when later blocks need what it does (its result is not
   * checked); without one the block is not run.
   */
  meanwhile?: (script: string) => string;
}

/** No documented feature is pending. */
export const PENDING: PendingFeature[] = [];

/** The pending features a block uses. */
export function pendingFor(script: string): PendingFeature[] {
  return PENDING.filter((f) => f.usedBy(script) && !f.present());
}
