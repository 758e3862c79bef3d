import { openAdapter, resolveTarget } from '../adapters/registry.js';
import type { Adapter } from '../adapters/adapter.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { loadProject } from '../project/load-project.js';
import { Writeback } from './writeback.js';

/** Options of `openProject`. */
export interface OpenProjectOptions {
  /** Target name from project.yml; default: the project's `default_target`. */
  target?: string;
  /** Reuse an open adapter (e.g. `dev`, which applies and serves in one process); it is not closed by `close()`. */
  adapter?: Adapter;
  /** Largest batch accepted; default 1,000,000 rows. */
  maxBatchRows?: number;
}

/** The project in `dir` does not load; `diagnostics` say where. */
export class OpenProjectError extends Error {
  override readonly name = 'OpenProjectError';
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`the project does not load: ${diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`);
  }
}

/**
 * Load the project in `dir` and connect to its target (DuckDB: the file relative to the project).
 * Does not apply the project: run plan/apply first. Throws `OpenProjectError` when the project
 * has errors and `UsageError` for an unknown target or a DuckDB file held by another process.
 */
export async function openProject(dir: string, opts: OpenProjectOptions = {}): Promise<Writeback> {
  const loaded = await loadProject(dir);
  if (!loaded.ok) throw new OpenProjectError(loaded.diagnostics);
  const project = loaded.value;
  const target = resolveTarget(project, opts.target);
  const adapter = opts.adapter ?? (await openAdapter(project, target));
  return Writeback.create(project, adapter, {
    targetName: target.name,
    ownsAdapter: opts.adapter === undefined,
    ...(opts.maxBatchRows !== undefined ? { maxBatchRows: opts.maxBatchRows } : {}),
  });
}
