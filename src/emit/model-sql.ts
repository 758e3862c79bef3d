import type { Dialect } from '../dialects/dialect.js';
import type { Result } from '../diagnostics/diagnostic.js';
import { Reporter } from '../diagnostics/reporter.js';
import type { Model, Project } from '../ir/types.js';
import { renderAppend } from './model-append.js';
import { renderEnrich } from './model-enrich.js';
import { renderOverride } from './model-override.js';
import { renderSqlTemplate } from './model-template.js';
import type { RefResolver, RenderContext, RenderOptions } from './render-context.js';

export { latestAliasResolver, type RefResolver, type RenderOptions, type SourceColumnsLookup } from './render-context.js';

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

/** The SELECT of `ctx.model` (undefined after a diagnostic); `renderModel` without the result wrapping. */
export function renderModelBody(ctx: RenderContext): string | undefined {
  const body = ctx.model.body;
  switch (body.kind) {
    case 'enrich':
      return renderEnrich(ctx, body.from, body.joins);
    case 'override':
      return renderOverride(ctx, body.from, body.input, body.on, body.columns);
    case 'append':
      return renderAppend(ctx, body.from, body.input, body.columns);
    case 'sql':
      return renderSqlTemplate(ctx, body.sql, body.sqlLoc);
  }
}
