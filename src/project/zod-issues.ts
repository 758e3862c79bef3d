import { z } from 'zod';
import type { Reporter } from '../diagnostics/reporter.js';
import { didYouMean } from '../diagnostics/message-text.js';
import { keyLoc, pathLoc, type YamlDoc, type YamlPath } from './yaml-file.js';

/**
 * Reports zod issues located at the YAML node each issue's path points to:
 * `unknown-key` (at the key itself, listing allowed keys, with a "did you mean"),
 * `missing-key` (at the object that lacks it) and `invalid-value` (at the value).
 * `data` is the plain value that was validated; `schema` is used to list allowed keys.
 */
export function reportZodIssues(issues: readonly z.core.$ZodIssue[], yd: YamlDoc, data: unknown, schema: z.ZodType, report: Reporter, base: YamlPath = []): void {
  for (const issue of issues) convert(issue, yd, data, schema, base, [], report);
}

function convert(issue: z.core.$ZodIssue, yd: YamlDoc, data: unknown, schema: z.ZodType, base: YamlPath, prefix: PropertyKey[], report: Reporter): void {
  const rel = [...prefix, ...issue.path];
  const full = [...base, ...rel];
  const where = showPath(rel);
  const path = where || undefined;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(schema, rel, data);
      for (const k of issue.keys) report.error('unknown-key', { key: k, ...(path ? { in: path } : {}), allowed }, keyLoc(yd, [...full, k]), didYouMean(k, allowed));
      return;
    }
    case 'invalid_type': {
      const value = valueAt(data, rel);
      if (value === undefined && isMissing(data, rel)) {
        const key = String(rel[rel.length - 1]);
        const parent = rel.length > 1 ? showPath(rel.slice(0, -1)) : undefined;
        return report.error('missing-key', { key, ...(parent ? { in: parent } : {}) }, pathLoc(yd, full.slice(0, -1)));
      }
      return report.error('invalid-value', { reason: 'type', ...(path ? { path } : {}), expected: article(issue.expected), found: describe(value) }, pathLoc(yd, full));
    }
    case 'invalid_union': {
      if ('note' in issue && issue.note === 'No matching discriminator') {
        const disc = 'discriminator' in issue ? String(issue.discriminator) : String(rel[rel.length - 1]);
        const options = 'options' in issue && Array.isArray(issue.options) ? issue.options.map(String) : [];
        const value = valueAt(data, rel);
        if (value === undefined) return report.error('missing-key', { key: disc, oneOf: options }, pathLoc(yd, full.slice(0, -1)));
        return report.error('invalid-value', { reason: 'one-of', path: where, allowed: options, found: describe(value) }, pathLoc(yd, full), didYouMean(String(value), options));
      }
      const branches = issue.errors.filter((b) => !b.every((i) => i.code === 'invalid_type' && i.path.length === 0));
      const chosen = branches[0];
      if (branches.length >= 1 && chosen) {
        for (const i of chosen) convert(i, yd, data, schema, base, rel, report);
        return;
      }
      const expected = [...new Set(issue.errors.flatMap((b) => b.map((i) => (i.code === 'invalid_type' ? article(i.expected) : 'valid'))))];
      return report.error('invalid-value', { reason: 'type', ...(path ? { path } : {}), expected: expected.join(' or '), found: describe(valueAt(data, rel)) }, pathLoc(yd, full));
    }
    case 'too_small':
      if (issue.origin === 'array') return report.error('invalid-value', { reason: 'min-items', path: where, min: Number(issue.minimum) }, pathLoc(yd, full));
      return report.error('invalid-value', { reason: 'too-small', path: where, min: Number(issue.minimum), inclusive: issue.inclusive ?? false }, pathLoc(yd, full));
    case 'invalid_value':
      return report.error('invalid-value', { reason: 'one-of', path: where, allowed: issue.values.map(String), found: describe(valueAt(data, rel)) }, pathLoc(yd, full));
    default:
      return report.error('invalid-value', { reason: 'schema', ...(path ? { path } : {}), detail: issue.message }, pathLoc(yd, full));
  }
}

/** Renders a path as `columns.amount.min` / `seeds[1]`. */
export function showPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${String(seg)}` : String(seg);
  return s;
}

/** A short description of a YAML value for messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  return `${typeof value === 'number' ? 'the number' : 'the boolean'} ${String(value)}`;
}

function article(expected: string): string {
  const names: Record<string, string> = { object: 'a mapping', record: 'a mapping', array: 'a list', int: 'an integer', string: 'a string', number: 'a number', boolean: 'a boolean (true/false)', null: 'null' };
  return names[expected] ?? expected;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function isMissing(data: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return false;
  const parent = valueAt(data, path.slice(0, -1));
  const last = path[path.length - 1];
  return parent !== null && typeof parent === 'object' && !Array.isArray(parent) && last !== undefined && !(last in parent);
}

/** The keys the schema allows for the object at `path` (following the data through unions). */
export function allowedKeys(schema: z.ZodType, path: readonly PropertyKey[], data: unknown): string[] {
  let s: z.ZodType | undefined = schema;
  let v = data;
  for (let i = 0; i <= path.length && s; i++) {
    s = pickObject(s, v);
    if (i === path.length) break;
    const seg = path[i];
    if (seg === undefined) break;
    if (s instanceof z.ZodObject) s = s.shape[String(seg)] as z.ZodType | undefined;
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else s = undefined;
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[seg] : undefined;
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** Unwraps optional/nullable and picks the union option matching the data. */
function pickObject(schema: z.ZodType, data: unknown): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodUnion) {
      const options = (s.options as readonly z.ZodType[]).map((o) => pickObject(o, data));
      const objects = options.filter((o): o is z.ZodObject => o instanceof z.ZodObject);
      const isPlainObject = data !== null && typeof data === 'object' && !Array.isArray(data);
      const matching = objects.filter((o) => discriminatorMatches(o, data));
      const pick = isPlainObject ? (matching[0] ?? objects[0]) : options.find((o) => !(o instanceof z.ZodObject));
      if (!pick) return s;
      s = pick;
    } else return s;
  }
}

function discriminatorMatches(o: z.ZodObject, data: unknown): boolean {
  if (data === null || typeof data !== 'object') return false;
  for (const [key, field] of Object.entries(o.shape)) {
    if (field instanceof z.ZodLiteral) {
      const v = (data as Record<string, unknown>)[key];
      if (!field.values.has(v as z.core.util.Literal)) return false;
    } else if (field instanceof z.ZodEnum) {
      const v = (data as Record<string, unknown>)[key];
      if (!Object.values(field.enum).includes(v as string)) return false;
    }
  }
  return true;
}

