import { describe, expect, it } from 'vitest';
import { at, diagnose } from './helpers.js';

const lc = (d: { code: string; loc?: { file: string; line: number; col: number } }) => `${d.code}@${d.loc?.file}:${d.loc?.line}:${d.loc?.col}`;

describe('model problems', () => {
  it('structured models: unknown-reference for source/input/model, unknown-column for columns and on', async () => {
    const a = 'kind: enrich\nsource: crm.acounts\ninputs:\n  - input: forcast\n    on: { account_id: id }\n';
    const b = 'kind: override\nmodel: nothing\ninput: forecast\non: { acount_id: id }\ncolumns: [amount, amout]\n';
    const diags = await diagnose({ 'models/a.yml': a, 'models/b.yml': b });
    expect(diags.map(lc)).toEqual([
      `unknown-reference@models/a.yml:${at(a, 'crm.acounts')}`,
      `unknown-reference@models/a.yml:${at(a, 'forcast')}`,
      `unknown-reference@models/b.yml:${at(b, 'nothing')}`,
      `unknown-column@models/b.yml:${at(b, 'acount_id')}`,
      `unknown-column@models/b.yml:${at(b, 'amout')}`,
    ]);
    expect(diags[1]?.message).toBe('unknown input `forcast`; declared: `forecast`');
    expect(diags[1]?.hint).toBe('did you mean `forecast`?');
    expect(diags[4]?.message).toBe('column `amout` is not a column of input `forecast`; columns: `account_id`, `quarter`, `amount`, `region`');
  });

  it('a bad kind, a missing kind and a missing relation', async () => {
    const diags = await diagnose({
      'models/a.yml': 'kind: merge\nsource: crm.accounts\n',
      'models/b.yml': 'source: crm.accounts\ninput: forecast\n',
      'models/c.yml': 'kind: append\ninput: forecast\n',
    });
    expect(diags.map(lc)).toEqual(['invalid-value@models/a.yml:1:7', 'missing-key@models/b.yml:1:1', 'invalid-model@models/c.yml:1:1']);
    expect(diags[0]?.message).toBe('`kind` must be one of `enrich`, `override`, `append`, `sql`, found the string "merge"');
  });

  it('template problems inside a sql: | block map to the exact file:line:col', async () => {
    const m = [
      'kind: sql',
      'sql: |',
      '  select *',
      "  from {{ ref('nope') }} a",
      "  join {{ source('crm', 'acounts') }} b on true",
      "  join {{ input('forecast') }} f on true",
      "  where {{ var('year') }} = {{ var('year', 2026) }} and {{ nomacro(1) }} = {{ fq('a', 'b', 'c') }}",
      "    and {{ fq() }} = {{ fq('x', suffix='y') }} and {{ ref(model) }} = {{ region }}",
      '',
    ].join('\n');
    const diags = await diagnose({ 'models/m.yml': m });
    expect(diags.map(lc)).toEqual([
      `unknown-reference@models/m.yml:${at(m, "ref('nope')")}`,
      `unknown-reference@models/m.yml:${at(m, 'source(')}`,
      `unknown-var@models/m.yml:${at(m, "var('year')")}`,
      `unknown-macro@models/m.yml:${at(m, 'nomacro')}`,
      `macro-args@models/m.yml:${at(m, "fq('a'")}`,
      `macro-args@models/m.yml:${at(m, 'fq()')}`,
      `macro-args@models/m.yml:${at(m, "fq('x'")}`,
      `invalid-call@models/m.yml:${at(m, 'ref(model)')}`,
      `unknown-param@models/m.yml:${at(m, 'region')}`,
    ]);
    expect(diags.find((d) => d.code === 'macro-args')?.message).toBe('macro `fq` takes at most 2 argument(s), got 3');
    expect(diags.find((d) => d.code === 'macro-args')?.hint).toBe('signature: fq(col, prefix="Q")');
    expect(diags.find((d) => d.code === 'unknown-macro')?.message).toBe('unknown macro `nomacro` in model `m`; macros: `fq`');
  });

  it('template-syntax errors carry the position of the bad token', async () => {
    const m = "kind: sql\nsql: |\n  select 1\n  from {{ ref('x' }}\n  where {% if x %}\n";
    const diags = await diagnose({ 'models/m.yml': m });
    expect(diags.map(lc)).toEqual([`template-syntax@models/m.yml:${at(m, '}}')}`, `template-syntax@models/m.yml:${at(m, '{%')}`]);
    expect(diags[0]?.message).toBe('expected `,` or `)`, found `}}`');
  });

  it('templates in a quoted one-line sql and in models/*.sql files', async () => {
    const y = "kind: sql\nsql: \"select * from {{ ref('gone') }}\"\n";
    const s = "-- a model as a .sql file\nselect *\nfrom {{ input('nope') }}\n";
    const diags = await diagnose({ 'models/y.yml': y, 'models/s.sql': s });
    expect(diags.map(lc)).toEqual([`unknown-reference@models/s.sql:${at(s, 'input(')}`, `unknown-reference@models/y.yml:${at(y, 'ref(')}`]);
  });

  it('macro problems: template-syntax, unknown-param, unknown-macro inside a macro, macro-cycle, duplicate-name', async () => {
    const mac = [
      '{% macro a(x) %}{{ b(x) }}{% endmacro %}',
      '{% macro b(y) %}{{ a(y) }} + {{ z }}{% endmacro %}',
      '{% macro c() %}{{ missing() }}{% endmacro %}',
      '{% macro fq(col) %}{{ col }}{% endmacro %}',
      'stray text',
      '',
    ].join('\n');
    const diags = await diagnose({ 'macros/zz_more.sql': mac });
    expect(diags.map(lc)).toEqual([
      `macro-cycle@macros/zz_more.sql:${at(mac, 'a(y)')}`,
      `unknown-param@macros/zz_more.sql:${at(mac, 'z }}')}`,
      `unknown-macro@macros/zz_more.sql:${at(mac, 'missing')}`,
      `duplicate-name@macros/zz_more.sql:${at(mac, 'fq(col)')}`,
      `template-syntax@macros/zz_more.sql:${at(mac, 'stray')}`,
    ]);
    expect(diags[0]?.message).toBe('macros call each other in a cycle: a -> b -> a');
    expect(diags[1]?.message).toBe('`z` is not a parameter of macro `b`; parameters: `y`');
    expect(diags[3]?.message).toBe('macro `fq` is already defined at macros/util.sql:1:10');
  });

  it('model-cycle prints the cycle and is located at the reference that closes it', async () => {
    const a = "kind: sql\nsql: select * from {{ ref('c') }}\n";
    const b = 'kind: enrich\nmodel: a\ninputs: [{ input: forecast, on: { account_id: id } }]\n';
    const c = "kind: sql\nsql: |\n  select * from {{ ref('b') }}\n";
    const diags = await diagnose({ 'models/a.yml': a, 'models/b.yml': b, 'models/c.yml': c });
    expect(diags.map(lc)).toEqual([`model-cycle@models/b.yml:${at(b, 'a\n')}`]);
    expect(diags[0]?.message).toBe('models depend on each other in a cycle: a -> c -> b -> a');
  });

  it('a model referencing a broken model is not reported again', async () => {
    const diags = await diagnose({ 'models/a.yml': 'kind: sql\nsqll: select 1\n', 'models/b.yml': "kind: sql\nsql: select * from {{ ref('a') }}\n" });
    expect(diags.map((d) => d.code)).toEqual(['missing-key', 'unknown-key']);
  });
});

describe('file-level problems', () => {
  it('empty input/model files, model files needing names, bad .sql model file names', async () => {
    const diags = await diagnose({
      'inputs/empty.yml': '',
      'models/multi.yml': 'kind: sql\nsql: select 1\n---\nname: two\nkind: sql\nsql: select 2\n',
      'models/Bad-Name.sql': 'select 1\n',
    });
    expect(diags.map(lc)).toEqual(['empty-file@inputs/empty.yml:1:1', 'invalid-name@models/Bad-Name.sql:1:1', 'missing-key@models/multi.yml:1:1']);
  });

  it('hostile names in references are shown escaped and never break the message', async () => {
    const diags = await diagnose({ 'models/m.yml': "kind: sql\nsql: select * from {{ ref('a\"; drop table x; --') }}\n" });
    expect(diags.map((d) => [d.code, d.message])).toEqual([['unknown-reference', 'unknown model `a\\"; drop table x; --`; declared: `m`']]);
  });
});
