import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceColumnsLookup } from '../emit/render-context.js';
import type { Project } from '../ir/types.js';

/**
 * Columns of the source tables that seeds fill, read offline from each CSV's header line — so that
 * `compile` can list columns for dialects without `select * exclude/replace` (Postgres).
 * A source table no seed fills (or whose file is missing) stays unknown.
 */
export function seedSourceColumns(project: Project): SourceColumnsLookup {
  const columns = new Map<string, string[]>();
  for (const seed of project.seeds) {
    const path = join(project.dir, seed.file);
    if (!existsSync(path)) continue;
    const header = csvHeader(readFileSync(path, 'utf8'));
    if (header.length > 0) columns.set(`${seed.into.source}.${seed.into.table}`, header);
  }
  return (source, table) => columns.get(`${source}.${table}`);
}

/** The fields of a CSV text's first record (RFC 4180 quoting, BOM and surrounding spaces dropped). */
export function csvHeader(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += c;
    } else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else if (c === '\n' || c === '\r') {
      break;
    } else {
      field += c;
    }
  }
  fields.push(field.trim());
  return fields.length === 1 && fields[0] === '' ? [] : fields;
}
