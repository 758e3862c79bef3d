import { describe, expect, it } from 'vitest';
import { Reporter } from '../../../src/diagnostics/reporter.js';
import { locateOffset } from '../../../src/diagnostics/text-map.js';
import { scalarMap } from '../../../src/project/scalar-map.js';
import { parseYamlFile } from '../../../src/project/parse-yaml.js';
import { resolvePath } from '../../../src/project/yaml-file.js';
import { at } from './helpers.js';

/** `line:col` that scalarMap gives the first `needle` of the `sql:` value. */
function locate(text: string, needle: string): string {
  const report = new Reporter();
  const yd = parseYamlFile('m.yml', text, report)[0];
  if (!yd || report.hasErrors) throw new Error(`bad YAML: ${report.all.map((d) => d.message).join('; ')}`);
  const value = String(yd.doc.get('sql'));
  const i = value.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in ${JSON.stringify(value)}`);
  const loc = locateOffset(scalarMap(yd, resolvePath(yd, ['sql']).node), i);
  return `${loc.line}:${loc.col}`;
}

describe('scalarMap', () => {
  it.each([
    ['literal block', "sql: |\n  select 1\n  from {{ ref('x') }}\n"],
    ['strip chomping and deeper indent', "a: 1\nsql: |-\n      select 1\n\n      from {{ ref('x') }}\n"],
    ['leading blank line', "sql: |\n\n    select 1\n    from {{ ref('x') }}\n"],
    ['more-indented line in a literal block', "sql: |\n  select 1\n      , 2\n  from {{ ref('x') }}\n"],
    ['folded block', "sql: >\n  select 1\n  from {{ ref('x') }}\n\n  where 1 = 1\n"],
    ['plain one-liner', "sql: select * from {{ ref('x') }}\n"],
    ['plain over several lines', "sql: select *\n  from {{ ref('x') }}\n\n  where 1 = 1\n"],
    ['double-quoted one-liner', "sql: \"select * from {{ ref('x') }}\"\n"],
    ['double-quoted with escapes', 'sql: "select \\"a\\", \\u00e9 from {{ ref(\'x\') }}"\n'],
    ['double-quoted with \\n escapes', 'sql: "select *\\n  from {{ ref(\'x\') }}\\n  where 1 = 1"\n'],
    ['double-quoted over several lines', 'sql: "select *\n  from   \n  {{ ref(\'x\') }}\n\n  where 1 = 1"\n'],
    ['double-quoted with an escaped line break', 'sql: "select * \\\n    from {{ ref(\'x\') }}"\n'],
    ['single-quoted one-liner', "sql: 'select * from {{ ref(\"x\") }}'\n"],
    ['single-quoted with doubled quotes over lines', "sql: 'select ''a''\n  from {{ ref(\"x\") }}'\n"],
  ])('maps offsets exactly for a %s', (_, text) => {
    expect(locate(text, 'ref(')).toBe(at(text, 'ref('));
    expect(locate(text, 'from')).toBe(at(text, 'from'));
  });

  it('maps a character that stands for an escape to the escape', () => {
    const text = 'sql: "a\\tb"\n';
    expect(locate(text, '\t')).toBe(at(text, '\\t'));
  });

  it('maps every character of a non-string scalar to its start', () => {
    const report = new Reporter();
    const yd = parseYamlFile('m.yml', 'sql: 42\n', report)[0]!;
    expect(locateOffset(scalarMap(yd, resolvePath(yd, ['sql']).node), 1)).toMatchObject({ line: 1, col: 6 });
  });
});
