import { resolve } from 'node:path';
import type { Command } from 'commander';
import { globals, loadAndConnect, loadOrExit, reportDiagnostics, ReportedFailure, type GlobalOptions } from '../context.js';
import { paint, printJson, progress } from '../output.js';
import { planOrExit, printPlan } from './plan.js';
import { applyPlan } from '../../apply/apply-plan.js';
import type { Adapter } from '../../adapters/adapter.js';
import type { Operation } from '../../plan/operation.js';
import { adminRequest, findRunningServer, type RunningServer } from '../../runtime/index.js';
import { printApiError } from '../print-error.js';
import type { Project, TargetConfig } from '../../ir/types.js';

export interface ApplyOptions extends GlobalOptions {
  allowDestructive?: boolean;
  user?: string;
}

/** Plan and apply on an open connection; prints what was done. Shared by `apply` and `dev`. */
export async function planAndApply(project: Project, adapter: Adapter, target: TargetConfig, opts: ApplyOptions) {
  const plan = await planOrExit(project, adapter, target, opts);
  if (plan.operations.length === 0) {
    if (!opts.json) printPlan(plan);
    return plan;
  }
  const bar = progress('applying');
  const started = performance.now();
  const result = await applyPlan(plan, adapter, { onProgress: (done, total) => bar.update(done, total), projectDir: project.dir });
  bar.done();
  if (!result.ok) {
    reportDiagnostics(result.diagnostics, opts, project.dir);
    throw new ReportedFailure(1);
  }
  if (!opts.json) {
    printPlan(plan);
    console.log(`${paint('green', '✓')} applied to ${target.name} in ${Math.round(performance.now() - started)} ms`);
  }
  return plan;
}

/** `apply` while `serve`/`dev` holds the DuckDB file: the server plans and applies on its own connection. */
async function applyThroughRunningServer(server: RunningServer, opts: ApplyOptions): Promise<void> {
  const res = await adminRequest(server, 'POST', 'apply', {
    ...(opts.user ? { user: opts.user } : {}),
    ...(opts.allowDestructive ? { allow_destructive: true } : {}),
  });
  const body = res.body as { operations?: Operation[]; error?: { code: string; message: string; details: unknown[] } };
  if (!res.ok || body.error) {
    printApiError(body.error ?? { code: 'internal', message: `server answered ${res.status}`, details: [] }, opts.json);
    throw new ReportedFailure(1);
  }
  if (opts.json) return printJson({ ok: true, operations: body.operations ?? [] });
  console.log(paint('dim', `applied through the running server at ${server.url}`));
  printPlan({ operations: body.operations ?? [] });
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('create or alter the write-back tables, load changed seeds, and create new model versions')
    .option('--allow-destructive', 'allow removing columns and input tables (their logs are archived, never dropped)')
    .option('--user <name>', 'who is recorded as applying (default: the OS user)')
    .action(async (options: { allowDestructive?: boolean; user?: string }, command: Command) => {
      const opts = { ...globals(command), ...options };
      const server = findRunningServer(resolve(opts.project));
      if (server) {
        await loadOrExit(opts);
        return applyThroughRunningServer(server, opts);
      }
      // the warehouse opens while the project loads (a no-op apply is mostly these two)
      const { project, adapter, target } = await loadAndConnect(opts);
      let plan: Awaited<ReturnType<typeof planAndApply>>;
      try {
        plan = await planAndApply(project, adapter, target, opts);
      } finally {
        await adapter.close();
      }
      if (opts.json) printJson({ ok: true, operations: plan.operations });
    });
}
