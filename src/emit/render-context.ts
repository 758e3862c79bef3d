import type { Dialect } from '../dialects/dialect.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { InputTable, Model, Project, TextMap } from '../ir/types.js';

/** A model's SELECT with where each of its characters comes from in the model's file. */
export interface RenderedSql {
  sql: string;
  map: TextMap;
}

/** Where a `ref('m')` points: the latest alias `m` (offline compile, fingerprints) or a pinned version `m__vN` (apply). */
export type RefResolver = (model: string) => { schema: string; name: string };

/** Columns of a source table when known (e.g. described from the warehouse by `plan`); undefined when unknown. */
export type SourceColumnsLookup = (source: string, table: string) => string[] | undefined;

/** Optional knowledge that sharpens rendering. */
export interface RenderOptions {
  /** Lets structured models detect column clashes and list columns where the dialect has no `* exclude/replace`. */
  sourceColumns?: SourceColumnsLookup;
}

/**
 * Set while rendering a model for one scenario of a `__by_scenario` view (model-sql-by-scenario.ts):
 * how scenario-enabled inputs and the models that read them appear instead of their base rows.
 */
export interface ScenarioScope {
  /** An input's rows for the scenario, with `columns` in that order (a parenthesized subquery); undefined: read it as usual. */
  input(input: InputTable, columns: readonly string[]): string | undefined;
  /** A model's rows for the scenario (a parenthesized subquery); undefined: read its view as usual. */
  model(name: string): string | undefined;
}

/** Everything a model renderer reads, and where it reports problems. */
export interface RenderContext {
  project: Project;
  model: Model;
  dialect: Dialect;
  targetName: string;
  resolveRef: RefResolver;
  options: RenderOptions;
  report: Reporter;
  /** Rendering for one scenario of a `__by_scenario` view; absent for the model's own (base) SQL. */
  scenario?: ScenarioScope;
}

/** The resolver used offline: every ref points at the model's latest alias in the views schema. */
export function latestAliasResolver(project: Project): RefResolver {
  return (model) => ({ schema: project.schemas.views, name: model });
}
