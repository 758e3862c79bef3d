import { formatDiagnostics } from '../diagnostics/code-frame.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Project } from '../ir/types.js';
import { adminCall, adminError } from './admin-call.js';
import { reportDiagnostics, ReportedFailure, type GlobalOptions } from './context.js';
import { paint, plural, progress, useColorErr } from './output.js';
import { printApiError } from './print-error.js';

/** One planned warehouse change as the apply route answers it. */
export interface PlannedOperation {
  kind: string;
  description: string;
  destructive?: boolean;
}

/** The answer of `POST /admin/apply`. */
export interface DeployAnswer {
  ok: true;
  applied: boolean;
  operations: PlannedOperation[];
  warnings?: Diagnostic[];
}

export interface DeployFlags {
  allowDestructive?: boolean;
  dryRun?: boolean;
  user?: string;
}

/** Details of a `validation_failed` that carry diagnostics (code, severity, loc) — printed with code frames. */
function asDiagnostics(details: unknown[]): Diagnostic[] | undefined {
  const all = details as Partial<Diagnostic>[];
  return all.length > 0 && all.every((d) => typeof d.code === 'string' && typeof d.severity === 'string') ? (all as Diagnostic[]) : undefined;
}

/**
 * Report an apply route's answer: warnings and failures as diagnostics with code frames (or
 * `{ ok: false, diagnostics }` with --json, as `validate` prints them), other failures in the
 * error shape. Returns the answer when it succeeded; throws ReportedFailure(1) otherwise.
 */
export function reportDeploy(status: number, body: unknown, opts: GlobalOptions, projectDir: string): DeployAnswer {
  if (status < 400) {
    const answer = body as DeployAnswer;
    if (answer.warnings && answer.warnings.length > 0 && !opts.json) process.stderr.write(formatDiagnostics(answer.warnings, projectDir, { color: useColorErr }) + '\n');
    return answer;
  }
  const error = adminError({ status, ok: false, body });
  const diagnostics = error.code === 'validation_failed' ? asDiagnostics(error.details) : undefined;
  if (diagnostics) reportDiagnostics(diagnostics, opts, projectDir);
  else printApiError(error, opts.json);
  throw new ReportedFailure(1);
}

/**
 * Plan (`dryRun`) or apply the project on disk through the admin apply route: of the running
 * server when one holds the warehouse (it re-loads the same files, so it plans what this command
 * sees), else in this process on the project already loaded. One path for `plan` and `apply`.
 */
export async function deployProject(opts: GlobalOptions, project: Project, flags: DeployFlags): Promise<DeployAnswer & { server?: string; ms: number }> {
  const started = performance.now();
  const bar = flags.dryRun ? undefined : progress('applying', { tick: true });
  let res;
  try {
    res = await adminCall(
      opts,
      'POST',
      'apply',
      { ...(flags.user ? { user: flags.user } : {}), ...(flags.allowDestructive ? { allow_destructive: true } : {}), ...(flags.dryRun ? { dry_run: true } : {}) },
      { project, ...(bar ? { onProgress: (done: number, total: number) => bar.update(done, total) } : {}) },
    );
  } finally {
    bar?.done();
  }
  const answer = reportDeploy(res.status, res.body, opts, project.dir);
  return { ...answer, ...(res.server ? { server: res.server.url } : {}), ms: Math.round(performance.now() - started) };
}

/** Print a plan for people: one line per operation, destructive ones in red. */
export function printPlan(operations: readonly PlannedOperation[]): void {
  if (operations.length === 0) {
    console.log(`${paint('green', '✓')} nothing to do: the warehouse matches the project`);
    return;
  }
  for (const op of operations) console.log(`  ${op.destructive === true ? paint('red', '!') : paint('green', '+')} ${op.description}`);
  console.log(plural(operations.length, 'operation'));
}
