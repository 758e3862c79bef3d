import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './demo-session.js';

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

function cliHasCommand(name: string): boolean {
  const dir = join(ROOT, 'src', 'cli', 'commands');
  return readdirSync(dir).some((f) => f.endsWith('.ts') && new RegExp(`\\.command\\(['"\`]${name}\\b`).test(readFileSync(join(dir, f), 'utf8')));
}

export const PENDING: PendingFeature[] = [
  {
    what: '`writeback query` (one read-only SQL statement over the warehouse, through a running server)',
    usedBy: (s) => /\bwriteback query\b/.test(s),
    present: () => cliHasCommand('query'),
  },
  {
    what: 'the CLI waits for a server that is still starting (`writeback serve &` then at once another command)',
    usedBy: (s) => /\bwriteback serve\b[^\n]*&\s*(#.*)?$/m.test(s),
    present: () => existsSync(join(ROOT, 'src', 'runtime', 'await-server.ts')),
    meanwhile: (s) => s.replace(/^(.*\bwriteback serve\b[^\n]*&)[ \t]*(#.*)?$/m, '$1 __wb_wait_server'),
  },
];

/** The pending features a block uses. */
export function pendingFor(script: string): PendingFeature[] {
  return PENDING.filter((f) => f.usedBy(script) && !f.present());
}
