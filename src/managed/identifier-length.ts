import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { Reporter } from '../diagnostics/reporter.js';
import type { Dialect } from '../dialects/dialect.js';
import { archiveLogName, chainHeadTableName, logTableName, stateTableName, versionViewName } from './names.js';
import type { Project } from '../ir/types.js';

/** Version numbers up to this many digits must fit (`<model>__v9999`). */
const VERSION_DIGITS = 4;

/**
 * `identifier-too-long` for every name writeback derives from an input or model (log, state,
 * chain head, rebuilt and archived tables, version views) that the dialect would cut (Postgres: 63 bytes),
 * so two generated names cannot silently collide. Empty for dialects without a limit.
 */
export function identifierLengthDiagnostics(project: Project, dialect: Dialect): Diagnostic[] {
  const max = dialect.maxIdentifierLength;
  if (max === undefined) return [];
  const report = new Reporter();
  const check = (generated: string, owner: 'input' | 'model', name: string, loc: Diagnostic['loc']) => {
    const bytes = Buffer.byteLength(generated, 'utf8');
    if (bytes > max) report.error('identifier-too-long', { owner, name, generated, bytes, dialect: dialect.name, max }, loc);
  };
  for (const input of Object.values(project.inputs)) {
    const longest = [logTableName(input.name), stateTableName(input.name), chainHeadTableName(input.name), `${stateTableName(input.name)}__rebuild`, archiveLogName(input.name, new Date(0))];
    const worst = longest.reduce((a, b) => (Buffer.byteLength(b) > Buffer.byteLength(a) ? b : a));
    check(worst, 'input', input.name, input.loc);
  }
  for (const model of project.models) check(versionViewName(model.name, 10 ** VERSION_DIGITS - 1), 'model', model.name, model.loc);
  return report.all;
}
