import type { Dialect } from '../dialects/dialect.js';
import type { Result } from '../diagnostics/diagnostic.js';
import { Reporter } from '../diagnostics/reporter.js';
import { stateTableName } from '../managed/names.js';
import type { InputTable, Model, Project } from '../ir/types.js';
import { allLevelsSql, resolvedRowsSql, scenarioListSql } from './scenario-rows.js';
import { checkBaseColumns } from './model-columns.js';
import { checkColumns, requireColumns } from './model-enrich.js';
import { passThrough } from './model-override.js';
import { baseRelationSql, inputRelationSql, lookupInput } from './relations.js';
import type { RefResolver, RenderContext, RenderOptions } from './render-context.js';

/** True when the model reads (directly) an input with `scenarios: true` and is a structured model. */
export function hasByScenarioView(project: Project, model: Model): boolean {
  const b = model.body;
  const names = b.kind === 'enrich' ? b.joins.map((j) => j.input) : b.kind === 'override' || b.kind === 'append' ? [b.input] : [];
  return names.some((n) => Object.hasOwn(project.inputs, n) && project.inputs[n]!.scenarios);
}

/** Every scenario's rows of an input, with fall-back along each scenario's parent chain (src/workflow/resolved-rows.ts). */
function scenarioInputSql(ctx: RenderContext, input: InputTable): string {
  const d = ctx.dialect;
  const state = d.qualify(ctx.project.schemas.inputs, stateTableName(input.name));
  return resolvedRowsSql(d, input, state, allLevelsSql(d, ctx.project.schemas.inputs));
}

/**
 * SELECT of `<model>__by_scenario`: the model once per active scenario (`base` and every
 * unarchived scenario in `_wb_scenarios`), with a leading `_scenario` column. Base rows are
 * repeated per scenario (cross join with the scenario list) and each scenario-enabled input is
 * joined on its key AND `_scenario`, so `where _scenario = 'x'` returns exactly what the
 * model would return if scenario x were base. Inputs without scenarios join as in the model.
 * Structured models only (enrich, override, append); undefined for others.
 */
export function renderByScenario(
  project: Project,
  model: Model,
  dialect: Dialect,
  targetName: string,
  resolveRef: RefResolver,
  options: RenderOptions = {},
): Result<string> | undefined {
  if (!hasByScenarioView(project, model)) return undefined;
  const ctx: RenderContext = { project, model, dialect, targetName, resolveRef, options, report: new Reporter() };
  const d = dialect;
  const q = (n: string) => d.quoteIdent(n);
  const sc = `${scenarioListSql(d, project.schemas.inputs)} as ${q('sc')}`;
  const scen = `${q('sc')}.${q('_scenario')}`;
  const body = model.body;
  let sql: string | undefined;
  if (body.kind === 'enrich') {
    const base = baseRelationSql(ctx, body.from);
    const selects = [`${scen} as ${q('_scenario')}`, `${q('b')}.*`];
    const joins: string[] = [];
    body.joins.forEach((join, i) => {
      const input = lookupInput(ctx, join.input);
      if (!input || !checkColumns(ctx, input, [...Object.keys(join.on), ...join.columns])) return;
      const alias = q(`j${i + 1}`);
      for (const col of join.columns) selects.push(`${alias}.${q(col)} as ${q(col)}`);
      const on = Object.entries(join.on).map(([ic, bc]) => `${alias}.${q(ic)} = ${q('b')}.${q(bc)}`);
      if (input.scenarios) joins.push(`left join ${scenarioInputSql(ctx, input)} as ${alias} on ${[...on, `${alias}.${q('_scenario')} = ${scen}`].join(' and ')}`);
      else joins.push(`left join ${inputRelationSql(ctx, input, { columns: [...Object.keys(join.on), ...join.columns] })} as ${alias} on ${on.join(' and ')}`);
    });
    if (base !== undefined) sql = `select ${selects.join(', ')} from ${base} as ${q('b')} cross join ${sc} ${joins.join(' ')}`.trimEnd();
  } else if (body.kind === 'override') {
    const base = baseRelationSql(ctx, body.from);
    const input = lookupInput(ctx, body.input);
    if (requireColumns(ctx, body.columns) && input && checkColumns(ctx, input, [...Object.keys(body.on), ...body.columns]) && checkBaseColumns(ctx, body.from, [...Object.values(body.on), ...body.columns])) {
      const isSet = (col: string) => d.strContains(`${q('o')}.${q('_set_columns')}`, d.literal(`|${col}|`));
      const replaced = new Map(body.columns.map((c) => [c, `case when ${isSet(c)} then ${q('o')}.${q(c)} else ${q('b')}.${q(c)} end as ${q(c)}`]));
      const [empty, comma] = [d.literal(''), d.literal(',')];
      const overridden = `nullif(rtrim(${body.columns.map((c) => `case when ${isSet(c)} then ${d.literal(`${c},`)} else ${empty} end`).join(' || ')}, ${comma}), ${empty})`;
      const selects = passThrough(ctx, body.from, body.columns, replaced);
      const on = Object.entries(body.on).map(([ic, bc]) => `${q('o')}.${q(ic)} = ${q('b')}.${q(bc)}`);
      if (selects && base !== undefined)
        sql =
          `select ${[`${scen} as ${q('_scenario')}`, ...selects, `${overridden} as ${q('_overridden')}`].join(', ')} from ${base} as ${q('b')} cross join ${sc} ` +
          `left join ${scenarioInputSql(ctx, input)} as ${q('o')} on ${[...on, `${q('o')}.${q('_scenario')} = ${scen}`].join(' and ')}`;
    }
  } else if (body.kind === 'append') {
    const base = baseRelationSql(ctx, body.from);
    const input = lookupInput(ctx, body.input);
    if (requireColumns(ctx, body.columns) && input && checkColumns(ctx, input, body.columns) && checkBaseColumns(ctx, body.from, body.columns) && base !== undefined) {
      const list = (alias: string) => body.columns.map((c) => `${q(alias)}.${q(c)}`).join(', ');
      sql =
        `select ${scen} as ${q('_scenario')}, ${list('b')}, ${d.literal('source')} as ${q('_origin')} from ${base} as ${q('b')} cross join ${sc} ` +
        `union all select ${q('i')}.${q('_scenario')}, ${list('i')}, ${d.literal('input')} as ${q('_origin')} from ${scenarioInputSql(ctx, input)} as ${q('i')}`;
    }
  }
  return ctx.report.result(sql);
}
