import { defineCode, inMacros } from './code-spec.js';
import { listNames, showName } from './message-text.js';

type Names = readonly string[];
/** Macro names being expanded when a template problem was found, outermost first. */
type Stack = { stack?: Names };

/** How each built-in template function is called. */
const BUILTIN_USAGE = {
  ref: { count: 1, usage: "ref('model')" },
  source: { count: 2, usage: "source('source', 'table')" },
  input: { count: 1, usage: "input('input_table')" },
} as const;

/** Codes of models and macros: references (resolve), templates and rendering (emit). */
export const MODEL_CODES = {
  'unknown-reference': defineCode<{ what: 'model' | 'input' | 'source table'; name: string; declared: Names }>(
    'a model references an unknown model, input or source table',
    (p) => `unknown ${p.what} \`${showName(p.name)}\`; declared: ${listNames(p.declared)}`,
  ),
  'model-cycle': defineCode<{ cycle: Names }>(
    'models depend on each other in a cycle (the message prints it)',
    (p) => `models depend on each other in a cycle: ${p.cycle.join(' -> ')}`,
    () => 'a model cannot (even indirectly) select from itself; break the cycle by removing one of these references',
  ),
  'template-syntax': defineCode<{ problem: string; macro?: string }>(
    'a syntax error in a SQL template or macros file',
    (p) => (p.macro ? `macro '${p.macro}': ${p.problem}` : p.problem),
  ),
  'invalid-call': defineCode<{ call: keyof typeof BUILTIN_USAGE | 'var' }>('ref/source/input/var called with the wrong arguments', (p) => {
    if (p.call === 'var') return "`var()` takes a var name and an optional literal default: `var('name')` or `var('name', 0)`";
    const { count, usage } = BUILTIN_USAGE[p.call];
    return `\`${p.call}()\` takes ${count === 1 ? 'one string literal' : `${count} string literals`}: \`${usage}\``;
  }),
  'unknown-macro': defineCode<({ macro: string; in: string; macros: Names } | { macro: string; dialect?: string }) & Stack>(
    'a call to a macro that is not defined (or has no variant for the dialect and no default)',
    (p) => {
      if ('in' in p) return `unknown macro \`${p.macro}\` in ${p.in}; macros: ${listNames(p.macros)}`;
      const why = p.dialect ? `has no variant for ${p.dialect} and no default` : 'is not defined in macros/';
      return `macro '${p.macro}' ${why}${inMacros(p.stack)}`;
    },
  ),
  'macro-args': defineCode<{ macro: string; signature: string; max?: number; got?: number; unknown: Names; repeated: Names; missing: Names }>(
    'a macro called with the wrong number or names of arguments',
    (p) => {
      const problems: string[] = [];
      if (p.max !== undefined && p.got !== undefined) problems.push(`takes at most ${p.max} argument(s), got ${p.got}`);
      for (const k of p.unknown) problems.push(`has no parameter \`${k}\``);
      for (const k of p.repeated) problems.push(`got parameter \`${k}\` twice`);
      if (p.missing.length > 0) problems.push(`is missing required argument(s) ${listNames(p.missing)}`);
      return `macro \`${p.macro}\` ${problems.join('; ')}`;
    },
    (p) => `signature: ${p.signature}`,
  ),
  'macro-cycle': defineCode<{ cycle: Names }>('macros call each other in a cycle', (p) => `macros call each other in a cycle: ${p.cycle.join(' -> ')}`),
  'unknown-param': defineCode<{ name: string; in: string; params: Names } | { name: string; as: 'macro-argument' | 'model' }>(
    'a bare name that is not a parameter of the enclosing macro',
    (p) => {
      if ('in' in p) return `\`${p.name}\` is not a parameter of ${p.in}; parameters: ${listNames(p.params)}`;
      if (p.as === 'macro-argument') return `\`${p.name}\` is not a parameter here; pass SQL text as a string literal: '${p.name}'`;
      return `\`{{ ${p.name} }}\` is not allowed in a model: bare names are macro parameters; did you mean a call like \`${p.name}()\` or \`var('${p.name}')\`?`;
    },
  ),
  'unknown-var': defineCode<({ var: string; declared: Names } | { var: string; noDefault: true }) & Stack>(
    'var() of an undeclared var without a default',
    (p) =>
      'declared' in p
        ? `var \`${p.var}\` is not declared under \`vars:\` in project.yml; vars: ${listNames(p.declared)}`
        : `var '${p.var}' is not declared in project.yml \`vars\` and has no default${inMacros(p.stack)}`,
    (p) => ('declared' in p ? `declare it in project.yml or give a default: var('${p.var}', …)` : undefined),
  ),
  'unknown-name': defineCode<{ name: string } & Stack>(
    'a bare name in a template that is no macro parameter (found while rendering)',
    (p) => `unknown name '${p.name}' (only macro parameters may be used bare)${inMacros(p.stack)}`,
  ),
  'template-arguments': defineCode<
    (
      | { problem: 'count'; call: string; min: number; max: number }
      | { problem: 'too-many'; macro: string; max: number; got: number }
      | { problem: 'unknown-param' | 'repeated-param' | 'missing-param'; macro: string; param: string }
    ) &
      Stack
  >('a built-in or macro called with the wrong arguments (found while rendering)', (p) => {
    const text = (() => {
      switch (p.problem) {
        case 'count':
          return `${p.call}() takes ${p.min === p.max ? `${p.min}` : `${p.min} to ${p.max}`} positional argument(s)`;
        case 'too-many':
          return `macro '${p.macro}' takes at most ${p.max} argument(s), got ${p.got}`;
        case 'unknown-param':
          return `macro '${p.macro}' has no parameter '${p.param}'`;
        case 'repeated-param':
          return `macro '${p.macro}': parameter '${p.param}' is given twice`;
        case 'missing-param':
          return `macro '${p.macro}' needs argument '${p.param}'`;
      }
    })();
    return `${text}${inMacros(p.stack)}`;
  }),
  'macro-recursion': defineCode<{ macro: string; chain: Names } & Stack>(
    'a macro that calls itself while rendering (or nests too deep)',
    (p) => `macro '${p.macro}' calls itself (${p.chain.join(' → ')})${inMacros(p.stack)}`,
  ),
  'unknown-model': defineCode<{ model: string; ref: string }>(
    'a model refers to a model that is not declared (found while rendering)',
    (p) => `model '${p.model}' refers to model '${p.ref}', which is not declared`,
  ),
  'unknown-input': defineCode<{ model: string; input: string }>(
    'a model reads an input that is not declared (found while rendering)',
    (p) => `model '${p.model}' reads input '${p.input}', which is not declared`,
  ),
  'upstream-failed': defineCode<{ model: string; upstream: string }>(
    'a model refers to a model that could not be compiled',
    (p) => `model '${p.model}' refers to model '${p.upstream}', which could not be compiled`,
  ),
  'column-clash': defineCode<{ model: string; column: string; input: string; takenBy?: string }>(
    "an enrich model's chosen column clashes with a base column or another input's",
    (p) => `model '${p.model}': column '${p.column}' of input '${p.input}' clashes with a column of ${p.takenBy ? `input '${p.takenBy}'` : 'the base relation'}`,
    () => 'leave the column out of `columns`, or rename it in one place',
  ),
  'model-no-columns': defineCode<{ model: string; kind: string }>('an override or append model that lists no columns', (p) => `model '${p.model}' (${p.kind}) lists no columns`),
  'override-unsupported': defineCode<{ model: string; dialect: string }>(
    'an override model on a dialect without `select * exclude/replace` whose base columns are unknown',
    (p) => `model '${p.model}': the ${p.dialect} dialect has no \`select * exclude/replace\`, and the base relation's columns are unknown`,
    () => 'apply against the warehouse (its columns are described there), or write the model as kind: sql',
  ),
  'by-scenario-column': defineCode<{ model: string }>(
    "a SQL model names a `_scenario` column, which would clash with its `__by_scenario` view's own",
    (p) => `model '${p.model}': its SQL names a column _scenario, which would clash with the view's own _scenario column`,
    () => 'rename that column',
  ),
  'identifier-too-long': defineCode<{ owner: 'input' | 'model'; name: string; generated: string; bytes: number; dialect: string; max: number }>(
    'a name writeback derives from an input or model is longer than the dialect keeps',
    (p) => `${p.owner} '${p.name}': the generated name '${p.generated}' is ${p.bytes} bytes; ${p.dialect} keeps at most ${p.max}`,
    (p) => `shorten the name by ${p.bytes - p.max} characters`,
  ),
};
