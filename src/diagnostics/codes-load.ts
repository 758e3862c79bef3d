import { defineCode } from './code-spec.js';
import { listNames, showName } from './message-text.js';

type Names = readonly string[];

/** Why each column rule applies only to some column types. */
const RULE_TYPES = {
  min: 'only numeric, date and timestamp columns are ordered',
  max: 'only numeric, date and timestamp columns are ordered',
  pattern: 'only string and text columns take a pattern',
  max_length: 'only string and text columns take a max_length',
  values: 'only string, text and enum columns take values',
  row_filter: 'a row filter compares a column as text with a user attribute, and number and timestamp columns read as different text in different places; filter on a string, enum, integer, decimal, boolean or date column',
} as const;

const inPath = (path: string | undefined) => (path ? ` in \`${path}\`` : '');
const subject = (path: string | undefined) => (path ? `\`${path}\`` : 'the document');

/** Codes of reading and validating the project files (load → validate). */
export const LOAD_CODES = {
  'no-project': defineCode<{ dir: string }>(
    'no project.yml (or project.yaml) in the project directory',
    (p) => `no project.yml found in ${p.dir}`,
    () => 'run writeback in a project directory, or pass --project <dir>',
  ),
  'unreadable-file': defineCode<{ file: string; reason: string }>('a project file could not be read', (p) => `cannot read ${p.file}: ${p.reason}`),
  'empty-file': defineCode<{ file: string; declares: 'input' | 'model' }>('an input or model file without any content', (p) =>
    p.declares === 'input' ? `${p.file} is empty; an input file declares one input table` : `${p.file} is empty; a model file declares one or more models`,
  ),
  'yaml-syntax': defineCode<{ problem: string } | { problem: 'over-indented'; continues: number }>(
    'a YAML syntax error (located at the offending token)',
    (p) => ('continues' in p ? `this line is indented deeper than the keys of its mapping, so YAML reads it as part of the value on line ${p.continues}` : p.problem),
    (p) => ('continues' in p ? 'indent it like the other keys of its mapping' : undefined),
  ),
  'duplicate-key': defineCode<{ key: string; line: number; col: number }>(
    'the same key twice in one YAML mapping',
    (p) => `duplicate key \`${p.key}\` (first defined at line ${p.line}, column ${p.col})`,
  ),
  'multiple-documents': defineCode('project.yml holds more than one YAML document', () => 'project.yml must hold a single YAML document'),
  'unknown-key': defineCode<{ key: string; in?: string; allowed: Names }>(
    'a key the schema does not allow (with the allowed keys and a "did you mean")',
    (p) => `unknown key \`${p.key}\`${inPath(p.in)}; allowed keys: ${listNames(p.allowed)}`,
  ),
  'missing-key': defineCode<{ key: string; in?: string } | { key: string; oneOf: Names } | { key: string; severalDocuments: true } | { key: string; emptyFile: string }>(
    'a required key is missing',
    (p) => {
      if ('oneOf' in p) return `missing required key \`${p.key}\` (one of ${listNames(p.oneOf)})`;
      if ('severalDocuments' in p) return `missing required key \`${p.key}\` (needed when a file holds several documents)`;
      if ('emptyFile' in p) return `${p.emptyFile} is empty: missing required key \`${p.key}\``;
      return `missing required key \`${p.key}\`${inPath(p.in)}`;
    },
  ),
  'invalid-value': defineCode<
    | { reason: 'type'; path?: string; expected: string; found: string }
    | { reason: 'one-of'; path: string; allowed: Names; found: string }
    | { reason: 'min-items'; path: string; min: number }
    | { reason: 'too-small'; path: string; min: number; inclusive: boolean }
    | { reason: 'schema'; path?: string; detail: string }
    | { reason: 'table-ref'; key: string; found: string }
    | { reason: 'bound'; bound: 'min' | 'max'; problem: string }
    | { reason: 'row-filter-value'; found: string }
    | { reason: 'not-a-status'; as: 'transition from' | 'transition to' | 'initial status' | 'locked status'; value: string; column: string; values: Names }
    | { reason: 'action-sets-key'; action: string; column: string }
    | { reason: 'webhook-url'; action: string; found: string }
  >('a value of the wrong type or shape', (p) => {
    switch (p.reason) {
      case 'type':
        return `${subject(p.path)} must be ${p.expected}, found ${p.found}`;
      case 'one-of':
        return `\`${p.path}\` must be one of ${listNames(p.allowed)}, found ${p.found}`;
      case 'min-items':
        return `\`${p.path}\` must have at least ${p.min} item(s)`;
      case 'too-small':
        return `\`${p.path}\` must be ${p.inclusive ? 'at least' : 'greater than'} ${p.min}`;
      case 'schema':
        return `${p.path ? `\`${p.path}\`: ` : ''}${p.detail}`;
      case 'table-ref':
        return `\`${p.key}\` must be \`<source>.<table>\`, found \`${p.found}\``;
      case 'bound':
        return `\`${p.bound}\` ${p.problem}`;
      case 'row-filter-value':
        return `row filter value must be \`user.<attribute>\`, found \`${p.found}\``;
      case 'not-a-status':
        return `${p.as} \`${p.value}\`, which is not a value of \`${p.column}\` (${listNames(p.values)})`;
      case 'action-sets-key':
        return `action \`${p.action}\` cannot set the key column \`${p.column}\``;
      case 'webhook-url':
        return `webhook url must start with http:// or https://, found \`${p.found}\``;
    }
  }),
  'invalid-name': defineCode<{ what: string; name: string; problem: string; physical?: boolean; fromFileName?: boolean }>(
    'a name breaks the name rules (^[a-z][a-z0-9_]*$, ≤ 63 chars, no leading `_`, no `__`)',
    (p) => `invalid ${p.what}${p.physical ? '' : ' name'} "${showName(p.name)}"${p.fromFileName ? ' (from the file name)' : ''}: ${p.problem}`,
  ),
  'invalid-path': defineCode<{ file: string }>(
    'a seed file path outside the project directory',
    (p) => `seed file \`${p.file}\` must be a relative path inside the project directory`,
  ),
  'duplicate-name': defineCode<
    { what: 'macro' | 'input' | 'model'; name: string; first: string } | { what: 'key column'; name: string } | { what: 'table'; name: string; source: string; first: string }
  >('an input, model, macro or table declared twice', (p) => {
    switch (p.what) {
      case 'key column':
        return `key column \`${p.name}\` is listed twice`;
      case 'table':
        return `table \`${p.name}\` is listed twice in source \`${p.source}\` (first at ${p.first})`;
      default:
        return `${p.what} \`${p.name}\` is already ${p.what === 'macro' ? 'defined' : 'declared'} at ${p.first}`;
    }
  }),
  'unknown-target': defineCode<{ target: string; in?: string; declared: Names }>(
    'default_target, a per-target setting or the chosen target names an undeclared target',
    (p) =>
      p.in === 'default_target'
        ? `default_target \`${p.target}\` is not a declared target; targets: ${listNames(p.declared)}`
        : p.in
          ? `\`${p.target}\` in \`${p.in}\` is not a declared target; targets: ${listNames(p.declared)}`
          : `unknown target \`${p.target}\`; targets: ${listNames(p.declared)}`,
  ),
  'missing-default-target': defineCode<{ targets: Names }>(
    'several targets but no default_target',
    (p) => `default_target is required when several targets are declared (${listNames(p.targets)})`,
  ),
  'unknown-type': defineCode<
    { type: string; problem: 'unknown'; allowed: Names } | { type: string; problem: 'decimal-syntax' } | { type: string; problem: 'precision'; precision: number; max: number } | { type: string; problem: 'scale'; precision: number; scale: number }
  >('an unknown column type, or a bad decimal(p,s)', (p) => {
    switch (p.problem) {
      case 'unknown':
        return `unknown column type \`${p.type}\`; allowed: ${p.allowed.map((n) => (n === 'decimal' ? '`decimal(p,s)`' : `\`${n}\``)).join(', ')}`;
      case 'decimal-syntax':
        return `\`${p.type}\` is not a valid decimal type; write \`decimal(precision,scale)\`, e.g. \`decimal(18,2)\``;
      case 'precision':
        return `decimal precision must be between 1 and ${p.max}, found ${p.precision}`;
      case 'scale':
        return `decimal scale (${p.scale}) must not exceed its precision (${p.precision})`;
    }
  }),
  'unknown-column': defineCode<
    | { as: 'key'; column: string; columns: Names }
    | { as: 'link' | 'row-filter' | 'approval'; column: string }
    | { as: 'action'; column: string; action: string }
    | { as: 'join-on'; column: string; input: string }
    | { as: 'model-column'; column: string; input: string; columns: Names }
    | { as: 'input-column'; column: string; input: string; model: string }
    | { as: 'base-column'; column: string; model: string }
    | { as: 'planning'; column: string; key: string }
  >('a key, link, row filter or model column that the input (or base relation) does not declare', (p) => {
    switch (p.as) {
      case 'key':
        return `key column \`${p.column}\` is not declared under \`columns\`; columns: ${listNames(p.columns)}`;
      case 'link':
        return `\`links_to.on\` uses \`${p.column}\`, which is not a column of this input`;
      case 'row-filter':
        return `row filter column \`${p.column}\` is not a column of this input`;
      case 'approval':
        return `approval condition on \`${p.column}\`, which is not a column of this input`;
      case 'action':
        return `action \`${p.action}\` sets \`${p.column}\`, which is not a column of this input`;
      case 'join-on':
        return `\`on\` uses \`${p.column}\`, which is not a column of input \`${p.input}\``;
      case 'model-column':
        return `column \`${p.column}\` is not a column of input \`${p.input}\`; columns: ${listNames(p.columns)}`;
      case 'input-column':
        return `model '${p.model}': input '${p.input}' has no column '${p.column}'`;
      case 'base-column':
        return `model '${p.model}': the base relation has no column '${p.column}'`;
      case 'planning':
        return `\`planning.${p.key}\` uses \`${p.column}\`, which is not a column of this input`;
    }
  }),
  'unknown-source': defineCode<
    | { missing: 'source'; what: string; source: string; table: string; sources: Names }
    | { missing: 'table'; what: string; source: string; table: string; tables: Names }
    | { missing: 'seed-table'; seed: string; table: string }
    | { missing: 'declaration'; model: string; source: string; table: string }
    | { missing: 'target-schema'; source: string; table: string; target: string }
  >('a link, allowed-values source, seed target or model read that is not a declared source table', (p) => {
    switch (p.missing) {
      case 'source':
        return `${p.what} \`${p.source}.${p.table}\`: source \`${p.source}\` is not declared in project.yml; sources: ${listNames(p.sources)}`;
      case 'table':
        return `${p.what} \`${p.source}.${p.table}\`: source \`${p.source}\` has no table \`${p.table}\`; tables: ${listNames(p.tables)}`;
      case 'seed-table':
        return `no source declares a table \`${p.table}\` for seed \`${p.seed}\`; declare it under \`sources:\` or write \`into: <source>.<table>\``;
      case 'declaration':
        return `model '${p.model}' reads source '${p.source}.${p.table}', which is not declared`;
      case 'target-schema':
        return `source '${p.source}.${p.table}' has no schema for target '${p.target}'`;
    }
  }),
  'dbt-manifest': defineCode<
    | { problem: 'missing'; file: string }
    | { problem: 'unreadable'; file: string; reason: string }
    | { problem: 'invalid'; file: string; detail: string }
    | { problem: 'unsupported'; file: string; found: string; supported: Names }
    | { problem: 'no-target'; source: string; target: string }
  >('a dbt manifest that cannot be used: missing, unreadable, not a manifest, of an unsupported schema version, or none for a target', (p) => {
    switch (p.problem) {
      case 'missing':
        return `dbt manifest \`${p.file}\` does not exist`;
      case 'unreadable':
        return `cannot read dbt manifest \`${p.file}\`: ${p.reason}`;
      case 'invalid':
        return `\`${p.file}\` is not a dbt manifest: ${p.detail}`;
      case 'unsupported':
        return `dbt manifest \`${p.file}\` has dbt_schema_version \`${p.found}\`; writeback reads ${listNames(p.supported)}`;
      case 'no-target':
        return `source \`${p.source}\` names no dbt manifest for target \`${p.target}\``;
    }
  }, (p) => {
    if (p.problem === 'missing') return 'run `dbt parse` (or `dbt compile`) in the dbt project to write target/manifest.json; the path is relative to the writeback project';
    if (p.problem === 'unsupported') return 'use dbt-core 1.6 or later (manifest v10 to v12)';
    if (p.problem === 'no-target') return 'add the target under `dbt.manifest`, or give one path for every target';
    return undefined;
  }),
  'dbt-node': defineCode<
    | { problem: 'not-found'; ref: string; manifest: string; close: Names }
    | { problem: 'disabled'; ref: string; manifest: string }
    | { problem: 'ambiguous'; ref: string; manifest: string; packages: Names }
    | { problem: 'no-relation'; ref: string; manifest: string; resource: string }
    | { problem: 'no-version'; ref: string; manifest: string; version: string; versions: Names }
    | { problem: 'alias-differs'; ref: string; aliases: Names }
  >('a dbt model, seed or snapshot a source table names that the manifest does not resolve to one relation', (p) => {
    switch (p.problem) {
      case 'not-found':
        return `dbt manifest \`${p.manifest}\` has no model, seed or snapshot \`${p.ref}\`${p.close.length ? `; close names: ${listNames(p.close)}` : ''}`;
      case 'disabled':
        return `dbt model \`${p.ref}\` is disabled in \`${p.manifest}\`, so dbt builds no relation for it`;
      case 'ambiguous':
        return `\`${p.ref}\` names a node in several packages of \`${p.manifest}\` (${listNames(p.packages)}); write \`ref: <package>.${p.ref}\``;
      case 'no-relation':
        return `dbt ${p.resource} \`${p.ref}\` has no relation in the warehouse (\`${p.manifest}\`: an ephemeral model is inlined into others, never built)`;
      case 'no-version':
        return `dbt model \`${p.ref}\` has no version ${p.version} in \`${p.manifest}\`; versions: ${listNames(p.versions)}`;
      case 'alias-differs':
        return `dbt model \`${p.ref}\` has a different relation name per target (${listNames(p.aliases)}); a source table has one name in every target`;
    }
  }),
  'dbt-source': defineCode<{ problem: 'key'; key: string } | { problem: 'needs-dbt'; key: string } | { problem: 'seed'; source: string; table: string }>(
    'a key that a dbt-backed source takes from the manifest, or a seed into a dbt-backed source',
    (p) =>
      p.problem === 'key'
        ? `\`${p.key}\` comes from the dbt manifest in a source with \`dbt:\`; remove it`
        : p.problem === 'needs-dbt'
          ? `\`${p.key}\` names a dbt node: it applies only in a source with \`dbt: { manifest: … }\``
          : `seed into \`${p.source}.${p.table}\`: that table is built by dbt (its source has \`dbt:\`), so writeback does not load it`,
  ),
  'ambiguous-seed': defineCode<{ seed: string; matches: Names }>(
    'a seed shorthand matches several source tables',
    (p) => `seed \`${p.seed}\` matches several source tables (${p.matches.join(', ')}); write \`into: <source>.<table>\``,
  ),
  'missing-file': defineCode<{ file: string }>('a seed file that does not exist', (p) => `seed file \`${p.file}\` does not exist`),
  'invalid-key': defineCode<{ column: string }>(
    'a key column declared `required: false`',
    (p) => `key column \`${p.column}\` cannot be \`required: false\`; key columns are always required`,
  ),
  'invalid-link': defineCode<{ problem: 'not-key'; column: string; key: Names } | { problem: 'empty' } | { problem: 'no-link'; filter: string }>(
    '`links_to.on` uses a non-key column, or a `source.<col>` row filter without a link',
    (p) => {
      switch (p.problem) {
        case 'not-key':
          return `\`links_to.on\` column \`${p.column}\` must be a key column of the input (key: ${listNames(p.key)})`;
        case 'empty':
          return '`links_to.on` must map at least one key column to a source column';
        case 'no-link':
          return `row filter \`${p.filter}\` uses a source column, but this input has no valid \`links_to\``;
      }
    },
  ),
  'invalid-planning': defineCode<
    | { problem: 'no-link' }
    | { problem: 'across-not-key'; column: string; key: Names }
    | { problem: 'key-not-planned'; column: string; across: string }
    | { problem: 'value-not-numeric'; column: string; kind: string }
    | { problem: 'value-is-key'; column: string }
    | { problem: 'pivot-needs-value' }
    | { problem: 'across-value'; value: string; column: string; detail: string }
    | { problem: 'duplicate-across-value'; value: string }
    | { problem: 'context-on-not-key'; column: string; across: string }
  >('`planning:` that cannot make template rows (no link, a key column left out, a non-numeric value column, …)', (p) => {
    switch (p.problem) {
      case 'no-link':
        return '`planning.rows: links_to` needs a valid `links_to` on this input';
      case 'across-not-key':
        return `\`planning.across.column\` \`${p.column}\` must be a key column of the input (key: ${listNames(p.key)})`;
      case 'key-not-planned':
        return `key column \`${p.column}\` is neither in \`links_to.on\` nor \`planning.across.column\` (\`${p.across}\`), so template rows would have no value for it`;
      case 'value-not-numeric':
        return `\`planning.value\` \`${p.column}\` must be an integer, number or decimal column, found ${p.kind}`;
      case 'value-is-key':
        return `\`planning.value\` \`${p.column}\` is a key column; name the input column planners type`;
      case 'pivot-needs-value':
        return '`layout: pivot` needs `planning.value`: the numeric input column shown in each cell';
      case 'across-value':
        return `\`${p.value}\` is not a valid \`${p.column}\`: ${p.detail}`;
      case 'duplicate-across-value':
        return `\`${p.value}\` is listed twice in \`planning.across.values\``;
      case 'context-on-not-key':
        return `\`planning.context.on\` column \`${p.column}\` must be a key column other than \`${p.across}\` (the across column is matched by \`context.across\`)`;
    }
  }),
  'unknown-role': defineCode<{ role: string; declared: Names }>(
    'permissions (or a transition, action, approval or scenario rule) for a role not declared in project.yml',
    (p) => `role \`${p.role}\` is not declared under \`roles:\` in project.yml; roles: ${listNames(p.declared)}`,
  ),
  'unknown-attribute': defineCode<{ role: string; attribute: string; attributes: Names }>(
    'a row filter uses a user attribute the role does not declare',
    (p) => `role \`${p.role}\` has no user attribute \`${p.attribute}\`; its attributes: ${listNames(p.attributes)}`,
    (p) => `declare it in project.yml: roles.${p.role}.attributes`,
  ),
  'invalid-auth': defineCode<
    | { problem: 'sign-in-mode'; target: string; found: 'neither' | 'both' }
    | { problem: 'jwks'; target: string; found: 'neither' | 'both' }
    | { problem: 'setting'; setting: string; detail: string }
    | { problem: 'duration'; setting: string; found: string; format: string }
    | { problem: 'scopes'; setting: string }
    | { problem: 'header'; setting: string; found: string }
    | { problem: 'jwks-file'; setting: string; found: string }
    | { problem: 'attribute'; target: string; attribute: string; attributes: Names }
  >('a `targets.<t>.auth` setting that cannot work (sign-in mode, URL, algorithm, duration, claim mapping)', (p) => {
    switch (p.problem) {
      case 'sign-in-mode':
        return `\`targets.${p.target}.auth\` needs exactly one sign-in mode, \`oidc\` or \`proxy\` (found ${p.found})`;
      case 'jwks':
        return `\`targets.${p.target}.auth.proxy\` needs exactly one of \`jwks_url\` or \`jwks_file\` (found ${p.found})`;
      case 'setting':
        return `\`${p.setting}\`: ${p.detail}`;
      case 'duration':
        return `\`${p.setting}\` must be a duration greater than zero and at most ten years: ${p.format}; found \`${p.found}\``;
      case 'scopes':
        return `\`${p.setting}\` must include \`openid\` (without it the identity provider sends no id token)`;
      case 'header':
        return `\`${p.setting}\` must be an HTTP header name (letters, digits and -), found \`${p.found}\``;
      case 'jwks-file':
        return `\`${p.setting}\` must be a relative path inside the project directory, found \`${p.found}\``;
      case 'attribute':
        return `\`targets.${p.target}.auth.claims.attributes.${p.attribute}\`: no role declares the user attribute \`${p.attribute}\`; declared attributes: ${listNames(p.attributes)}`;
    }
  }, (p) => (p.problem === 'attribute' ? `declare it in project.yml under roles.<role>.attributes, or remove it from auth.claims.attributes` : undefined)),
  'invalid-postgres-endpoint': defineCode<
    | { problem: 'target-type'; target: string; type: string }
    | { problem: 'duration'; setting: string; found: string; format: string }
    | { problem: 'needs-tls'; target: string; host: string }
    | { problem: 'size'; setting: string; found: string; format: string }
  >('a `targets.<t>.postgres_endpoint` that cannot work (not a DuckDB target, a bad duration, a non-loopback address without TLS)', (p) => {
    switch (p.problem) {
      case 'target-type':
        return `\`targets.${p.target}.postgres_endpoint\` is for DuckDB targets only: BI tools connect to the ${p.type} warehouse itself`;
      case 'duration':
        return `\`${p.setting}\` must be a duration greater than zero: ${p.format}; found \`${p.found}\``;
      case 'needs-tls':
        return `\`targets.${p.target}.postgres_endpoint.host\` ${p.host} is not a loopback address, so the endpoint needs \`tls: { cert_file, key_file }\`: clients send their API token as a cleartext password`;
      case 'size':
        return `\`${p.setting}\` must be a size of at least 64MB: ${p.format}; found \`${p.found}\``;
    }
  }, (p) => (p.problem === 'needs-tls' ? 'add tls, or bind 127.0.0.1 and reach it through an SSH tunnel or a TLS-terminating proxy' : undefined)),
  'missing-values': defineCode<{ column: string; empty: boolean }>('an enum without values', (p) =>
    p.empty ? `enum column \`${p.column}\` has an empty \`values\` list` : `enum column \`${p.column}\` needs \`values: [..]\``,
  ),
  'rule-not-applicable': defineCode<
    { rule: keyof typeof RULE_TYPES; kind: string } | { rule: 'values-source'; kind: 'enum' } | { rule: 'transitions' | 'initial' | 'locked'; column: string; kind: string }
  >('a rule that does not apply to the column type (e.g. pattern on integer)', (p) => {
    switch (p.rule) {
      case 'values-source':
        return 'an enum needs a fixed list of `values`; use `type: string` with `values: { source, column }` for values from a source';
      case 'transitions':
      case 'initial':
      case 'locked':
        return `\`${p.rule}\` ${p.rule === 'transitions' ? 'apply' : 'applies'} only to enum columns; \`${p.column}\` is ${p.kind}`;
      default:
        return `\`${p.rule}\` does not apply to a ${p.kind} column (${RULE_TYPES[p.rule]})`;
    }
  }),
  'invalid-range': defineCode<{ min: string; max: string }>('min greater than max', (p) => `\`min\` (${p.min}) is greater than \`max\` (${p.max})`),
  'invalid-pattern': defineCode<{ problem: string }>(
    'a pattern that is not a valid regular expression',
    (p) => `\`pattern\` is not a valid regular expression: ${p.problem}`,
  ),
  'invalid-default': defineCode<{ problem: string } | { value: string; initial: Names }>('a default that breaks its own column rules (or is not an initial status)', (p) =>
    'initial' in p ? `default '${p.value}' is not one of the initial statuses ${listNames(p.initial)}` : `default ${p.problem}`,
  ),
  'invalid-model': defineCode<{ problem: 'two-bases' } | { problem: 'no-base'; kind: string }>('a structured model without (or with two) base relations', (p) =>
    p.problem === 'two-bases'
      ? 'a model reads from exactly one base relation: give `source` or `model`, not both'
      : `a ${p.kind} model needs a base relation: \`source: <source>.<table>\` or \`model: <model>\``,
  ),
  'missing-default-macro': defineCode<{ macro: string; dialects: Names }>(
    'warning: a macro with only dialect variants',
    (p) => `macro \`${p.macro}\` has only dialect variants (${p.dialects.join(', ')}); other targets cannot compile calls to it`,
    (p) => `add a default \`{% macro ${p.macro}(…) %}\``,
  ),
};
