import { resolve } from 'node:path';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { type LoadOptions, loadProject } from '../project/load-project.js';
import type { ProjectConfig } from '../project/read-project-file.js';
import { formatDiagnostics } from '../diagnostics/code-frame.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Project, TargetConfig } from '../ir/types.js';
import type { Adapter } from '../adapters/adapter.js';
import { duckdbPath, openAdapter, resolveTarget, UsageError } from '../adapters/registry.js';
import { paint, printJson, useColor } from './output.js';

/** Flags every command accepts (declared on the root program). */
export interface GlobalOptions {
  project: string;
  target?: string;
  json?: boolean;
}

/** The global flags as seen from inside a subcommand's action. */
export function globals(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** A failure already reported to the user; main exits with `exitCode` without printing more. */
export class ReportedFailure extends Error {
  constructor(readonly exitCode = 1) {
    super('reported');
  }
}

/** Print diagnostics for people (code frames) or machines (`--json`). */
export function reportDiagnostics(diagnostics: Diagnostic[], opts: GlobalOptions, projectDir: string): void {
  if (opts.json) {
    printJson({ ok: false, diagnostics });
    return;
  }
  process.stderr.write(formatDiagnostics(diagnostics, projectDir, { color: useColor }) + '\n');
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  process.stderr.write(paint('red', `${errors} error${errors === 1 ? '' : 's'}`) + '\n');
}

/** Load and validate the project, or print every problem and stop. */
export async function loadOrExit(opts: GlobalOptions, load: LoadOptions = {}): Promise<Project> {
  const dir = resolve(opts.project);
  const result = await loadProject(dir, load);
  if (!result.ok) {
    reportDiagnostics(result.diagnostics, opts, dir);
    throw new ReportedFailure(1);
  }
  if (result.warnings.length > 0 && !opts.json) {
    process.stderr.write(formatDiagnostics(result.warnings, dir, { color: useColor }) + '\n');
  }
  return result.value;
}

/**
 * Load the project (reporting its diagnostics, like `loadOrExit`) and connect to the chosen target.
 * An existing DuckDB file is opened while the rest of the project loads — the open runs on DuckDB's
 * own threads while the YAML parses (for 2,000 objects each takes most of a second); when the
 * project does not load, that connection is closed. A missing file is created only after a
 * successful load, as before.
 */
export async function loadAndConnect(opts: GlobalOptions): Promise<{ project: Project; adapter: Adapter; target: TargetConfig }> {
  let early: Promise<Adapter> | undefined;
  const onConfig = (config: ProjectConfig, dir: string) => {
    const target = config.targets[opts.target ?? config.defaultTarget];
    if (target?.type === 'duckdb' && target.path !== ':memory:' && existsSync(duckdbPath({ dir }, target))) early = openAdapter({ dir, schemas: config.schemas }, target);
  };
  let project: Project;
  try {
    project = await loadOrExit(opts, { onConfig });
  } catch (err) {
    await early?.then((a) => a.close()).catch(() => undefined);
    throw err;
  }
  const target = resolveTarget(project, opts.target);
  return { project, target, adapter: await (early ?? openAdapter(project, target)) };
}

/** Run `fn` with an open connection to the chosen target, closing it afterwards. */
export async function withAdapter<T>(
  project: Project,
  opts: GlobalOptions,
  fn: (adapter: Adapter, target: TargetConfig) => Promise<T>,
  readOnly = false,
): Promise<T> {
  const target = resolveTarget(project, opts.target);
  const adapter = await openAdapter(project, target, { readOnly });
  try {
    return await fn(adapter, target);
  } finally {
    await adapter.close();
  }
}

export { UsageError };
