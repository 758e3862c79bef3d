import type { Dialect } from '../dialects/dialect.js';
import type { Result } from '../diagnostics/diagnostic.js';
import { Reporter } from '../diagnostics/reporter.js';
import { fixedMap } from '../diagnostics/text-map.js';
import type { Model, Project } from '../ir/types.js';
import { renderAppend } from './model-append.js';
import { renderEnrich } from './model-enrich.js';
import { renderOverride } from './model-override.js';
import { renderSqlTemplate } from './model-template.js';
import type { RefResolver, RenderContext, RenderedSql, RenderOptions } from './render-context.js';

export { latestAliasResolver, type RefResolver, type RenderedSql, type RenderOptions, type SourceColumnsLookup } from './render-context.js';

/**
 * Renders a merge model to one SELECT statement (unformatted, no trailing `;`) for `dialect`,
 * with sources resolved for `targetName` and each `ref('m')` pinned by `resolveRef`.
 * Expected problems (unknown names, column clashes, template errors) come back as diagnostics.
 */
export function renderModel(
  project: Project,
  model: Model,
  dialect: Dialect,
  targetName: string,
  resolveRef: RefResolver,
  options: RenderOptions = {},
): Result<string> {
  const ctx: RenderContext = { project, model, dialect, targetName, resolveRef, options, report: new Reporter() };
  return ctx.report.result(renderModelBody(ctx));
}

/**
 * {@link renderModel} with where each character of the SELECT comes from: inside a SQL model's
 * `sql:`, or (generated SQL of structured models) the model's declaration.
 */
export function renderModelMapped(
  project: Project,
  model: Model,
  dialect: Dialect,
  targetName: string,
  resolveRef: RefResolver,
  options: RenderOptions = {},
): Result<RenderedSql> {
  const ctx: RenderContext = { project, model, dialect, targetName, resolveRef, options, report: new Reporter() };
  return ctx.report.result(renderModelBodyMapped(ctx));
}

/** The SELECT of `ctx.model` (undefined after a diagnostic); `renderModel` without the result wrapping. */
export function renderModelBody(ctx: RenderContext): string | undefined {
  return renderModelBodyMapped(ctx)?.sql;
}

function renderModelBodyMapped(ctx: RenderContext): RenderedSql | undefined {
  const body = ctx.model.body;
  const generated = (sql: string | undefined) => (sql === undefined ? undefined : { sql, map: fixedMap(ctx.model.loc) });
  switch (body.kind) {
    case 'enrich':
      return generated(renderEnrich(ctx, body.from, body.joins));
    case 'override':
      return generated(renderOverride(ctx, body.from, body.input, body.on, body.columns));
    case 'append':
      return generated(renderAppend(ctx, body.from, body.input, body.columns));
    case 'sql':
      return renderSqlTemplate(ctx, body.sql, body.sqlLoc, body.sqlMap);
  }
}
