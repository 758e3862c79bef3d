import { describe, expect, it } from 'vitest';
import { parseMacroFile, parseTemplate, templateCalls, templateIdents } from '../../../src/emit/template.js';

describe('parseTemplate', () => {
  it('splits text and expressions with offsets', () => {
    const sql = "select {{ ref('m') }} from x";
    const { template, errors } = parseTemplate(sql);
    expect(errors).toEqual([]);
    expect(template.nodes).toEqual([
      { kind: 'text', text: 'select ', start: 0, end: 7 },
      {
        kind: 'expr',
        start: 7,
        end: 21,
        expr: { kind: 'call', name: 'ref', args: [{ kind: 'string', value: 'm', start: 14, end: 17 }], kwargs: [], start: 10, end: 18, nameStart: 10, nameEnd: 13 },
      },
      { kind: 'text', text: ' from x', start: 21, end: 28 },
    ]);
    expect(sql.slice(7, 21)).toBe("{{ ref('m') }}");
  });

  it('parses nested calls, numbers, keyword args, bare names and drops comments', () => {
    const { template, errors } = parseTemplate("{# note #}{{ fq(ref(\"m\"), -1.5, prefix='F\\'Q') }}{{ col }}");
    expect(errors).toEqual([]);
    expect(template.nodes.map((n) => n.kind)).toEqual(['expr', 'expr']);
    const calls = templateCalls(template);
    expect(calls.map((c) => c.name)).toEqual(['fq', 'ref']);
    expect(calls[0]?.args.map((a) => (a.kind === 'number' ? a.value : a.kind))).toEqual(['call', -1.5]);
    expect(calls[0]?.kwargs.map((k) => [k.name, k.value.kind === 'string' ? k.value.value : '?'])).toEqual([['prefix', "F'Q"]]);
    expect(templateIdents(template).map((i) => i.name)).toEqual(['col']);
  });

  it('keeps `{{` inside SQL string literals as template expressions (like Jinja)', () => {
    const { template } = parseTemplate("'-{{ prefix }}'");
    expect(template.nodes.map((n) => n.kind)).toEqual(['text', 'expr', 'text']);
  });

  it('shifts offsets by the given base', () => {
    const { template } = parseTemplate('{{ a }}', 100);
    expect(template.nodes[0]).toMatchObject({ start: 100, end: 107, expr: { start: 103, end: 104 } });
  });

  it.each([
    ["{{ ref('m' }}", 'expected `,` or `)`, found `}}`', 11],
    ['{{ }}', 'empty expression `{{ }}`', 0],
    ["{{ ref('m') ", 'unclosed expression: expected `}}`', 0],
    ['{{ a.b }}', 'unexpected character `.`', 4],
    ["{{ f('x) }}", 'unterminated string literal', 5],
    ['{{ f(a=1, 2) }}', 'a positional argument cannot follow a keyword argument', 10],
    ['{% if x %}', 'block tags `{% … %}` are only allowed as `{% macro %}` / `{% endmacro %}` in macros/*.sql', 0],
    ['{# open', 'unclosed comment: expected `#}`', 0],
  ])('reports %j as a syntax error at its offset', (text, message, start) => {
    const { errors } = parseTemplate(text);
    expect(errors.map((e) => [e.message, e.start])).toEqual([[message, start]]);
  });

  it('recovers after an error and keeps parsing', () => {
    const { template, errors } = parseTemplate("{{ bad( }} and {{ ref('ok') }}");
    expect(errors).toHaveLength(1);
    expect(templateCalls(template).map((c) => c.name)).toEqual(['ref']);
  });
});

describe('parseMacroFile', () => {
  const file = "-- helpers\n{% macro fq(col, prefix='Q', n=2, flag=true) %}\n  {{ col }}{{ prefix }}\n{% endmacro %}\n/* x */ {% macro snowflake__fq(col) %}x{% endmacro %}\n";

  it('reads macros, params with literal defaults and dialect variants, with offsets', () => {
    const { macros, errors } = parseMacroFile(file);
    expect(errors).toEqual([]);
    expect(macros.map((m) => [m.name, m.baseName, m.dialect, m.params.map((p) => [p.name, p.default])])).toEqual([
      ['fq', 'fq', undefined, [['col', undefined], ['prefix', 'Q'], ['n', 2], ['flag', true]]],
      ['snowflake__fq', 'fq', 'snowflake', [['col', undefined]]],
    ]);
    const fq = macros[0];
    expect(fq?.body).toBe('\n  {{ col }}{{ prefix }}\n');
    expect(file.slice(fq?.bodyStart ?? 0).startsWith(fq?.body ?? '?')).toBe(true);
    expect(file.slice(fq?.nameStart, fq?.nameEnd)).toBe('fq');
    const firstExpr = fq?.template.nodes.find((n) => n.kind === 'expr');
    expect(file.slice(firstExpr?.start, firstExpr?.end)).toBe('{{ col }}');
  });

  it('reports a missing endmacro, stray text, a stray endmacro and bad headers', () => {
    const text = "{% macro a() %}x\nselect 1\n";
    expect(parseMacroFile(text).errors.map((e) => e.message)).toEqual(['macro `a` has no `{% endmacro %}`']);
    expect(parseMacroFile('select 1\n').errors.map((e) => [e.message, e.start, e.end])).toEqual([['text outside a `{% macro %}` block', 0, 8]]);
    expect(parseMacroFile('{% endmacro %}').errors.map((e) => e.message)).toEqual(['`{% endmacro %}` without a matching `{% macro %}`']);
    expect(parseMacroFile("{% macro a(x='1', y) %}{% endmacro %}").errors.map((e) => e.message)).toEqual(['parameter `y` without a default follows one with a default']);
    expect(parseMacroFile('{% macro a(x %}{% endmacro %}').errors.map((e) => e.message)).toEqual(['expected `,` or `)`, found `%}`']);
  });
});
