import type { Reporter } from '../diagnostics/reporter.js';
import { nameProblem, physicalNameProblem } from '../schema/names.js';
import { pathLoc, type YamlDoc, type YamlPath } from './yaml-file.js';

/**
 * Reports `invalid-name` when `name` breaks the name rules; located at the map key (`which: 'key'`)
 * or the value at `path`. Returns true when the name is valid.
 */
export function checkName(report: Reporter, yd: YamlDoc, path: YamlPath, name: string, what: string, which: 'key' | 'value' = 'key'): boolean {
  const problem = nameProblem(name);
  if (!problem) return true;
  const suggestion = suggestName(name);
  report.error('invalid-name', { what, name, problem }, pathLoc(yd, path, which), suggestion ? `try \`${suggestion}\`` : undefined);
  return false;
}

/** Reports `invalid-name` for a physical warehouse name (schema, database, identifier). */
export function checkPhysicalName(report: Reporter, yd: YamlDoc, path: YamlPath, name: string, what: string): boolean {
  const problem = physicalNameProblem(name);
  if (!problem) return true;
  report.error('invalid-name', { what, name, problem, physical: true }, pathLoc(yd, path));
  return false;
}

/** A valid name close to `name` (lower-cased, separators to `_`), if one can be made. */
function suggestName(name: string): string | undefined {
  const s = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[_0-9]+|_+$/g, '')
    .slice(0, 63);
  return s && s !== name && !nameProblem(s) ? s : undefined;
}
