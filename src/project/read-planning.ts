import { didYouMean } from '../diagnostics/message-text.js';
import type { Reporter } from '../diagnostics/reporter.js';
import { parseTemplate } from '../emit/template.js';
import type { AllowedFromSource, InputColumn, InputTable, Planning, Scalar, SourceLocation } from '../ir/types.js';
import { isBroken, sourceTableExists, type LoadScope } from '../resolve/scope.js';
import { valueChecker } from '../rules/column-rules.js';
import { parseSourceTableRef } from '../schema/common.js';
import type { PlanningEntry } from '../schema/input-file.js';
import { reportUnknownSourceTable } from './read-project-file.js';
import { keyLoc, pathLoc, type YamlDoc } from './yaml-file.js';

const NUMERIC = new Set(['integer', 'number', 'decimal']);

/**
 * Validates `planning:` against the table's key, link and columns and converts it to the IR:
 * every key column must come from `links_to.on` or be `across.column`; `across.values` have their
 * `{{ var('x') }}` substituted and must pass the across column's rules; `value` is a numeric
 * non-key column. Returns undefined when a problem was reported.
 */
export function readPlanning(
  yd: YamlDoc,
  e: PlanningEntry,
  table: Pick<InputTable, 'key' | 'columns' | 'linksTo'>,
  linkDeclared: boolean,
  scope: LoadScope,
  report: Reporter,
): Planning | undefined {
  const base = ['planning'];
  const mark = report.size;
  const column = (name: string): InputColumn | undefined => table.columns.find((c) => c.name === name);
  const names = table.columns.map((c) => c.name);
  const unknown = (name: string, key: string, loc: SourceLocation): void => {
    report.error('unknown-column', { as: 'planning', column: name, key }, loc, didYouMean(name, names));
  };

  // a links_to that failed its own checks was reported there already
  if (!table.linksTo && !linkDeclared) report.error('invalid-planning', { problem: 'no-link' }, pathLoc(yd, [...base, 'rows']));

  const acrossName = e.across.column;
  const acrossCol = column(acrossName);
  if (!acrossCol) unknown(acrossName, 'across.column', pathLoc(yd, [...base, 'across', 'column']));
  else if (!table.key.includes(acrossName)) {
    report.error('invalid-planning', { problem: 'across-not-key', column: acrossName, key: table.key }, pathLoc(yd, [...base, 'across', 'column']));
  }
  if (table.linksTo && acrossCol) {
    for (const k of table.key) {
      if (k !== acrossName && !(k in table.linksTo.on)) report.error('invalid-planning', { problem: 'key-not-planned', column: k, across: acrossName }, keyLoc(yd, base));
    }
  }

  const values: string[] = [];
  let fromSource: AllowedFromSource | undefined;
  const declared = e.across.values;
  if (!Array.isArray(declared)) {
    // as a column's `values: { source, column }`
    const at = [...base, 'across', 'values', 'source'];
    const ref = parseSourceTableRef(declared.source);
    if (!ref) report.error('invalid-value', { reason: 'table-ref', key: 'planning.across.values.source', found: declared.source }, pathLoc(yd, at));
    else if (!sourceTableExists(scope, ref.source, ref.table)) {
      if (!isBroken(scope.broken.sources, ref.source)) reportUnknownSourceTable(yd, at, ref, scope, report, 'across values from');
    } else fromSource = { ...ref, column: declared.column };
  }
  (Array.isArray(declared) ? declared : []).forEach((raw, i) => {
    const at = [...base, 'across', 'values', i];
    const text = typeof raw === 'number' ? String(raw) : renderVars(raw, scope, pathLoc(yd, at), report);
    if (text === undefined) return;
    if (acrossCol) {
      const checked = valueChecker(acrossCol)(acrossCol.type.kind === 'integer' && /^-?\d+$/.test(text) ? Number(text) : text);
      if (!checked.ok) {
        report.error('invalid-planning', { problem: 'across-value', value: text, column: acrossName, detail: checked.message }, pathLoc(yd, at));
        return;
      }
    }
    if (values.includes(text)) report.error('invalid-planning', { problem: 'duplicate-across-value', value: text }, pathLoc(yd, at));
    else values.push(text);
  });

  const layout = e.layout ?? 'table';
  if (e.value !== undefined) {
    const v = column(e.value);
    if (!v) unknown(e.value, 'value', pathLoc(yd, [...base, 'value']));
    else if (table.key.includes(v.name)) report.error('invalid-planning', { problem: 'value-is-key', column: v.name }, pathLoc(yd, [...base, 'value']));
    else if (!NUMERIC.has(v.type.kind)) report.error('invalid-planning', { problem: 'value-not-numeric', column: v.name, kind: v.type.kind }, pathLoc(yd, [...base, 'value']));
  } else if (layout === 'pivot') report.error('invalid-planning', { problem: 'pivot-needs-value' }, keyLoc(yd, [...base, 'layout']));

  let context: Planning['context'];
  if (e.context) {
    const c = e.context;
    const cb = [...base, 'context'];
    const ref = parseSourceTableRef(c.source);
    let ok = true;
    if (!ref) {
      report.error('invalid-value', { reason: 'table-ref', key: 'planning.context.source', found: c.source }, pathLoc(yd, [...cb, 'source']));
      ok = false;
    } else if (!sourceTableExists(scope, ref.source, ref.table)) {
      if (!isBroken(scope.broken.sources, ref.source)) reportUnknownSourceTable(yd, [...cb, 'source'], ref, scope, report, 'planning context from');
      ok = false;
    }
    for (const k of Object.keys(c.on)) {
      if (!column(k)) {
        unknown(k, 'context.on', keyLoc(yd, [...cb, 'on', k]));
        ok = false;
      } else if (!table.key.includes(k) || k === acrossName) {
        report.error('invalid-planning', { problem: 'context-on-not-key', column: k, across: acrossName }, keyLoc(yd, [...cb, 'on', k]));
        ok = false;
      }
    }
    if (Object.keys(c.on).length === 0) {
      report.error('invalid-value', { reason: 'min-items', path: 'planning.context.on', min: 1 }, pathLoc(yd, [...cb, 'on']));
      ok = false;
    }
    if (ok && ref) context = { ...ref, on: c.on, across: c.across ?? acrossName, value: c.value, label: c.label ?? c.value };
  }

  if (report.errorsSince(mark)) return undefined;
  return {
    rows: 'links_to',
    across: { column: acrossName, values, ...(fromSource ? { source: fromSource } : {}) },
    layout,
    ...(e.value !== undefined ? { value: e.value } : {}),
    ...(e.label !== undefined ? { label: e.label } : {}),
    ...(context ? { context } : {}),
  };
}

/**
 * A string with `{{ var('name') }}` (or `var('name', default)`) substituted from project.yml
 * `vars`; any other template is an error at the value. Undefined when a problem was reported.
 */
function renderVars(text: string, scope: LoadScope, loc: SourceLocation, report: Reporter): string | undefined {
  const parsed = parseTemplate(text);
  if (parsed.errors.length > 0) {
    report.error('template-syntax', { problem: parsed.errors[0]!.message }, loc);
    return undefined;
  }
  let out = '';
  for (const node of parsed.template.nodes) {
    if (node.kind === 'text') {
      out += node.text;
      continue;
    }
    const call = node.expr;
    const first = call.kind === 'call' ? call.args[0] : undefined;
    const fallback = call.kind === 'call' ? call.args[1] : undefined;
    if (call.kind !== 'call' || call.name !== 'var' || call.kwargs.length > 0 || call.args.length > 2 || first?.kind !== 'string' || (fallback && fallback.kind !== 'string' && fallback.kind !== 'number')) {
      report.error('invalid-call', { call: 'var' }, loc);
      return undefined;
    }
    let value: Scalar | undefined = Object.hasOwn(scope.vars, first.value) ? scope.vars[first.value] : undefined;
    if (value === undefined && fallback && (fallback.kind === 'string' || fallback.kind === 'number')) value = fallback.value;
    if (value === undefined) {
      if (!isBroken(scope.broken.vars, first.value)) {
        const declared = Object.keys(scope.vars);
        report.error('unknown-var', { var: first.value, declared }, loc, didYouMean(first.value, declared));
      }
      return undefined;
    }
    out += String(value);
  }
  return out;
}
