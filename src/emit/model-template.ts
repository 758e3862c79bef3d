import { copySpans, dropPrefix, locateRange, mapOfText } from '../diagnostics/text-map.js';
import type { MacroVariant, SourceLocation, TextMap, TextSpan } from '../ir/types.js';
import { BUILTIN_FUNCTIONS, parseTemplate, type Template, type TemplateCall, type TemplateExpr, type TemplateNode } from './template.js';
import { needsDerivedTableAlias } from './derived-table-alias.js';
import { inputRelationSql, lookupInput, modelRefSql, sourceTableSql } from './relations.js';
import type { RenderContext, RenderedSql } from './render-context.js';

/** How deep macros may call macros before rendering gives up (a guard besides the cycle check). */
export const MAX_MACRO_DEPTH = 32;

/** Where the template being rendered came from, to turn offsets into project locations. */
interface Frame {
  /** Where the characters of the text the offsets point into are; undefined when only `fallback` is known. */
  map?: TextMap;
  fallback: SourceLocation;
  /** Macro parameter values (already rendered SQL text), empty at the model level. */
  params: Map<string, string>;
  /** Macro names being expanded, outermost first. */
  stack: string[];
}

/**
 * sql: renders `{{ ref/source/input/var/macro(...) }}` to SQL text for the context's dialect, with
 * where each part of the result comes from in the model's file: text as written maps to itself,
 * what a call produced (a relation name, a macro's expansion) to the call. Macro arguments and
 * parameters are substituted as raw SQL text (like dbt): `{{ q('a.x') }}` passes `a.x`. Vars
 * become literals. Problems are reported to the context.
 */
export function renderSqlTemplate(ctx: RenderContext, sql: string, sqlLoc: SourceLocation, sqlMap?: readonly TextSpan[]): RenderedSql | undefined {
  const mark = ctx.report.size;
  const map: TextMap = sqlMap ? { file: sqlLoc.file, spans: [...sqlMap] } : mapOfText(sqlLoc, sql);
  const parsed = parseTemplate(sql);
  for (const e of parsed.errors) ctx.report.error('template-syntax', { problem: e.message }, locateRange(map, e.start, e.end));
  if (parsed.errors.length > 0) return undefined;
  const spans: TextSpan[] = [];
  const out = renderTemplate(ctx, parsed.template, { map, fallback: sqlLoc, params: new Map(), stack: [] }, spans);
  if (ctx.report.errorsSince(mark)) return undefined;
  const lead = out.length - out.trimStart().length;
  return { sql: out.trim().replace(/;+$/, '').trimEnd(), map: { file: map.file, spans: dropPrefix(spans, lead) } };
}

/** Renders a template; with `spans`, records where each part of the output comes from (the model level only). */
function renderTemplate(ctx: RenderContext, template: Template, frame: Frame, spans?: TextSpan[]): string {
  const text = (n: TemplateNode | undefined) => (n?.kind === 'text' ? n.text : '');
  let out = '';
  template.nodes.forEach((n, i) => {
    if (n.kind === 'text') {
      if (spans && frame.map) copySpans(frame.map.spans, n.start, n.end, out.length, spans);
      out += n.text;
      return;
    }
    const value = evaluate(ctx, n.expr, frame);
    if (value === undefined) return;
    if (spans) {
      const at = locate(frame, n.expr.start, n.expr.end);
      spans.push({ offset: out.length, line: at.line, col: at.col, fixed: true });
    }
    const alias = derivedAlias(ctx, n.expr, value);
    const before = out;
    out += value;
    if (alias && needsDerivedTableAlias(before, text(template.nodes[i + 1]))) out += ` as ${alias}`;
  });
  return out;
}

/**
 * The alias to give a relation the SQL leaves unaliased: an `input('t')` where the dialect requires
 * one on derived tables; a `ref('m')` that a scenario scope turned into a subquery (as `m`): a view
 * name needs no alias where a subquery may (Postgres < 16), whatever the dialect's flag says.
 */
function derivedAlias(ctx: RenderContext, expr: TemplateExpr, value: string): string | undefined {
  if (expr.kind !== 'call') return undefined;
  const wanted = expr.name === 'input' ? ctx.dialect.derivedTableNeedsAlias : expr.name === 'ref' && value.startsWith('(');
  const [arg] = expr.args;
  return wanted && arg?.kind === 'string' ? ctx.dialect.quoteIdent(arg.value) : undefined;
}

function locate(frame: Frame, start: number, end: number): SourceLocation {
  return frame.map ? locateRange(frame.map, start, end) : frame.fallback;
}

/** The macro chain of a frame, as the `stack` parameter of template codes. */
function stackOf(frame: Frame): { stack?: string[] } {
  return frame.stack.length > 0 ? { stack: frame.stack } : {};
}

function evaluate(ctx: RenderContext, expr: TemplateExpr, frame: Frame): string | undefined {
  switch (expr.kind) {
    case 'string':
      return expr.value;
    case 'number':
      return String(expr.value);
    case 'ident': {
      const value = frame.params.get(expr.name);
      if (value !== undefined) return value;
      ctx.report.error('unknown-name', { name: expr.name, ...stackOf(frame) }, locate(frame, expr.start, expr.end));
      return undefined;
    }
    case 'call':
      return (BUILTIN_FUNCTIONS as readonly string[]).includes(expr.name) ? builtin(ctx, expr, frame) : macroCall(ctx, expr, frame);
  }
}

/** Positional string arguments of a built-in, or undefined after a diagnostic. */
function stringArgs(ctx: RenderContext, call: TemplateCall, frame: Frame, min: number, max: number): string[] | undefined {
  if (call.kwargs.length > 0 || call.args.length < min || call.args.length > max) {
    ctx.report.error('template-arguments', { problem: 'count', call: call.name, min, max, ...stackOf(frame) }, locate(frame, call.start, call.end));
    return undefined;
  }
  const values: string[] = [];
  for (const a of call.args) {
    const v = a.kind === 'string' ? a.value : evaluate(ctx, a, frame);
    if (v === undefined) return undefined;
    values.push(v);
  }
  return values;
}

function builtin(ctx: RenderContext, call: TemplateCall, frame: Frame): string | undefined {
  const loc = locate(frame, call.start, call.end);
  switch (call.name) {
    case 'ref': {
      const a = stringArgs(ctx, call, frame, 1, 1);
      return a && modelRefSql(ctx, a[0] ?? '', loc);
    }
    case 'source': {
      const a = stringArgs(ctx, call, frame, 2, 2);
      return a && sourceTableSql(ctx, a[0] ?? '', a[1] ?? '', loc);
    }
    case 'input': {
      const a = stringArgs(ctx, call, frame, 1, 1);
      const input = a && lookupInput(ctx, a[0] ?? '', loc);
      return input && inputRelationSql(ctx, input);
    }
    default: {
      const a = stringArgs(ctx, call, frame, 1, 2);
      if (!a) return undefined;
      const name = a[0] ?? '';
      if (Object.hasOwn(ctx.project.vars, name)) return ctx.dialect.literal(ctx.project.vars[name] ?? null);
      const fallback = call.args[1];
      if (fallback?.kind === 'string' || fallback?.kind === 'number') return ctx.dialect.literal(fallback.value);
      if (fallback) return a[1];
      ctx.report.error('unknown-var', { var: name, noDefault: true, ...stackOf(frame) }, locate(frame, call.start, call.end));
      return undefined;
    }
  }
}

/** The variant of a macro for the context's dialect (`<dialect>__name`), else its default. */
export function pickMacroVariant(variants: MacroVariant[], dialect: string): MacroVariant | undefined {
  return variants.find((v) => v.dialect === dialect) ?? variants.find((v) => v.dialect === undefined);
}

function macroCall(ctx: RenderContext, call: TemplateCall, frame: Frame): string | undefined {
  const variants = Object.hasOwn(ctx.project.macros, call.name) ? ctx.project.macros[call.name] : undefined;
  const variant = variants && pickMacroVariant(variants, ctx.dialect.name);
  if (!variant) {
    ctx.report.error('unknown-macro', { macro: call.name, ...(variants ? { dialect: ctx.dialect.name } : {}), ...stackOf(frame) }, locate(frame, call.nameStart, call.nameEnd));
    return undefined;
  }
  if (frame.stack.includes(call.name) || frame.stack.length >= MAX_MACRO_DEPTH) {
    ctx.report.error('macro-recursion', { macro: call.name, chain: [...frame.stack, call.name], ...stackOf(frame) }, locate(frame, call.start, call.end));
    return undefined;
  }
  const params = bindParams(ctx, call, frame, variant);
  if (!params) return undefined;
  const parsed = parsedMacroBody(variant);
  const bodyMap = variant.bodyLoc ? mapOfText(variant.bodyLoc, variant.body, 1) : undefined;
  const at = (start: number, end: number) => (bodyMap ? locateRange(bodyMap, start, end) : variant.loc);
  for (const e of parsed.errors) {
    ctx.report.error('template-syntax', { problem: e.message, macro: call.name }, at(e.start, e.end));
  }
  if (parsed.errors.length > 0) return undefined;
  const inner: Frame = { fallback: variant.loc, params, stack: [...frame.stack, call.name], ...(bodyMap ? { map: bodyMap } : {}) };
  return renderTemplate(ctx, parsed.template, inner).trim();
}

/** Parsed macro bodies, by variant (a macro is parsed once, not at every call). */
const PARSED_BODIES = new WeakMap<MacroVariant, { body: string; parsed: ReturnType<typeof parseTemplate> }>();

function parsedMacroBody(variant: MacroVariant): ReturnType<typeof parseTemplate> {
  const cached = PARSED_BODIES.get(variant);
  if (cached && cached.body === variant.body) return cached.parsed;
  const parsed = parseTemplate(variant.body);
  PARSED_BODIES.set(variant, { body: variant.body, parsed });
  return parsed;
}

/** Binds positional, then keyword arguments, then defaults (as raw SQL text); undefined after a diagnostic. */
function bindParams(ctx: RenderContext, call: TemplateCall, frame: Frame, variant: MacroVariant): Map<string, string> | undefined {
  const mark = ctx.report.size;
  const params = new Map<string, string>();
  const argumentProblem = (problem: 'unknown-param' | 'repeated-param' | 'missing-param', param: string, start: number, end: number) =>
    ctx.report.error('template-arguments', { problem, macro: call.name, param, ...stackOf(frame) }, locate(frame, start, end));
  if (call.args.length > variant.params.length) {
    ctx.report.error('template-arguments', { problem: 'too-many', macro: call.name, max: variant.params.length, got: call.args.length, ...stackOf(frame) }, locate(frame, call.start, call.end));
    return undefined;
  }
  call.args.forEach((arg, i) => {
    const v = evaluate(ctx, arg, frame);
    const p = variant.params[i];
    if (v !== undefined && p) params.set(p.name, v);
  });
  for (const kw of call.kwargs) {
    if (!variant.params.some((p) => p.name === kw.name)) {
      argumentProblem('unknown-param', kw.name, kw.start, kw.end);
      continue;
    }
    if (params.has(kw.name)) {
      argumentProblem('repeated-param', kw.name, kw.start, kw.end);
      continue;
    }
    const v = evaluate(ctx, kw.value, frame);
    if (v !== undefined) params.set(kw.name, v);
  }
  for (const p of variant.params) {
    if (params.has(p.name)) continue;
    if (p.default !== undefined) params.set(p.name, p.default === null ? 'null' : String(p.default));
    else argumentProblem('missing-param', p.name, call.start, call.end);
  }
  return ctx.report.errorsSince(mark) ? undefined : params;
}
