import { describe, expect, it } from 'vitest';
import { codesAt, diagnose } from './helpers.js';

const input = (...lines: string[]) => ({ 'inputs/forecast.yml': `${lines.join('\n')}\n` });

describe('input file problems', () => {
  it('unknown-column for a key column that is not declared', async () => {
    const diags = await diagnose(input('key: [account_id, quater]', 'columns:', '  account_id: { type: string }', '  quarter: { type: string }'));
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual(['unknown-column@1:19']);
    expect(diags[0]?.hint).toBe('did you mean `quarter`?');
  });

  it('unknown-key inside a column, listing the column keys', async () => {
    const diags = await diagnose(input('key: id', 'columns:', '  id: { type: integer, mn: 0 }'));
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual(['unknown-key@3:24']);
    expect(diags[0]?.message).toBe(
      'unknown key `mn` in `columns.id`; allowed keys: `type`, `description`, `required`, `default`, `min`, `max`, `pattern`, `max_length`, `values`, `transitions`, `initial`, `locked`',
    );
    expect(diags[0]?.hint).toBe('did you mean `min`?');
  });

  it('unknown-type, missing-values, rule-not-applicable, invalid-range, invalid-pattern', async () => {
    expect(
      await codesAt(
        input(
          'key: id',
          'columns:',
          '  id: { type: integer, pattern: "^1" }',
          "  amount: { type: 'decimal(40,2)' }",
          '  level: { type: enum }',
          '  pct: { type: number, min: 10, max: 1 }',
          "  code: { type: string, pattern: '([a-z' }",
          '  flag: { type: boolean, max_length: 3 }',
          '  day: { type: date, min: 2026-13-01 }',
        ),
      ),
    ).toEqual([
      'rule-not-applicable@inputs/forecast.yml:3:24',
      'unknown-type@inputs/forecast.yml:4:19',
      'missing-values@inputs/forecast.yml:5:12',
      'invalid-range@inputs/forecast.yml:6:38',
      'invalid-pattern@inputs/forecast.yml:7:34',
      'rule-not-applicable@inputs/forecast.yml:8:26',
      'invalid-value@inputs/forecast.yml:9:27',
    ]);
  });

  it('invalid-default when a default breaks its own column rules', async () => {
    const diags = await diagnose(
      input(
        'key: id',
        'columns:',
        '  id: { type: integer }',
        '  level: { type: enum, values: [low, high], default: medium }',
        '  amount: { type: "decimal(5,2)", min: 0, default: -1 }',
        '  qty: { type: integer, default: 1.5 }',
        "  code: { type: string, pattern: '^[A-Z]+$', default: abc }",
        '  note: { type: text, max_length: 3, default: toolong }',
        '  when: { type: date, default: 2026-02-30 }',
        "  at: { type: timestamp, default: '2026-01-01' }",
        "  stamp: { type: timestamp, default: '2026-01-01T00:00:00.1234Z' }",
        '  label: { type: string, default: "x\\ud800y" }',
      ),
    );
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual([
      'invalid-default@4:54',
      'invalid-default@5:52',
      'invalid-default@6:34',
      'invalid-default@7:55',
      'invalid-default@8:47',
      'invalid-default@9:32',
      'invalid-default@10:35',
      'invalid-default@11:38',
      'invalid-default@12:35',
    ]);
    // the write path's own checker: a default validate accepts is one the write path accepts
    expect(diags[0]?.message).toBe("default 'medium' is not one of: low, high");
    expect(diags[6]?.message).toMatch(/^default expected an ISO 8601 timestamp with a time zone/);
    expect(diags[7]?.message).toMatch(/more than millisecond precision/);
    expect(diags[8]?.message).toMatch(/unpaired UTF-16 surrogate \(\\ud800\) at character 2/);
    expect(diags[1]?.message).toBe('default -1 is below the minimum 0');
  });

  it('invalid-key for an optional key column', async () => {
    expect(await codesAt(input('key: id', 'columns:', '  id: { type: integer, required: false }'))).toEqual(['invalid-key@inputs/forecast.yml:3:34']);
  });

  it('links: unknown-source, unknown-column, invalid-link (on must use key columns)', async () => {
    expect(await codesAt(input('key: id', 'links_to: { source: crm.acounts, on: { id: id } }', 'columns:', '  id: { type: string }'))).toEqual([
      'unknown-source@inputs/forecast.yml:2:21',
    ]);
    expect(await codesAt(input('key: id', 'links_to: { source: crm.accounts, on: { nme: id, note: x } }', 'columns:', '  id: { type: string }', '  note: { type: text }'))).toEqual([
      'unknown-column@inputs/forecast.yml:2:41',
      'invalid-link@inputs/forecast.yml:2:50',
    ]);
  });

  it('allowed values from an unknown source', async () => {
    expect(await codesAt(input('key: id', 'columns:', '  id: { type: string, values: { source: sales.categories, column: name } }'))).toEqual([
      'unknown-source@inputs/forecast.yml:3:41',
    ]);
  });

  it('permissions: unknown-role, unknown-column, unknown-attribute, invalid-link for source.<col> without a link', async () => {
    const diags = await diagnose(
      input(
        'key: id',
        'columns:',
        '  id: { type: string }',
        '  region: { type: string }',
        'permissions:',
        '  planer: { read: true }',
        '  planner: { row_filter: { regon: user.region, region: user.country, source.region: user.region } }',
      ),
    );
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual(['unknown-role@6:3', 'unknown-column@7:28', 'unknown-attribute@7:56', 'invalid-link@7:70']);
    expect(diags[0]?.hint).toBe('did you mean `planner`?');
    expect(diags[2]?.message).toBe('role `planner` has no user attribute `country`; its attributes: `region`');
  });

  it('rule-not-applicable for a row filter on a number or timestamp column (their text differs between the warehouse and the write path)', async () => {
    const diags = await diagnose(
      input('key: id', 'columns:', '  id: { type: string }', '  at: { type: timestamp }', '  score: { type: number }', '  team: { type: integer }', 'permissions:', '  planner: { row_filter: { at: user.region, score: user.region, team: user.region } }'),
    );
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual(['rule-not-applicable@8:28', 'rule-not-applicable@8:45']);
    expect(diags[0]?.message).toMatch(/^`row_filter` does not apply to a timestamp column/);
  });

  it('duplicate-name across files points at the second and mentions the first', async () => {
    const diags = await diagnose({ 'inputs/zz_copy.yml': 'name: forecast\nkey: id\ncolumns:\n  id: { type: string }\n' });
    expect(diags.map((d) => `${d.code}@${d.loc?.file}:${d.loc?.line}:${d.loc?.col}`)).toEqual(['duplicate-name@inputs/zz_copy.yml:1:7']);
    expect(diags[0]?.message).toBe('input `forecast` is already declared at inputs/forecast.yml:1:1');
  });
});
