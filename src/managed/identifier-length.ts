import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Dialect } from '../dialects/dialect.js';
import { logTableName, stateTableName, archiveLogName, versionViewName } from './names.js';
import type { Project } from '../ir/types.js';

/** Version numbers up to this many digits must fit (`<model>__v9999`). */
const VERSION_DIGITS = 4;

/**
 * `identifier-too-long` for every name writeback derives from an input or model (log, state,
 * rebuilt and archived tables, version views) that the dialect would cut (Postgres: 63 bytes),
 * so two generated names cannot silently collide. Empty for dialects without a limit.
 */
export function identifierLengthDiagnostics(project: Project, dialect: Dialect): Diagnostic[] {
  const max = dialect.maxIdentifierLength;
  if (max === undefined) return [];
  const out: Diagnostic[] = [];
  const check = (generated: string, owner: string, loc: Diagnostic['loc']) => {
    const bytes = Buffer.byteLength(generated, 'utf8');
    if (bytes <= max) return;
    out.push(error('identifier-too-long', `${owner}: the generated name '${generated}' is ${bytes} bytes; ${dialect.name} keeps at most ${max}`, loc, `shorten the name by ${bytes - max} characters`));
  };
  for (const input of Object.values(project.inputs)) {
    const owner = `input '${input.name}'`;
    const longest = [logTableName(input.name), stateTableName(input.name), `${stateTableName(input.name)}__rebuild`, archiveLogName(input.name, new Date(0))];
    const worst = longest.reduce((a, b) => (Buffer.byteLength(b) > Buffer.byteLength(a) ? b : a));
    check(worst, owner, input.loc);
  }
  for (const model of project.models) check(versionViewName(model.name, 10 ** VERSION_DIGITS - 1), `model '${model.name}'`, model.loc);
  return out;
}
