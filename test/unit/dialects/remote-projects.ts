import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dialect } from '../../../src/dialects/dialect.js';
import { getDialect } from '../../../src/dialects/registry.js';
import { compileProject, type CompiledObject } from '../../../src/emit/compile-project.js';
import { loadProject } from '../../../src/project/load-project.js';
import type { Project } from '../../../src/ir/types.js';
import { seedSourceColumns } from '../../../src/seeds/seed-columns.js';

/** Repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The warehouse dialects these tests cover (DuckDB has its own golden files). */
export const REMOTE_TYPES = ['snowflake', 'bigquery', 'postgres'] as const;
export type RemoteType = (typeof REMOTE_TYPES)[number];

/** The demo and example projects: golden folder name → project directory. */
export const PROJECTS: Record<string, string> = {
  demo: ROOT,
  churn_outreach: join(ROOT, 'examples', 'churn_outreach'),
  product_categories: join(ROOT, 'examples', 'product_categories'),
};

/** A project loaded from `dir` whose default target is replaced by a `type` target (no settings: compile is offline). */
export async function projectOn(dir: string, type: RemoteType): Promise<Project> {
  const loaded = await loadProject(dir);
  if (!loaded.ok) throw new Error(`cannot load ${dir}: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  const project = loaded.value;
  const name = project.defaultTarget;
  return { ...project, targets: { ...project.targets, [name]: { name, type, settings: {} } } };
}

/** What `writeback compile` produces for a project on a dialect (source columns from the seeds' CSV headers, as the CLI does). */
export async function compileOn(dir: string, type: RemoteType): Promise<{ project: Project; dialect: Dialect; objects: CompiledObject[] }> {
  const project = await projectOn(dir, type);
  const dialect = getDialect(type);
  const objects = compileProject(project, dialect, project.defaultTarget, { sourceColumns: seedSourceColumns(project) });
  return { project, dialect, objects };
}
