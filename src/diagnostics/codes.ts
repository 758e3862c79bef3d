/**
 * Every diagnostic code the loader (load → validate → resolve) can produce, with what it means.
 * Codes are stable: tests and `--json` consumers rely on them.
 */
export const LOAD_DIAGNOSTIC_CODES = {
  'no-project': 'no project.yml (or project.yaml) in the project directory',
  'unreadable-file': 'a project file could not be read',
  'empty-file': 'an input or model file without any content',
  'yaml-syntax': 'a YAML syntax error',
  'duplicate-key': 'the same key twice in one YAML mapping',
  'multiple-documents': 'project.yml holds more than one YAML document',
  'unknown-key': 'a key the schema does not allow (with the allowed keys and a "did you mean")',
  'missing-key': 'a required key is missing',
  'invalid-value': 'a value of the wrong type or shape',
  'invalid-name': 'a name breaks the name rules (^[a-z][a-z0-9_]*$, ≤ 63 chars, no leading `_`, no `__`)',
  'invalid-path': 'a seed file path outside the project directory',
  'duplicate-name': 'an input, model, macro or table declared twice',
  'unknown-target': 'default_target or a per-target setting names an undeclared target',
  'missing-default-target': 'several targets but no default_target',
  'unknown-type': 'an unknown column type, or a bad decimal(p,s)',
  'unknown-column': 'a key, link, row filter or model column that the input does not declare',
  'unknown-source': 'a link, allowed-values source or seed target that is not a declared source table',
  'ambiguous-seed': 'a seed shorthand matches several source tables',
  'missing-file': 'a seed file that does not exist',
  'invalid-key': 'a key column declared `required: false`',
  'invalid-link': '`links_to.on` uses a non-key column, or a `source.<col>` row filter without a link',
  'unknown-role': 'permissions for a role not declared in project.yml',
  'unknown-attribute': 'a row filter uses a user attribute the role does not declare',
  'missing-values': 'an enum without values',
  'rule-not-applicable': 'a rule that does not apply to the column type (e.g. pattern on integer)',
  'invalid-range': 'min greater than max',
  'invalid-pattern': 'a pattern that is not a valid regular expression',
  'invalid-default': 'a default that breaks its own column rules',
  'invalid-model': 'a structured model without (or with two) base relations',
  'unknown-reference': 'a model references an unknown model, input or source table',
  'model-cycle': 'models depend on each other in a cycle (the message prints it)',
  'template-syntax': 'a syntax error in a SQL template or macros file',
  'invalid-call': 'ref/source/input/var called with the wrong arguments',
  'unknown-macro': 'a call to a macro that is not defined',
  'macro-args': 'a macro called with the wrong number or names of arguments',
  'macro-cycle': 'macros call each other in a cycle',
  'unknown-param': 'a bare name that is not a parameter of the enclosing macro',
  'unknown-var': 'var() of an undeclared var without a default',
  'missing-default-macro': 'warning: a macro with only dialect variants',
} as const;

/** A diagnostic code of the loader. */
export type LoadDiagnosticCode = keyof typeof LOAD_DIAGNOSTIC_CODES;
