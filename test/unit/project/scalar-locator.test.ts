import { describe, expect, it } from 'vitest';
import { Reporter } from '../../../src/diagnostics/reporter.js';
import { scalarLocator } from '../../../src/project/scalar-locator.js';
import { parseYamlFile, resolvePath } from '../../../src/project/yaml-file.js';
import { at } from './helpers.js';

function locate(text: string, needle: string): string {
  const docs = parseYamlFile('m.yml', text, new Reporter());
  const yd = docs[0];
  if (!yd) throw new Error('no doc');
  const node = resolvePath(yd, ['sql']).node;
  const value = String(yd.doc.get('sql'));
  const loc = scalarLocator(yd, node)(value.indexOf(needle));
  return `${loc.line}:${loc.col}`;
}

describe('scalarLocator', () => {
  it.each([
    ['literal block', "sql: |\n  select 1\n  from {{ ref('x') }}\n"],
    ['strip chomping and deeper indent', "a: 1\nsql: |-\n      select 1\n\n      from {{ ref('x') }}\n"],
    ['leading blank line', "sql: |\n\n    select 1\n    from {{ ref('x') }}\n"],
    ['plain one-liner', "sql: select * from {{ ref('x') }}\n"],
    ['double-quoted one-liner', "sql: \"select * from {{ ref('x') }}\"\n"],
    ['single-quoted one-liner', "sql: 'select * from {{ ref(\"x\") }}'\n"],
  ])('maps offsets exactly for a %s', (_, text) => {
    expect(locate(text, 'ref(')).toBe(at(text, 'ref('));
  });

  it('falls back to the scalar start when the value does not match the source (escapes, folding)', () => {
    const text = 'sql: "select \\"a\\" {{ ref(\'x\') }}"\n';
    expect(locate(text, 'ref(')).toBe('1:6');
  });
});
