import type { Reporter } from '../diagnostics/reporter.js';
import { locateOffset, locateRange, mapOfText } from '../diagnostics/text-map.js';
import type { ModelDraft } from '../resolve/references.js';
import { parseTemplate } from '../emit/template.js';
import { parseSourceTableRef } from '../schema/common.js';
import { modelFileSchema, type ModelFile } from '../schema/model-file.js';
import { checkName } from './check-name.js';
import type { LoadScope } from '../resolve/scope.js';
import { scalarMap } from './scalar-map.js';
import type { ModelBody, Relation } from '../ir/types.js';
import { docStartLoc, pathLoc, resolvePath, type YamlDoc } from './yaml-file.js';
import { reportZodIssues } from './zod-issues.js';

/**
 * Validates and converts one model document of `models/*.yml`. `defaultName` is the file's base
 * name (only when the file holds one document). `kind` defaults to `sql` when `sql:` is given.
 * A model that fails validation is recorded in `scope.broken.models` and not returned.
 */
export function readModelDoc(yd: YamlDoc, defaultName: string | undefined, scope: LoadScope, report: Reporter): ModelDraft | undefined {
  let raw: unknown = yd.doc.toJS();
  if (isRecord(raw) && raw.kind === undefined && 'sql' in raw) raw = { ...raw, kind: 'sql' };
  const rawName = isRecord(raw) && typeof raw.name === 'string' ? raw.name : defaultName;
  const parsed = modelFileSchema.safeParse(raw);
  if (!parsed.success) {
    reportZodIssues(parsed.error.issues, yd, raw, modelFileSchema, report);
    if (rawName !== undefined) scope.broken.models.add(rawName);
    return undefined;
  }
  const m: ModelFile = parsed.data;
  const name = m.name ?? defaultName;
  if (name === undefined) {
    report.error('missing-key', { key: 'name', severalDocuments: true }, docStartLoc(yd));
    return undefined;
  }
  if (m.name !== undefined) checkName(report, yd, ['name'], name, 'model', 'value');
  else checkName(report, yd, [], name, 'model (from the file name)', 'value');
  const loc = m.name !== undefined ? pathLoc(yd, ['name']) : docStartLoc(yd);
  const locField = (path: readonly PropertyKey[], which: 'key' | 'value' = 'value') => pathLoc(yd, path, which);
  const columnsOmitted = { root: false, joins: [] as boolean[] };
  const dependsOn = { models: [], inputs: [], sources: [] };

  if (m.kind === 'sql') {
    const map = scalarMap(yd, resolvePath(yd, ['sql']).node);
    const locSql = (offset: number) => locateOffset(map, offset);
    const t = parseTemplate(m.sql);
    for (const e of t.errors) report.error('template-syntax', { problem: e.message }, locateRange(map, e.start, e.end));
    const body: ModelBody = { kind: 'sql', sql: m.sql, sqlLoc: locSql(0), sqlMap: map.spans };
    return { model: { name, ...(m.description ? { description: m.description } : {}), body, dependsOn, loc }, locField, columnsOmitted, template: t.template, locSql };
  }

  const from = readRelation(yd, m, report);
  if (!from) {
    scope.broken.models.add(name);
    return undefined;
  }
  let body: ModelBody;
  if (m.kind === 'enrich') {
    columnsOmitted.joins = m.inputs.map((j) => j.columns === undefined);
    body = { kind: 'enrich', from, joins: m.inputs.map((j) => ({ input: j.input, on: j.on, columns: j.columns ?? [] })) };
  } else if (m.kind === 'override') {
    columnsOmitted.root = m.columns === undefined;
    body = { kind: 'override', from, input: m.input, on: m.on, columns: m.columns ?? [] };
  } else {
    columnsOmitted.root = m.columns === undefined;
    body = { kind: 'append', from, input: m.input, columns: m.columns ?? [] };
  }
  return { model: { name, ...(m.description ? { description: m.description } : {}), body, dependsOn, loc }, locField, columnsOmitted };
}

/**
 * Reads `models/<name>.sql`: a SQL model whose name is the file's base name, with template
 * positions taken directly from the file.
 */
export function readSqlModelFile(file: string, name: string, text: string, report: Reporter): ModelDraft {
  const loc = { file, line: 1, col: 1 };
  const map = mapOfText(loc, text, 1);
  const locSql = (offset: number) => locateOffset(map, offset);
  const t = parseTemplate(text);
  for (const e of t.errors) report.error('template-syntax', { problem: e.message }, locateRange(map, e.start, e.end));
  return {
    model: { name, body: { kind: 'sql', sql: text, sqlLoc: loc, sqlMap: map.spans }, dependsOn: { models: [], inputs: [], sources: [] }, loc },
    locField: () => loc,
    columnsOmitted: { root: false, joins: [] },
    template: t.template,
    locSql,
  };
}

function readRelation(yd: YamlDoc, m: Exclude<ModelFile, { kind: 'sql' }>, report: Reporter): Relation | undefined {
  if (m.source !== undefined && m.model !== undefined) {
    report.error('invalid-model', { problem: 'two-bases' }, pathLoc(yd, ['model'], 'key'));
    return undefined;
  }
  if (m.model !== undefined) return { kind: 'model', model: m.model };
  if (m.source === undefined) {
    report.error('invalid-model', { problem: 'no-base', kind: m.kind }, docStartLoc(yd));
    return undefined;
  }
  const ref = parseSourceTableRef(m.source);
  if (!ref) {
    report.error('invalid-value', { reason: 'table-ref', key: 'source', found: m.source }, pathLoc(yd, ['source']));
    return undefined;
  }
  return { kind: 'source', ...ref };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
