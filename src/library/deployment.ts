import type { Adapter } from '../adapters/adapter.js';
import { applyPlan } from '../apply/apply-plan.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Project } from '../ir/types.js';
import type { Operation } from '../plan/operation.js';
import { planProject } from '../plan/plan-project.js';
import { listVersions, pruneVersions, type PrunedVersion, type VersionInfo } from '../plan/versions.js';
import { loadProject } from '../project/load-project.js';
import { failure, type ErrorDetail, type Outcome } from '../rules/outcome.js';
import { driftOf, IN_SYNC, type Drift } from './drift.js';

/** Options of `deploy.apply`. */
export interface DeployOptions {
  /** Recorded as `applied_by`. */
  user: string;
  /** Allow dropping state columns and archiving removed input tables. Default false. */
  allowDestructive?: boolean;
  /** Plan only: report the operations, change nothing. */
  dryRun?: boolean;
  /** The project to deploy, already loaded from the library's project directory (default: re-load it from disk). */
  project?: Project;
  /** Called as operations are applied (`done` of `total`), e.g. for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Plan again after applying, so {@link Deployment.drift} says whether the warehouse now matches
   * (default true). False for a library closed right after (the CLI's in-process apply): the
   * second plan would read the whole warehouse again for nobody.
   */
  recheck?: boolean;
}

/** What `deploy.apply` did: the operations planned, whether they were applied, the apply summary, and the plan's warnings. */
export type DeployResult = Outcome<{ applied: boolean; operations: Operation[]; summary?: unknown; warnings: ErrorDetail[] }>;

/** Options of `deploy.prune`. */
export interface DeployPruneOptions {
  /** How many of the newest versions of each model to keep (a whole number, at least 1). */
  keep: number;
  /** Report what would be dropped, drop nothing. */
  dryRun?: boolean;
}

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

/** Diagnostics as error details (`loc` = file:line:col in the project), every field kept so a client can print them as diagnostics again. */
export function diagnosticDetails(diagnostics: Diagnostic[]): ErrorDetail[] {
  return diagnostics.map((d) => ({ message: d.message, code: d.code, severity: d.severity, params: d.params, ...(d.loc ? { loc: d.loc } : {}), ...(d.hint ? { hint: d.hint } : {}) }));
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
      if (!opts.dryRun && (!result.ok || result.applied) && opts.recheck !== false) await this.check().catch(() => undefined);
      return result;
    });
  }

  /** Every registered version of every model (or of `model`), ordered by model then version. */
  async versions(model?: string): Promise<Outcome<{ versions: VersionInfo[] }>> {
    const project = this.host.project();
    const versions = await listVersions(this.host.adapter, project, model);
    if (model !== undefined && versions.length === 0 && !project.models.some((m) => m.name === model)) {
      return failure('not_found', `unknown model '${model}' (known: ${project.models.map((m) => m.name).join(', ') || 'none'})`);
    }
    return { ok: true, versions };
  }

  /** Drop version views beyond the newest `keep` of each model (never one an alias or a kept version reads), with the write path quiet. */
  async prune(opts: DeployPruneOptions): Promise<Outcome<{ dropped: PrunedVersion[]; dryRun: boolean }>> {
    if (!Number.isInteger(opts.keep) || opts.keep < 1) return failure('bad_request', `keep must be a whole number of at least 1, got ${opts.keep}`, [{ column: 'keep', message: 'a whole number of at least 1' }]);
    const dropped = await this.host.quiesce(() => pruneVersions(this.host.adapter, this.host.project(), { keep: opts.keep, ...(opts.dryRun ? { dryRun: true } : {}) }));
    return { ok: true, dropped, dryRun: opts.dryRun ?? false };
  }

  private async applyNow(opts: DeployOptions): Promise<DeployResult> {
    const loaded = opts.project ? { ok: true as const, value: opts.project } : await loadProject(this.host.project().dir);
    if (!loaded.ok) return refused('the project does not load', loaded.diagnostics);
    const plan = await planProject(loaded.value, {
      targetName: this.host.targetName,
      adapter: this.host.adapter,
      user: opts.user,
      allowDestructive: opts.allowDestructive ?? false,
    });
    if (!plan.ok) return refused('the plan was refused', plan.diagnostics);
    const operations = plan.value.operations;
    const warnings = diagnosticDetails(plan.warnings);
    if (opts.dryRun || operations.length === 0) {
      if (!opts.dryRun) {
        await this.host.reload(loaded.value);
        this.known = IN_SYNC;
      }
      return { ok: true, applied: false, operations, warnings };
    }
    const applied = await applyPlan(plan.value, this.host.adapter, { projectDir: loaded.value.dir, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
    if (!applied.ok) return refused('apply failed', applied.diagnostics);
    await this.host.reload(loaded.value);
    return { ok: true, applied: true, operations, summary: applied.value, warnings };
  }
}
