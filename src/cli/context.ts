import { resolve } from 'node:path';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type { LoadOptions } from '../project/load-project.js';
import type { ProjectConfig } from '../project/read-project-file.js';
import { formatDiagnostics } from '../diagnostics/code-frame.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Project, TargetConfig } from '../ir/types.js';
import { UsageError } from '../adapters/usage-error.js';
import type { Opened, OpenOptions } from './connect.js';
import type { Adapter } from '../adapters/adapter.js';
import { paintErr, plural, printJson, useColorErr } from './output.js';

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
  process.stderr.write(formatDiagnostics(diagnostics, projectDir, { color: useColorErr }) + '\n');
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  process.stderr.write(paintErr('red', plural(errors, 'error')) + '\n');
}

/** Load and validate the project, or print every problem and stop. */
export async function loadOrExit(opts: GlobalOptions, load: LoadOptions = {}): Promise<Project> {
  const dir = resolve(opts.project);
  const { loadProject } = await import('../project/load-project.js');
  const result = await loadProject(dir, { cache: true, ...load });
  if (!result.ok) {
    reportDiagnostics(result.diagnostics, opts, dir);
    throw new ReportedFailure(1);
  }
  if (result.warnings.length > 0 && !opts.json) {
    process.stderr.write(formatDiagnostics(result.warnings, dir, { color: useColorErr }) + '\n');
  }
  return result.value;
}

/**
 * Load the project (reporting its diagnostics, like `loadOrExit`) and connect to the chosen target
 * (connect.ts: or find the server that holds it). An existing DuckDB file is opened while the rest
 * of the project loads — the open runs on DuckDB's own threads while the YAML parses (for 2,000
 * objects each takes most of a second); when the project does not load, that connection is
 * closed. A missing file is created only after a successful load.
 */
export async function loadAndOpen(opts: GlobalOptions, options: OpenOptions = {}): Promise<{ project: Project; target: TargetConfig } & Opened> {
  const { duckdbPath, resolveTarget } = await import('../adapters/registry.js');
  const { openWarehouse } = await import('./connect.js');
  let early: Promise<Opened> | undefined;
  const onConfig = (config: ProjectConfig, dir: string) => {
    const target = config.targets[opts.target ?? config.defaultTarget];
    if (target?.type === 'duckdb' && target.path !== ':memory:' && existsSync(duckdbPath({ dir }, target))) {
      early = openWarehouse({ dir, schemas: config.schemas }, target, options);
      early.catch(() => undefined); // awaited below, or abandoned when the project does not load
    }
  };
  let project: Project;
  try {
    project = await loadOrExit(opts, { onConfig });
  } catch (err) {
    await early?.then((o) => o.adapter?.close()).catch(() => undefined);
    throw err;
  }
  const target = resolveTarget(project, opts.target);
  return { project, target, ...(await (early ?? openWarehouse(project, target, options))) };
}

/** {@link loadAndOpen} for callers that need the connection itself (a server holding the file is an error that names it). */
export async function loadAndConnect(opts: GlobalOptions): Promise<{ project: Project; adapter: Adapter; target: TargetConfig }> {
  const opened = await loadAndOpen(opts, { forServer: true });
  const { alreadyServing } = await import('./connect.js');
  if (!opened.adapter) throw alreadyServing(opened.server);
  return { project: opened.project, adapter: opened.adapter, target: opened.target };
}

export { UsageError };
