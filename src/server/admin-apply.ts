import { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { loadProject } from '../project/load-project.js';
import { planProject } from '../plan/plan-project.js';
import { applyPlan } from '../apply/apply-plan.js';
import type { ErrorDetail } from '../rules/outcome.js';
import type { ServerLibrary } from './library.js';
import type { AdminOperationResult } from './server-options.js';
import { issueDetails } from './parse-request.js';

const ApplyBodySchema = z.strictObject({
  user: z.string().min(1).optional(),
  allow_destructive: z.boolean().optional(),
  dry_run: z.boolean().optional(),
});

function diagnosticDetails(diagnostics: Diagnostic[]): ErrorDetail[] {
  return diagnostics.map((d) => ({ message: d.message, code: d.code, severity: d.severity, ...(d.loc ? { loc: d.loc } : {}), ...(d.hint ? { hint: d.hint } : {}) }));
}

const failed = (status: number, code: string, message: string, details: ErrorDetail[]): AdminOperationResult => ({
  status,
  body: { error: { code, message, details } },
});

/**
 * The `apply` hook of `startServer` (`POST /api/v1/admin/apply`, body `{ user?, allow_destructive?, dry_run? }`):
 * re-load the project from disk, plan it against the server's own connection, apply, and swap the
 * new project into the library. So `writeback apply` works while `serve` holds the DuckDB file.
 * Answers `{ ok, applied, operations }`, or 422 `validation_failed` with the diagnostics.
 */
export function applyThroughServer(wb: ServerLibrary, options: { targetName: string; defaultUser: string }) {
  return async (body: unknown): Promise<AdminOperationResult> => {
    const parsed = ApplyBodySchema.safeParse(body ?? {});
    if (!parsed.success) return failed(400, 'bad_request', 'request body does not match the expected shape', issueDetails(parsed.error.issues));
    // the write path stays quiet while the tables change under it (in-flight writes finish first)
    return wb.quiesce(() => applyNow(wb, parsed.data, options));
  };
}

/** Load, plan and apply the project from disk, then swap it into the library (the write path is quiet meanwhile). */
async function applyNow(
  wb: ServerLibrary,
  body: z.infer<typeof ApplyBodySchema>,
  options: { targetName: string; defaultUser: string },
): Promise<AdminOperationResult> {
  const loaded = await loadProject(wb.project.dir);
  if (!loaded.ok) return failed(422, 'validation_failed', 'the project does not load', diagnosticDetails(loaded.diagnostics));
  const plan = await planProject(loaded.value, {
    targetName: options.targetName,
    adapter: wb.adapter,
    user: body.user ?? options.defaultUser,
    allowDestructive: body.allow_destructive ?? false,
  });
  if (!plan.ok) return failed(422, 'validation_failed', 'the plan was refused', diagnosticDetails(plan.diagnostics));
  const operations = plan.value.operations;
  if (body.dry_run || operations.length === 0) return { status: 200, body: { ok: true, applied: false, operations } };
  const applied = await applyPlan(plan.value, wb.adapter);
  if (!applied.ok) return failed(422, 'validation_failed', 'apply failed', diagnosticDetails(applied.diagnostics));
  await wb.reload(loaded.value);
  return { status: 200, body: { ok: true, applied: true, operations, summary: applied.value } };
}
