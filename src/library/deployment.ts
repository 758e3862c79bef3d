import type { Adapter } from '../adapters/adapter.js';
import { applyPlan } from '../apply/apply-plan.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Project } from '../ir/types.js';
import type { Operation } from '../plan/operation.js';
import { planProject } from '../plan/plan-project.js';
import { loadProject } from '../project/load-project.js';
import type { ErrorDetail, Outcome } from '../rules/outcome.js';
import { driftOf, IN_SYNC, type Drift } from './drift.js';

/** Options of `deploy.apply`. */
export interface DeployOptions {
  /** Recorded as `applied_by`. */
  user: string;
  /** Allow dropping state columns and archiving removed input tables. Default false. */
  allowDestructive?: boolean;
  /** Plan only: report the operations, change nothing. */
  dryRun?: boolean;
}

/** What `deploy.apply` did: the operations planned, whether they were applied, and the apply summary. */
export type DeployResult = Outcome<{ applied: boolean; operations: Operation[]; summary?: unknown }>;

/** What deploying needs of the library. */
export interface DeployHost {
  project(): Project;
  readonly adapter: Adapter;
  readonly targetName: string;
  /** Run `fn` with no write in flight. */
  quiesce<T>(fn: () => Promise<T>): Promise<T>;
  /** Swap in the re-loaded project. */
  reload(project: Project): Promise<void>;
}

/** Diagnostics as error details (`loc` = file:line:col in the project). */
export function diagnosticDetails(diagnostics: Diagnostic[]): ErrorDetail[] {
  return diagnostics.map((d) => ({ message: d.message, code: d.code, severity: d.severity, ...(d.loc ? { loc: d.loc } : {}), ...(d.hint ? { hint: d.hint } : {}) }));
}

const refused = (message: string, diagnostics: Diagnostic[]): DeployResult => ({ ok: false, error: { code: 'validation_failed', message, details: diagnosticDetails(diagnostics) } });

/**
 * Plan and apply the project against the library's own connection (`writeback apply` through a
 * running server, and `dev`), and keep track of whether the warehouse matches the project.
 */
export class Deployment {
  private known: Drift = IN_SYNC;

  constructor(private readonly host: DeployHost) {}

  /** The last result of {@link check} or {@link apply} (in sync until one ran). */
  get drift(): Drift {
    return this.known;
  }

  /** Plan the loaded project against the warehouse: an empty plan = in sync. Reads only. */
  async check(): Promise<Drift> {
    const project = this.host.project();
    const plan = await planProject(project, { targetName: this.host.targetName, adapter: this.host.adapter, user: 'check' });
    this.known = driftOf(project, plan.ok ? { ok: true, operations: plan.value.operations } : plan);
    return this.known;
  }

  /**
   * Re-load the project from disk, plan it, apply it with the write path quiet (in-flight writes
   * finish first, new ones wait), swap the new project in, then check again. A project that does
   * not load, a refused plan and a failed apply are `validation_failed` with the diagnostics.
   */
  apply(opts: DeployOptions): Promise<DeployResult> {
    return this.host.quiesce(async () => {
      const result = await this.applyNow(opts);
      // after an apply (or a failed one) the warehouse may match the project, or only partly
      if (!opts.dryRun && (!result.ok || result.applied)) await this.check().catch(() => undefined);
      return result;
    });
  }

  private async applyNow(opts: DeployOptions): Promise<DeployResult> {
    const loaded = await loadProject(this.host.project().dir);
    if (!loaded.ok) return refused('the project does not load', loaded.diagnostics);
    const plan = await planProject(loaded.value, {
      targetName: this.host.targetName,
      adapter: this.host.adapter,
      user: opts.user,
      allowDestructive: opts.allowDestructive ?? false,
    });
    if (!plan.ok) return refused('the plan was refused', plan.diagnostics);
    const operations = plan.value.operations;
    if (opts.dryRun || operations.length === 0) {
      if (!opts.dryRun) {
        await this.host.reload(loaded.value);
        this.known = IN_SYNC;
      }
      return { ok: true, applied: false, operations };
    }
    const applied = await applyPlan(plan.value, this.host.adapter, { projectDir: loaded.value.dir });
    if (!applied.ok) return refused('apply failed', applied.diagnostics);
    await this.host.reload(loaded.value);
    return { ok: true, applied: true, operations, summary: applied.value };
  }
}
