import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadProject } from '../project/load-project.js';
import { formatDiagnostics } from '../diagnostics/code-frame.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Project, TargetConfig } from '../project/types.js';
import type { Adapter } from '../adapters/adapter.js';
import { openAdapter, resolveTarget, UsageError } from '../adapters/registry.js';
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
export async function loadOrExit(opts: GlobalOptions): Promise<Project> {
  const dir = resolve(opts.project);
  const result = await loadProject(dir);
  if (!result.ok) {
    reportDiagnostics(result.diagnostics, opts, dir);
    throw new ReportedFailure(1);
  }
  if (result.warnings.length > 0 && !opts.json) {
    process.stderr.write(formatDiagnostics(result.warnings, dir, { color: useColor }) + '\n');
  }
  return result.value;
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
