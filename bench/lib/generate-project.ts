import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Write a generated project of `n` input tables and `n` merge models into `dir`: every input links
 * to one of 10 source tables; even models are `enrich` joins, odd ones are SQL models that `ref()`
 * the previous model, read an `input()` and call two macros. Returns the DDL that creates the
 * sources (run it on the warehouse before `apply`).
 */
export function generateProject(dir: string, n: number): { sourceDdl: string[] } {
  const sources = 10;
  mkdirSync(join(dir, 'inputs'), { recursive: true });
  mkdirSync(join(dir, 'models'), { recursive: true });
  mkdirSync(join(dir, 'macros'), { recursive: true });
  const tables = Array.from({ length: sources }, (_, i) => `t${i}`);
  writeFileSync(
    join(dir, 'project.yml'),
    [
      `name: scale_${n}`,
      'targets:',
      '  dev: { type: duckdb, path: target/warehouse.duckdb }',
      'schemas: { inputs: writeback, views: planning }',
      'sources:',
      '  src:',
      '    schema: src',
      `    tables: [${tables.join(', ')}]`,
      'vars: { year: 2026 }',
      'roles:',
      '  planner: { attributes: [region] }',
      '  finance: {}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'macros', 'helpers.sql'),
    [
      '{% macro safe_divide(a, b) %}',
      '  case when {{ b }} is null or {{ b }} = 0 then null else ({{ a }}) / ({{ b }}) end',
      '{% endmacro %}',
      '{% macro scaled(col, factor) %}',
      '  ({{ col }}) * {{ factor }}',
      '{% endmacro %}',
      '',
    ].join('\n'),
  );
  for (let i = 0; i < n; i++) {
    const src = tables[i % sources];
    writeFileSync(
      join(dir, 'inputs', `in_${i}.yml`),
      [
        `name: in_${i}`,
        `description: Generated input ${i}.`,
        'key: [id, period]',
        `links_to: { source: src.${src}, on: { id: id } }`,
        'columns:',
        '  id: { type: string }',
        "  period: { type: string, pattern: '^\\d{4}-Q[1-4]$' }",
        "  amount: { type: 'decimal(18,2)', min: 0, required: true }",
        '  confidence: { type: enum, values: [low, medium, high], default: medium }',
        '  note: { type: text, max_length: 500 }',
        'permissions:',
        '  planner: { read: true, write: true, row_filter: { source.region: user.region } }',
        '  finance: { read: true, write: true, delete: true }',
        '',
      ].join('\n'),
    );
    const model =
      i % 2 === 0
        ? [
            `name: m_${i}`,
            `description: Generated enrich model ${i}.`,
            'kind: enrich',
            `source: src.${src}`,
            'inputs:',
            `  - input: in_${i}`,
            '    on: { id: id }',
            '    columns: [period, amount, confidence]',
            '',
          ]
        : [
            `name: m_${i}`,
            `description: Generated SQL model ${i}.`,
            'kind: sql',
            'sql: |',
            `  select p.id, p.region, p.period, p.amount,`,
            `         {{ scaled('p.amount', 2) }} as doubled,`,
            `         {{ safe_divide('p.amount', 'f.amount') }} as ratio`,
            `  from {{ ref('m_${i - 1}') }} p`,
            `  left join {{ input('in_${i}') }} f on f.id = p.id and f.period = p.period`,
            `  where p.period like '{{ var('year') }}%'`,
            '',
          ];
    writeFileSync(join(dir, 'models', `m_${i}.yml`), model.join('\n'));
  }
  return {
    sourceDdl: [
      'create schema if not exists src',
      ...tables.map((t) => `create table if not exists src.${t} (id varchar primary key, name varchar, region varchar, segment varchar)`),
    ],
  };
}
