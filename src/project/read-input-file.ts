import { didYouMean } from '../diagnostics/message-text.js';
import type { Reporter } from '../diagnostics/reporter.js';
import { isOrderedType, isTextType, parseColumnType } from '../schema/column-type.js';
import { boundProblem, compareValues, compilePattern, valueChecker } from '../rules/column-rules.js';
import { parseSourceTableRef } from '../schema/common.js';
import { inputFileSchema, type InputColumnEntry, type InputFile, type PermissionEntry } from '../schema/input-file.js';
import { salvageObject } from '../schema/salvage.js';
import { checkName } from './check-name.js';
import { isBroken, sourceTableExists, type LoadScope } from '../resolve/scope.js';
import { reportUnknownSourceTable } from './read-project-file.js';
import type { InputColumn, InputTable, RowFilter, Scalar, TablePermission } from '../ir/types.js';
import { readActions, readApproval, readStatusRules, readTransitions } from './read-workflow.js';
import { readPlanning } from './read-planning.js';
import { reportZodIssues } from './zod-issues.js';
import { docStartLoc, keyLoc, pathLoc, type YamlDoc } from './yaml-file.js';

/**
 * Validates and converts one input document. `defaultName` is the file's base name (used when
 * the document has no `name:`). Returns the table (best effort) or undefined when it has no usable name.
 */
export function readInputFile(yd: YamlDoc, defaultName: string | undefined, scope: LoadScope, report: Reporter): InputTable | undefined {
  const raw: unknown = yd.doc.toJS();
  const parsed = inputFileSchema.safeParse(raw);
  let file: Partial<InputFile>;
  const brokenColumns = new Set<string>();
  let keyBroken = false;
  if (parsed.success) file = parsed.data;
  else {
    reportZodIssues(parsed.error.issues, yd, raw, inputFileSchema, report);
    const s = salvageObject(inputFileSchema, raw);
    file = s.value;
    for (const k of s.broken.get('columns') ?? []) brokenColumns.add(k);
    keyBroken = s.broken.has('key');
  }
  const name = file.name ?? defaultName;
  if (name === undefined) {
    report.error('missing-key', { key: 'name', severalDocuments: true }, docStartLoc(yd));
    return undefined;
  }
  if (file.name !== undefined) checkName(report, yd, ['name'], name, 'input', 'value');
  else checkName(report, yd, [], name, 'input (from the file name)', 'value');
  if (!parsed.success && (file.columns === undefined || brokenColumns.has('*'))) scope.broken.inputs.add(name);

  const declared = file.columns ?? {};
  const key = file.key === undefined ? [] : typeof file.key === 'string' ? [file.key] : file.key;
  const keyPath = (i: number): PropertyKey[] => (typeof file.key === 'string' ? ['key'] : ['key', i]);
  const keySet = new Set<string>();
  key.forEach((k, i) => {
    if (keySet.has(k)) report.error('duplicate-name', { what: 'key column', name: k }, pathLoc(yd, keyPath(i)));
    keySet.add(k);
    if (!(k in declared) && !brokenColumns.has(k) && !brokenColumns.has('*')) {
      report.error('unknown-column', { as: 'key', column: k, columns: Object.keys(declared) }, pathLoc(yd, keyPath(i)), didYouMean(k, Object.keys(declared)));
    }
  });
  if (keyBroken) scope.broken.inputs.add(name);

  const columns: InputColumn[] = [];
  const ordered = [...[...keySet].filter((k) => k in declared), ...Object.keys(declared).filter((c) => !keySet.has(c))];
  for (const colName of ordered) {
    const entry = declared[colName];
    if (!entry) continue;
    const col = readColumn(yd, colName, entry, keySet.has(colName), scope, report);
    if (col) columns.push(col);
  }

  let linksTo: InputTable['linksTo'];
  if (file.links_to) linksTo = readLink(yd, file.links_to, keySet, declared, scope, report);

  const permissions: Record<string, TablePermission> = {};
  for (const [role, entry] of Object.entries(file.permissions ?? {})) {
    const p = readPermission(yd, role, entry, declared, linksTo !== undefined, scope, report);
    if (p) permissions[role] = p;
  }

  for (const col of columns) {
    const entry = declared[col.name];
    if (entry?.transitions) {
      const transitions = readTransitions(yd, col, entry.transitions, scope, report);
      if (transitions) col.transitions = transitions;
    }
    if (entry?.initial || entry?.locked) readStatusRules(yd, col, entry, scope, report);
  }
  const approval = file.approval ? readApproval(yd, file.approval, columns, scope, report) : undefined;
  const actions = file.actions ? readActions(yd, file.actions, columns, key, scope, report) : undefined;
  const planning = file.planning ? readPlanning(yd, file.planning, { key, columns, linksTo }, file.links_to !== undefined, scope, report) : undefined;

  return {
    name,
    ...(file.description ? { description: file.description } : {}),
    key,
    columns,
    ...(linksTo ? { linksTo } : {}),
    scenarios: file.scenarios ?? false,
    permissions,
    ...(approval ? { approval } : {}),
    ...(actions ? { actions } : {}),
    ...(planning ? { planning } : {}),
    loc: file.name !== undefined ? pathLoc(yd, ['name']) : docStartLoc(yd),
  };
}

function readColumn(yd: YamlDoc, name: string, e: InputColumnEntry, isKey: boolean, scope: LoadScope, report: Reporter): InputColumn | undefined {
  const base = ['columns', name];
  checkName(report, yd, base, name, 'column');
  const parsedType = parseColumnType(e.type);
  if (!parsedType.ok) {
    report.error('unknown-type', parsedType.problem, pathLoc(yd, [...base, 'type']));
    return undefined;
  }
  let type = parsedType.type;
  const notApplicable = (rule: 'min' | 'max' | 'pattern' | 'max_length' | 'values'): void => {
    report.error('rule-not-applicable', { rule, kind: type.kind }, keyLoc(yd, [...base, rule]));
  };
  let allowedValues: InputColumn['allowedValues'];
  if (type.kind === 'enum') {
    if (e.values === undefined) {
      report.error('missing-values', { column: name, empty: false }, keyLoc(yd, [...base, 'type']));
    } else if (!Array.isArray(e.values)) {
      report.error('rule-not-applicable', { rule: 'values-source', kind: 'enum' }, pathLoc(yd, [...base, 'values']));
    } else {
      const values = e.values.map(String);
      if (values.length === 0) report.error('missing-values', { column: name, empty: true }, pathLoc(yd, [...base, 'values']));
      type = { kind: 'enum', values };
    }
  } else if (e.values !== undefined) {
    if (!isTextType(type)) notApplicable('values');
    else if (Array.isArray(e.values)) allowedValues = e.values.map(String);
    else {
      const ref = parseSourceTableRef(e.values.source);
      if (!ref) report.error('invalid-value', { reason: 'table-ref', key: 'values.source', found: e.values.source }, pathLoc(yd, [...base, 'values', 'source']));
      else if (!sourceTableExists(scope, ref.source, ref.table)) reportUnknownSourceTable(yd, [...base, 'values', 'source'], ref, scope, report, 'allowed values from');
      else allowedValues = { ...ref, column: e.values.column };
    }
  }
  const col: InputColumn = { name, type, required: isKey || (e.required ?? false), loc: keyLoc(yd, base) };
  if (e.description) col.description = e.description;
  if (allowedValues) col.allowedValues = allowedValues;
  if (isKey && e.required === false) report.error('invalid-key', { column: name }, pathLoc(yd, [...base, 'required']));

  for (const bound of ['min', 'max'] as const) {
    const v = e[bound];
    if (v === undefined) continue;
    if (!isOrderedType(type)) {
      notApplicable(bound);
      continue;
    }
    const problem = boundProblem({ type }, v);
    if (problem) report.error('invalid-value', { reason: 'bound', bound, problem }, pathLoc(yd, [...base, bound]));
    else col[bound] = v;
  }
  if (col.min !== undefined && col.max !== undefined && compareValues({ type }, col.min, col.max) > 0) {
    report.error('invalid-range', { min: String(col.min), max: String(col.max) }, pathLoc(yd, [...base, 'max']));
  }
  if (e.pattern !== undefined) {
    if (!isTextType(type)) notApplicable('pattern');
    else if (!compilePattern(e.pattern)) report.error('invalid-pattern', { problem: regexError(e.pattern) }, pathLoc(yd, [...base, 'pattern']));
    else col.pattern = e.pattern;
  }
  if (e.max_length !== undefined) {
    if (!isTextType(type)) notApplicable('max_length');
    else col.maxLength = e.max_length;
  }
  if (e.default !== undefined) {
    const problem = defaultProblem(col, e.default);
    if (problem) report.error('invalid-default', { problem }, pathLoc(yd, [...base, 'default']));
    else col.default = e.default;
  }
  return col;
}

/** Why a default breaks its column's rules (the write path's own checker), or undefined. */
function defaultProblem(col: InputColumn, value: Scalar): string | undefined {
  if (value === null) return col.required ? 'is null but the column is required' : undefined;
  const checked = valueChecker(col)(value);
  return checked.ok ? undefined : checked.message;
}

function regexError(pattern: string): string {
  try {
    new RegExp(pattern, 'u');
    return '';
  } catch (err) {
    return err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : String(err);
  }
}

function readLink(
  yd: YamlDoc,
  link: NonNullable<InputFile['links_to']>,
  keySet: Set<string>,
  declared: Record<string, InputColumnEntry>,
  scope: LoadScope,
  report: Reporter,
): InputTable['linksTo'] {
  const ref = parseSourceTableRef(link.source);
  if (!ref) {
    report.error('invalid-value', { reason: 'table-ref', key: 'links_to.source', found: link.source }, pathLoc(yd, ['links_to', 'source']));
    return undefined;
  }
  let ok = true;
  if (!sourceTableExists(scope, ref.source, ref.table)) {
    reportUnknownSourceTable(yd, ['links_to', 'source'], ref, scope, report, 'link to');
    ok = false;
  }
  for (const col of Object.keys(link.on)) {
    if (!(col in declared)) {
      report.error('unknown-column', { as: 'link', column: col }, keyLoc(yd, ['links_to', 'on', col]), didYouMean(col, Object.keys(declared)));
      ok = false;
    } else if (!keySet.has(col)) {
      report.error('invalid-link', { problem: 'not-key', column: col, key: [...keySet] }, keyLoc(yd, ['links_to', 'on', col]));
      ok = false;
    }
  }
  if (Object.keys(link.on).length === 0) {
    report.error('invalid-link', { problem: 'empty' }, pathLoc(yd, ['links_to', 'on']));
    ok = false;
  }
  return ok ? { ...ref, on: link.on } : undefined;
}

function readPermission(
  yd: YamlDoc,
  role: string,
  entry: PermissionEntry,
  declared: Record<string, InputColumnEntry>,
  hasLink: boolean,
  scope: LoadScope,
  report: Reporter,
): TablePermission | undefined {
  const base = ['permissions', role];
  const roleDef = scope.roles[role];
  if (!roleDef) {
    if (!isBroken(scope.broken.roles, role)) {
      const names = Object.keys(scope.roles);
      report.error('unknown-role', { role, declared: names }, keyLoc(yd, base), didYouMean(role, names));
    }
    return undefined;
  }
  const rowFilter: RowFilter[] = [];
  for (const [colSpec, attrSpec] of Object.entries(entry?.row_filter ?? {})) {
    const at = [...base, 'row_filter', colSpec];
    const onSource = colSpec.startsWith('source.');
    const column = onSource ? colSpec.slice('source.'.length) : colSpec;
    if (onSource && !hasLink) {
      report.error('invalid-link', { problem: 'no-link', filter: colSpec }, keyLoc(yd, at));
      continue;
    }
    if (!onSource && !(column in declared)) {
      report.error('unknown-column', { as: 'row-filter', column }, keyLoc(yd, at), didYouMean(column, Object.keys(declared)));
      continue;
    }
    const declaredType = !onSource ? declared[column]?.type : undefined;
    const parsedType = typeof declaredType === 'string' ? parseColumnType(declaredType) : undefined;
    if (parsedType?.ok && (parsedType.type.kind === 'number' || parsedType.type.kind === 'timestamp')) {
      report.error('rule-not-applicable', { rule: 'row_filter', kind: parsedType.type.kind }, keyLoc(yd, at));
      continue;
    }
    const m = /^user\.(.+)$/.exec(attrSpec);
    if (!m?.[1]) {
      report.error('invalid-value', { reason: 'row-filter-value', found: attrSpec }, pathLoc(yd, at));
      continue;
    }
    const attribute = m[1];
    if (!roleDef.attributes.includes(attribute)) {
      report.error('unknown-attribute', { role, attribute, attributes: roleDef.attributes }, pathLoc(yd, at), didYouMean(attribute, roleDef.attributes));
      continue;
    }
    rowFilter.push({ column, onSource, attribute });
  }
  return { read: entry?.read ?? true, write: entry?.write ?? false, delete: entry?.delete ?? false, approve: entry?.approve ?? false, rowFilter };
}
