import { z } from 'zod';
import type { HttpLibrary } from '../http/library.js';
import type { DeployOptions } from '../library/deployment.js';
import { issueDetails } from '../http/parse-request.js';
import { wireRegistry } from '../http/wire-schemas.js';
import type { AdminOperationResult } from './server-options.js';

/** Body of `POST /api/v1/admin/apply`. */
export const ApplyBodySchema = z
  .strictObject({
    user: z.string().min(1).optional().describe('Recorded as `applied_by` (default: the user running the server).'),
    allow_destructive: z.boolean().optional(),
    dry_run: z.boolean().optional(),
  })
  .register(wireRegistry, { id: 'ApplyRequest' });

/** One planned warehouse change, as `writeback plan --json` prints it (more fields per `kind`). */
const OperationSchema = z.looseObject({ kind: z.string(), description: z.string(), destructive: z.boolean() });

/** Response of `POST /api/v1/admin/apply`. */
export const ApplyResponseSchema = z
  .object({
    ok: z.literal(true),
    applied: z.boolean().describe('False for a dry run or when the warehouse already matched.'),
    operations: z.array(OperationSchema),
    summary: z.unknown().optional().describe('What apply ran (statements, time).'),
    warnings: z.array(z.looseObject({ message: z.string() })).describe('Warnings of the plan, as diagnostics (code, severity, message, params, loc).'),
  })
  .register(wireRegistry, { id: 'ApplyResponse' });

/** How the apply hook runs. */
export interface ApplyHookOptions {
  /** Recorded as `applied_by` when the body names no user. */
  defaultUser: string;
  /** Deploy this already loaded project instead of re-loading it from disk (the CLI's in-process call). */
  project?: DeployOptions['project'];
  /** Progress of the operations being applied (the CLI's in-process call on a terminal). */
  onProgress?: DeployOptions['onProgress'];
  /** Plan again after applying to track drift (default true; the CLI's in-process call, closed right after, passes false). */
  recheck?: DeployOptions['recheck'];
}

/**
 * The `apply` hook of `startServer` (`POST /api/v1/admin/apply`, body `{ user?, allow_destructive?, dry_run? }`):
 * the library re-loads the project from disk, plans it against the server's own connection,
 * applies it with the write path quiet and swaps the new project in (`wb.deploy.apply`). So
 * `writeback apply` works while `serve` holds the DuckDB file, and `dev` re-applies through it.
 * Answers `{ ok, applied, operations }`, or 422 `validation_failed` with the diagnostics.
 */
export function applyThroughServer(wb: HttpLibrary, options: ApplyHookOptions) {
  return async (body: unknown): Promise<AdminOperationResult> => {
    const parsed = ApplyBodySchema.safeParse(body ?? {});
    if (!parsed.success) {
      return { status: 400, body: { error: { code: 'bad_request', message: 'request body does not match the expected shape', details: issueDetails(parsed.error.issues) } } };
    }
    const b = parsed.data;
    const res = await wb.deploy.apply({
      user: b.user ?? options.defaultUser,
      ...(b.allow_destructive ? { allowDestructive: true } : {}),
      ...(b.dry_run ? { dryRun: true } : {}),
      ...(options.project ? { project: options.project } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.recheck === false ? { recheck: false } : {}),
    });
    if (!res.ok) return { status: 422, body: { error: res.error } };
    return { status: 200, body: { ok: true, applied: res.applied, operations: res.operations, ...(res.summary !== undefined ? { summary: res.summary } : {}), warnings: res.warnings } };
  };
}
