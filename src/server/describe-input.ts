import type { ColumnType, InputColumn, InputTable, Planning } from '../ir/types.js';
import type { ColumnRule } from '../rules/column-rules.js';
import type { Actor } from '../auth/actor.js';
import type { WireValue } from '../write/types.js';

/** The portable type as written in YAML (`decimal(18,2)`, `enum`, …). */
export function typeName(type: ColumnType): string {
  return type.kind === 'decimal' ? `decimal(${type.precision},${type.scale})` : type.kind;
}

/** What an actor may do on an input table; an administrator (no role) may do everything, unfiltered. */
export function callerPermissions(input: InputTable, actor: Actor) {
  if (actor.role === undefined) return { read: true, write: true, delete: true, approve: true, row_filter: {} };
  const p = input.permissions[actor.role];
  const row_filter: Record<string, WireValue> = {};
  for (const f of p?.rowFilter ?? []) {
    row_filter[f.onSource ? `source.${f.column}` : f.column] = actor.attributes?.[f.attribute] ?? null;
  }
  return { read: p?.read ?? false, write: p?.write ?? false, delete: p?.delete ?? false, approve: p?.approve ?? false, row_filter };
}

/**
 * The column as the rules module (src/rules/column-rules.js) reads it: the form checks values with
 * that very module, given this object.
 */
export function columnRule(c: InputColumn): ColumnRule {
  return {
    type: c.type,
    ...(c.min !== undefined ? { min: c.min } : {}),
    ...(c.max !== undefined ? { max: c.max } : {}),
    ...(c.pattern !== undefined ? { pattern: c.pattern } : {}),
    ...(c.maxLength !== undefined ? { maxLength: c.maxLength } : {}),
    ...(Array.isArray(c.allowedValues) ? { allowedValues: c.allowedValues } : {}),
  };
}

function describeColumn(c: InputColumn, key: string[]) {
  const values = c.type.kind === 'enum' ? c.type.values : Array.isArray(c.allowedValues) ? c.allowedValues : undefined;
  const from = c.allowedValues && !Array.isArray(c.allowedValues) ? c.allowedValues : undefined;
  return {
    name: c.name,
    type: typeName(c.type),
    ...(c.description !== undefined ? { description: c.description } : {}),
    key: key.includes(c.name),
    required: c.required || key.includes(c.name),
    ...(c.default !== undefined ? { default: c.default } : {}),
    ...(c.min !== undefined ? { min: c.min } : {}),
    ...(c.max !== undefined ? { max: c.max } : {}),
    ...(c.pattern !== undefined ? { pattern: c.pattern } : {}),
    ...(c.maxLength !== undefined ? { max_length: c.maxLength } : {}),
    ...(values ? { values } : {}),
    ...(from ? { values_from: from } : {}),
    // permitted status moves, so the form offers only those
    ...(c.transitions ? { transitions: c.transitions } : {}),
    ...(c.initial ? { initial: c.initial } : {}),
    ...(c.locked ? { locked: c.locked } : {}),
    rule: columnRule(c),
  };
}

/** The table's one-click actions as the form shows them (the webhook stays on the server). */
function describeActions(input: InputTable) {
  return Object.values(input.actions ?? {}).map((a) => ({
    name: a.name,
    ...(a.description !== undefined ? { description: a.description } : {}),
    set: a.set,
    ...(a.roles ? { roles: a.roles } : {}),
    confirm: a.confirm,
    comment_required: a.commentRequired,
  }));
}

/** The table's `planning:` as the form reads it (the context source's columns stay on the server). */
function describePlanning(p: Planning) {
  return {
    rows: p.rows,
    across: { column: p.across.column, values: p.across.values, ...(p.across.source ? { source: `${p.across.source.source}.${p.across.source.table}.${p.across.source.column}` } : {}) },
    layout: p.layout,
    ...(p.value !== undefined ? { value: p.value } : {}),
    ...(p.label !== undefined ? { label: p.label } : {}),
    ...(p.context ? { context: { source: `${p.context.source}.${p.context.table}`, label: p.context.label } } : {}),
  };
}

/** An input table as `GET /api/v1/inputs` shows it: columns with types and rules, key, the caller's permissions. */
export function describeInput(input: InputTable, actor: Actor) {
  return {
    name: input.name,
    ...(input.description !== undefined ? { description: input.description } : {}),
    key: input.key,
    scenarios: input.scenarios,
    ...(input.linksTo ? { links_to: { source: input.linksTo.source, table: input.linksTo.table, on: input.linksTo.on } } : {}),
    columns: input.columns.map((c) => describeColumn(c, input.key)),
    ...(input.approval ? { approval: { ...(input.approval.requiredFor ? { required_for: input.approval.requiredFor } : {}), ...(input.approval.when ? { when: input.approval.when } : {}) } } : {}),
    ...(input.actions ? { actions: describeActions(input) } : {}),
    ...(input.planning ? { planning: describePlanning(input.planning) } : {}),
    permissions: callerPermissions(input, actor),
  };
}
