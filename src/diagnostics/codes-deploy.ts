import { defineCode } from './code-spec.js';

type Names = readonly string[];

/** Codes of `plan` (the project against the warehouse) and `apply` (running the plan). */
export const DEPLOY_CODES = {
  'warehouse-read-failed': defineCode<{ target: string; reason: string }>(
    'plan could not read what the warehouse has (schemas, tables, the version registry)',
    (p) => `cannot read the current state of target '${p.target}': ${p.reason}`,
    () => 'check the connection and that the user may read the inputs and views schemas',
  ),
  'input-table-incomplete': defineCode<{ input: string; table: string }>(
    "an input's log or state table is missing or is not a table",
    (p) => `input table '${p.input}': ${p.table} is missing or is not a table; the write-back tables must be repaired by hand`,
  ),
  'column-type-change': defineCode<{ input: string; column: string; table: string; reported: string; declared: string }>(
    "a column's declared type differs from its type in the warehouse",
    (p) => `input table '${p.input}': column '${p.column}' is ${p.reported} in ${p.table} but is declared as ${p.declared}; changing a column's type is not supported`,
    () => 'keep the old type, or add a new column with the new type (and remove the old one with --allow-destructive)',
  ),
  'destructive-change-refused': defineCode<{ input: string; columns: Names; table: string } | { input: string; log: string }>(
    'a removed column or input table would lose data; needs --allow-destructive',
    (p) => {
      if ('log' in p) return `input table '${p.input}' is no longer declared in inputs/; removing it needs --allow-destructive (its log ${p.log} is kept, renamed to an archive)`;
      const several = p.columns.length > 1;
      const list = p.columns.map((c) => `'${c}'`).join(', ');
      return (
        `input table '${p.input}': column${several ? 's' : ''} ${list} ${several ? 'were' : 'was'} removed; ` +
        `dropping ${several ? 'them' : 'it'} from ${p.table} needs --allow-destructive (the log keeps the values)`
      );
    },
  ),
  'old-version-reads-dropped-column': defineCode<{ view: string; columns: Names; table: string }>(
    'warning: an existing model version reads a column about to be dropped',
    (p) => `${p.view} reads ${p.columns.join(', ')} of ${p.table}; it will fail once dropped (\`writeback prune\` removes old versions)`,
  ),
  'model-name-taken': defineCode<{ model: string; views: string }>(
    "a table (not a view) already has a model's name in the views schema",
    (p) => `model '${p.model}': ${p.views}.${p.model} exists and is a table, not a view; rename the model or move the table`,
  ),
  'seeds-not-supported': defineCode<{ target: string; dialect: string }>(
    'warning: the target cannot load CSV seeds; they are skipped',
    (p) => `target '${p.target}' (${p.dialect}) cannot load CSV seeds; they were skipped`,
  ),
  'seed-target-unknown': defineCode<{ seed: string; source: string; table: string; target: string }>(
    "a seed's source table has no schema for the target",
    (p) => `seed ${p.seed}: source table ${p.source}.${p.table} has no schema for target '${p.target}'`,
  ),
  'seed-file-unreadable': defineCode<{ seed: string; reason: string }>('a seed file cannot be read at plan time', (p) => `seed ${p.seed} cannot be read: ${p.reason}`),
  'by-scenario-unsupported': defineCode<{ model: string; view: string; dialect: string } | { model: string; view: string; reason?: string }>(
    "warning: a model reads inputs with scenarios but gets no `__by_scenario` view",
    (p) =>
      'dialect' in p
        ? `model '${p.model}' (kind: sql) reads inputs with scenarios but gets no ${p.view} view on ${p.dialect}: ` +
          'it would need a correlated LATERAL subquery, which this dialect does not support (lateralJoins)'
        : `model '${p.model}' gets no ${p.view} view: ${p.reason ?? 'it could not be rendered for one scenario'}`,
    (p) => ('dialect' in p ? `read a scenario with a structured model (enrich/override/append), or query ${p.model} after promoting the scenario` : undefined),
  ),
  'plan-target-mismatch': defineCode<{ planned: string; connected: string }>(
    'a plan applied to a connection of another dialect',
    (p) => `the plan was made for ${p.planned} but the connection is ${p.connected}; plan again`,
  ),
  'apply-failed': defineCode<{ operation?: string; reason: string; rolledBack: boolean; statementFile?: string; line?: number; col?: number }>(
    'the warehouse rejected a statement of the plan (located in the model when the warehouse names a position)',
    (p) => `${p.operation ? `${p.operation}: ` : ''}${p.reason}.${p.rolledBack ? ' Nothing was changed (the apply was rolled back).' : ''}`,
    (p) =>
      p.statementFile
        ? `the statement the warehouse rejected is in ${p.statementFile}${p.line !== undefined ? `:${p.line}${p.col !== undefined ? `:${p.col}` : ''}` : ''}`
        : undefined,
  ),
};
