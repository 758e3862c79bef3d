import { didYouMean } from '../diagnostics/message-text.js';
import type { Reporter } from '../diagnostics/reporter.js';
import { isBroken, sourceTableExists, type LoadScope } from './scope.js';
import type { MacroVariant, Model, SourceLocation, SourceTableRef } from '../ir/types.js';
import { BUILTIN_FUNCTIONS, templateCalls, templateIdents, type Template, type TemplateCall, type TemplateExpr } from '../emit/template.js';

/** A model as read from its file, with what is needed to locate problems in it. */
export interface ModelDraft {
  model: Model;
  /** Location of the value (or, with `key`, the key) at a path of the model's YAML document. */
  locField(path: readonly PropertyKey[], which?: 'key' | 'value'): SourceLocation;
  /** Structured models: which `columns` lists were omitted (filled with defaults here). */
  columnsOmitted: { root: boolean; joins: boolean[] };
  /** SQL models: the parsed template and a map from SQL offsets to file locations. */
  template?: Template;
  locSql?(offset: number): SourceLocation;
}

/** A macro variant with its parsed body (offsets are offsets in its macros file). */
export interface MacroDraft {
  variant: MacroVariant;
  template: Template;
  locAt(offset: number): SourceLocation;
}

/** One reference with where it was written. */
export interface RefSite<T> {
  target: T;
  loc: SourceLocation;
}

/** Every upstream reference of a model, with locations (direct ones and those made inside macros it calls). */
export interface ModelRefs {
  models: RefSite<string>[];
  inputs: RefSite<string>[];
  sources: RefSite<SourceTableRef>[];
}

interface CallContext {
  locAt(offset: number): SourceLocation;
  /** Parameters in scope (macro bodies only). */
  params?: Set<string>;
  where: string;
}

/**
 * Checks every reference of models and macros (`unknown-reference`, `unknown-column`,
 * `unknown-macro`, `macro-args`, `unknown-var`, `unknown-param`, `invalid-call`, `macro-cycle`,
 * `invalid-model`), fills omitted `columns` lists and each `Model.dependsOn`, and returns the
 * references with their locations (for cycle messages).
 */
export function checkReferences(drafts: ModelDraft[], macros: MacroDraft[], scope: LoadScope, report: Reporter): Map<string, ModelRefs> {
  const macroRefs = macroReferences(macros, scope, report);
  const out = new Map<string, ModelRefs>();
  for (const d of drafts) {
    const refs: ModelRefs = { models: [], inputs: [], sources: [] };
    if (d.model.body.kind === 'sql') {
      if (d.template && d.locSql) {
        const ctx: CallContext = { locAt: d.locSql, where: `model \`${d.model.name}\`` };
        reportIdents(d.template, ctx, report);
        for (const call of templateCalls(d.template)) {
          const macro = checkCall(call, ctx, scope, report, refs);
          if (macro) {
            const via = macroRefs.get(macro);
            const loc = span(ctx.locAt, call.start, call.end);
            if (via) {
              for (const m of via.models) refs.models.push({ target: m.target, loc });
              for (const i of via.inputs) refs.inputs.push({ target: i.target, loc });
              for (const s of via.sources) refs.sources.push({ target: s.target, loc });
            }
          }
        }
      }
    } else checkStructured(d, scope, report, refs);
    const dedupe = <T>(sites: RefSite<T>[], key: (t: T) => string): T[] => [...new Map(sites.map((s) => [key(s.target), s.target])).values()];
    d.model.dependsOn = {
      models: dedupe(refs.models, (m) => m),
      inputs: dedupe(refs.inputs, (i) => i),
      sources: dedupe(refs.sources, (s) => `${s.source}.${s.table}`),
    };
    out.set(d.model.name, refs);
  }
  return out;
}

/** A reference whose location is found when it is read (only a problem message needs it). */
function lazySite<T>(target: T, locate: () => SourceLocation): RefSite<T> {
  let loc: SourceLocation | undefined;
  return {
    target,
    get loc() {
      return (loc ??= locate());
    },
  };
}

function checkStructured(d: ModelDraft, scope: LoadScope, report: Reporter, refs: ModelRefs): void {
  const body = d.model.body;
  if (body.kind === 'sql') return;
  const from = body.from;
  if (from.kind === 'source') {
    if (!sourceTableExists(scope, from.source, from.table)) reportUnknown(d.locField(['source']), 'source table', `${from.source}.${from.table}`, sourceTableNames(scope), report);
    else refs.sources.push(lazySite({ source: from.source, table: from.table }, () => d.locField(['source'])));
  } else if (!scope.models.has(from.model) && !isBroken(scope.broken.models, from.model)) {
    reportUnknown(d.locField(['model']), 'model', from.model, [...scope.models.keys()], report);
  } else refs.models.push(lazySite(from.model, () => d.locField(['model'])));

  const checkInput = (input: string, at: PropertyKey[], on: Record<string, string> | undefined, columns: string[], omitted: boolean, allColumns: boolean): string[] => {
    const table = scope.inputs[input];
    if (!table) {
      if (!isBroken(scope.broken.inputs, input)) reportUnknown(d.locField([...at, 'input']), 'input', input, Object.keys(scope.inputs), report);
      return columns;
    }
    refs.inputs.push(lazySite(input, () => d.locField([...at, 'input'])));
    const names = table.columns.map((c) => c.name);
    for (const col of Object.keys(on ?? {})) {
      if (!names.includes(col)) report.error('unknown-column', { as: 'join-on', column: col, input }, d.locField([...at, 'on', col], 'key'), didYouMean(col, names));
    }
    if (omitted) return table.columns.filter((c) => allColumns || !table.key.includes(c.name)).map((c) => c.name);
    columns.forEach((col, i) => {
      if (!names.includes(col)) {
        report.error('unknown-column', { as: 'model-column', column: col, input, columns: names }, d.locField([...at, 'columns', i]), didYouMean(col, names));
      }
    });
    return columns;
  };
  if (body.kind === 'enrich') {
    body.joins.forEach((j, i) => {
      j.columns = checkInput(j.input, ['inputs', i], j.on, j.columns, d.columnsOmitted.joins[i] ?? false, false);
    });
  } else if (body.kind === 'override') {
    body.columns = checkInput(body.input, [], body.on, body.columns, d.columnsOmitted.root, false);
  } else {
    body.columns = checkInput(body.input, [], undefined, body.columns, d.columnsOmitted.root, true);
  }
}

/** Checks one call; returns the macro's base name when it is a (valid) macro call. */
function checkCall(call: TemplateCall, ctx: CallContext, scope: LoadScope, report: Reporter, refs: ModelRefs): string | undefined {
  const loc = span(ctx.locAt, call.start, call.end);
  const strings = (builtin: 'ref' | 'source' | 'input', n: number): string[] | undefined => {
    const ok = call.kwargs.length === 0 && call.args.length === n && call.args.every((a) => a.kind === 'string');
    if (!ok) {
      report.error('invalid-call', { call: builtin }, loc);
      return undefined;
    }
    return call.args.map((a) => (a.kind === 'string' ? a.value : ''));
  };
  switch (call.name) {
    case 'ref': {
      const [m] = strings('ref', 1) ?? [];
      if (m === undefined) return undefined;
      if (!scope.models.has(m) && !isBroken(scope.broken.models, m)) reportUnknown(loc, 'model', m, [...scope.models.keys()], report);
      else refs.models.push({ target: m, loc });
      return undefined;
    }
    case 'source': {
      const two = strings('source', 2);
      if (!two) return undefined;
      const args = { source: two[0] ?? '', table: two[1] ?? '' };
      if (!sourceTableExists(scope, args.source, args.table)) reportUnknown(loc, 'source table', `${args.source}.${args.table}`, sourceTableNames(scope), report);
      else refs.sources.push({ target: args, loc });
      return undefined;
    }
    case 'input': {
      const [i] = strings('input', 1) ?? [];
      if (i === undefined) return undefined;
      if (!scope.inputs[i] && !isBroken(scope.broken.inputs, i)) reportUnknown(loc, 'input', i, Object.keys(scope.inputs), report);
      else refs.inputs.push({ target: i, loc });
      return undefined;
    }
    case 'var': {
      const first = call.args[0];
      if (call.kwargs.length > 0 || call.args.length < 1 || call.args.length > 2 || first?.kind !== 'string' || !isLiteral(call.args[1])) {
        report.error('invalid-call', { call: 'var' }, loc);
        return undefined;
      }
      if (!(first.value in scope.vars) && call.args.length === 1 && !isBroken(scope.broken.vars, first.value)) {
        const names = Object.keys(scope.vars);
        report.error('unknown-var', { var: first.value, declared: names }, loc, didYouMean(first.value, names));
      }
      return undefined;
    }
  }
  const variants = scope.macros[call.name];
  if (!variants || variants.length === 0) {
    const names = [...Object.keys(scope.macros), 'ref', 'source', 'input', 'var'];
    report.error('unknown-macro', { macro: call.name, in: ctx.where, macros: Object.keys(scope.macros) }, span(ctx.locAt, call.nameStart, call.nameEnd), didYouMean(call.name, names));
    return undefined;
  }
  const variant = variants.find((v) => v.dialect === undefined) ?? variants[0];
  if (variant) checkMacroArgs(call, variant, loc, report);
  return call.name;
}

function checkMacroArgs(call: TemplateCall, macro: MacroVariant, loc: SourceLocation, report: Reporter): void {
  const params = macro.params;
  const signature = `${macro.name}(${params.map((p) => (p.default !== undefined ? `${p.name}=${JSON.stringify(p.default)}` : p.name)).join(', ')})`;
  const tooMany = call.args.length > params.length ? { max: params.length, got: call.args.length } : {};
  const given = new Set(params.slice(0, call.args.length).map((p) => p.name));
  const unknown: string[] = [];
  const repeated: string[] = [];
  for (const k of call.kwargs) {
    if (!params.some((p) => p.name === k.name)) unknown.push(k.name);
    else if (given.has(k.name)) repeated.push(k.name);
    given.add(k.name);
  }
  const missing = params.filter((p) => p.default === undefined && !given.has(p.name)).map((p) => p.name);
  if ('max' in tooMany || unknown.length > 0 || repeated.length > 0 || missing.length > 0) {
    report.error('macro-args', { macro: macro.name, signature, ...tooMany, unknown, repeated, missing }, loc);
  }
}

/** Per macro base name: references made by its bodies, transitively through the macros it calls. */
function macroReferences(macros: MacroDraft[], scope: LoadScope, report: Reporter): Map<string, ModelRefs> {
  const direct = new Map<string, { refs: ModelRefs; calls: { name: string; loc: SourceLocation }[] }>();
  for (const m of macros) {
    const base = m.variant.dialect === undefined ? m.variant.name : m.variant.name.slice(m.variant.dialect.length + 2);
    const entry = direct.get(base) ?? { refs: { models: [], inputs: [], sources: [] }, calls: [] };
    direct.set(base, entry);
    const params = new Set(m.variant.params.map((p) => p.name));
    const ctx: CallContext = { locAt: m.locAt, params, where: `macro \`${m.variant.name}\`` };
    reportIdents(m.template, ctx, report);
    for (const call of templateCalls(m.template)) {
      const callee = checkCall(call, ctx, scope, report, entry.refs);
      if (callee) entry.calls.push({ name: callee, loc: span(m.locAt, call.start, call.end) });
    }
  }
  const resolved = new Map<string, ModelRefs>();
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): ModelRefs => {
    const done = resolved.get(name);
    if (done) return done;
    const entry = direct.get(name);
    const acc: ModelRefs = { models: [...(entry?.refs.models ?? [])], inputs: [...(entry?.refs.inputs ?? [])], sources: [...(entry?.refs.sources ?? [])] };
    state.set(name, 'visiting');
    stack.push(name);
    for (const c of entry?.calls ?? []) {
      if (state.get(c.name) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(c.name)), c.name];
        report.error('macro-cycle', { cycle }, c.loc);
        continue;
      }
      const sub = visit(c.name);
      acc.models.push(...sub.models);
      acc.inputs.push(...sub.inputs);
      acc.sources.push(...sub.sources);
    }
    stack.pop();
    state.set(name, 'done');
    resolved.set(name, acc);
    return acc;
  };
  for (const name of direct.keys()) visit(name);
  return resolved;
}

/**
 * Reports bare names that are not parameters in scope (`unknown-param`). Names passed to
 * built-ins are left to `invalid-call`.
 */
function reportIdents(template: Template, ctx: CallContext, report: Reporter): void {
  const builtinArgs = new Set<number>();
  const macroArgs = new Set<number>();
  for (const call of templateCalls(template)) {
    const target = (BUILTIN_FUNCTIONS as readonly string[]).includes(call.name) ? builtinArgs : macroArgs;
    for (const a of [...call.args, ...call.kwargs.map((k) => k.value)]) if (a.kind === 'ident') target.add(a.start);
  }
  for (const id of templateIdents(template)) {
    if (builtinArgs.has(id.start) || ctx.params?.has(id.name)) continue;
    const loc = span(ctx.locAt, id.start, id.end);
    if (ctx.params) {
      report.error('unknown-param', { name: id.name, in: ctx.where, params: [...ctx.params] }, loc, didYouMean(id.name, ctx.params));
    } else if (macroArgs.has(id.start)) {
      report.error('unknown-param', { name: id.name, as: 'macro-argument' }, loc);
    } else {
      report.error('unknown-param', { name: id.name, as: 'model' }, loc);
    }
  }
}

/** The location of `[start, end)` given an offset locator. */
export function span(locAt: (offset: number) => SourceLocation, start: number, end: number): SourceLocation {
  const s = locAt(start);
  const e = locAt(end);
  return e.file === s.file && (e.line > s.line || (e.line === s.line && e.col > s.col)) ? { ...s, endLine: e.line, endCol: e.col } : s;
}

function isLiteral(e: TemplateExpr | undefined): boolean {
  return e === undefined || e.kind === 'string' || e.kind === 'number';
}

function sourceTableNames(scope: LoadScope): string[] {
  return Object.values(scope.sources).flatMap((s) => Object.keys(s.tables).map((t) => `${s.name}.${t}`));
}

function reportUnknown(loc: SourceLocation, what: 'model' | 'input' | 'source table', name: string, known: string[], report: Reporter): void {
  report.error('unknown-reference', { what, name, declared: known }, loc, didYouMean(name, known));
}
