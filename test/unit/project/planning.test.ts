import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/project/load-project.js';
import { at, BASE, codesAt, diagnose, writeProject } from './helpers.js';

/** The BASE forecast input with `planning` lines appended (and optionally other lines replaced). */
function forecast(planning: string[], opts: { link?: boolean; quarterPattern?: boolean } = {}): string {
  return [
    'key: [account_id, quarter]',
    ...(opts.link === false ? [] : ['links_to: { source: crm.accounts, on: { account_id: id } }']),
    'columns:',
    '  account_id: { type: string }',
    opts.quarterPattern === false ? '  quarter: { type: string }' : "  quarter: { type: string, pattern: '^\\d{4}-Q[1-4]$' }",
    '  amount: { type: number, min: 0 }',
    '  note: { type: text }',
    '  region: { type: string }',
    'permissions:',
    '  planner: { write: true, row_filter: { region: user.region } }',
    'planning:',
    ...planning.map((l) => `  ${l}`),
    '',
  ].join('\n');
}

const QUARTERS = "values: ['{{ var(\"fiscal_year\") }}-Q1', '{{ var(\"fiscal_year\") }}-Q2', '{{ var(\"fiscal_year\") }}-Q3', '{{ var(\"fiscal_year\") }}-Q4']";

describe('planning: in an input file', () => {
  it('loads into the IR with vars substituted, the layout, value and context', async () => {
    const dir = writeProject({
      ...BASE,
      'project.yml': BASE['project.yml']!.replace('tables: [accounts, categories]', 'tables: [accounts, categories, actuals]'),
      'inputs/forecast.yml': forecast([
        'rows: links_to',
        `across: { column: quarter, ${QUARTERS} }`,
        'layout: pivot',
        'value: amount',
        'label: name',
        'context: { source: crm.actuals, on: { account_id: account_id }, value: revenue, label: Actuals }',
      ]),
    });
    const r = await loadProject(dir);
    expect(r.ok ? [] : r.diagnostics.map((d) => d.message)).toEqual([]);
    if (!r.ok) return;
    expect(r.value.inputs.forecast?.planning).toEqual({
      rows: 'links_to',
      across: { column: 'quarter', values: ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'] },
      layout: 'pivot',
      value: 'amount',
      label: 'name',
      context: { source: 'crm', table: 'actuals', on: { account_id: 'account_id' }, across: 'quarter', value: 'revenue', label: 'Actuals' },
    });
  });

  it('layout defaults to table; a var default is used when the var is not declared', async () => {
    const r = await loadProject(writeProject({ ...BASE, 'inputs/forecast.yml': forecast(['rows: links_to', "across: { column: quarter, values: [\"{{ var('next_year', 2027) }}-Q1\"] }"]) }));
    expect(r.ok && r.value.inputs.forecast?.planning).toEqual({ rows: 'links_to', across: { column: 'quarter', values: ['2027-Q1'] }, layout: 'table' });
  });

  it('unknown columns at their file:line:col, with a did-you-mean', async () => {
    const text = forecast(['rows: links_to', 'across: { column: quater, values: [2026-Q1] }', 'value: amont', 'context: { source: crm.accounts, on: { acount_id: id }, value: revenue }']);
    const diags = await diagnose({ 'inputs/forecast.yml': text });
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual([
      `unknown-column@${at(text, 'quater')}`,
      `unknown-column@${at(text, 'amont')}`,
      `unknown-column@${at(text, 'acount_id')}`,
    ]);
    expect(diags[0]?.message).toBe('`planning.across.column` uses `quater`, which is not a column of this input');
    expect(diags[0]?.hint).toBe('did you mean `quarter`?');
  });

  it('across.column must be a key column; every other key column must be linked', async () => {
    const text = forecast(['rows: links_to', 'across: { column: note, values: [a] }']);
    const diags = await diagnose({ 'inputs/forecast.yml': text });
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual([`invalid-planning@${at(text, 'planning:')}`, `invalid-planning@${at(text, 'note, values')}`]);
    expect(diags[1]?.message).toBe('`planning.across.column` `note` must be a key column of the input (key: `account_id`, `quarter`)');
    expect(diags[0]?.message).toContain('key column `quarter` is neither in `links_to.on` nor `planning.across.column`');
  });

  it('value must be a numeric non-key column; pivot needs a value', async () => {
    const a = forecast(['rows: links_to', 'across: { column: quarter, values: [2026-Q1] }', 'value: note']);
    const da = await diagnose({ 'inputs/forecast.yml': a });
    expect(da.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual([`invalid-planning@${at(a, 'note', 2)}`]);
    expect(da[0]?.message).toBe('`planning.value` `note` must be an integer, number or decimal column, found text');
    const b = forecast(['rows: links_to', 'across: { column: quarter, values: [2026-Q1] }', 'value: quarter']);
    expect(await codesAt({ 'inputs/forecast.yml': b })).toEqual([`invalid-planning@inputs/forecast.yml:${at(b, 'quarter', 4)}`]);
    const c = forecast(['rows: links_to', 'across: { column: quarter, values: [2026-Q1] }', 'layout: pivot']);
    const dc = await diagnose({ 'inputs/forecast.yml': c });
    expect(dc.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual([`invalid-planning@${at(c, 'layout')}`]);
    expect(dc[0]?.message).toBe('`layout: pivot` needs `planning.value`: the numeric input column shown in each cell');
  });

  it('rows: links_to without links_to', async () => {
    const text = forecast(['rows: links_to', 'across: { column: quarter, values: [2026-Q1] }'], { link: false });
    const diags = await diagnose({ 'inputs/forecast.yml': text });
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual([`invalid-planning@${at(text, 'links_to', 1)}`]);
    expect(diags[0]?.message).toBe('`planning.rows: links_to` needs a valid `links_to` on this input');
  });

  it('across values: checked against the column rules, duplicates, unknown vars, other templates', async () => {
    const text = forecast(['rows: links_to', "across: { column: quarter, values: [2026-Q5, 2026-Q1, 2026-Q1, \"{{ var('fiscal_yr') }}-Q2\", \"{{ ref('x') }}\"] }"]);
    const diags = await diagnose({ 'inputs/forecast.yml': text });
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual([
      `invalid-planning@${at(text, '2026-Q5')}`,
      `invalid-planning@${at(text, '2026-Q1', 2)}`,
      `unknown-var@${at(text, '"{{ var')}`,
      `invalid-call@${at(text, '"{{ ref')}`,
    ]);
    expect(diags[0]?.message).toMatch(/^`2026-Q5` is not a valid `quarter`: /);
    expect(diags[1]?.message).toBe('`2026-Q1` is listed twice in `planning.across.values`');
    expect(diags[2]?.hint).toBe('did you mean `fiscal_year`?');
  });

  it('a context source that is not declared, a context on a non-key column, unknown keys', async () => {
    const text = forecast(['rows: links_to', 'across: { column: quarter, values: [2026-Q1] }', 'context: { source: finance.actuals, on: { note: account_id }, value: revenue }']);
    const diags = await diagnose({ 'inputs/forecast.yml': text });
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`).sort()).toEqual(
      [`unknown-source@${at(text, 'finance.actuals')}`, `invalid-planning@${at(text, 'note: account_id')}`].sort(),
    );
    expect(diags.find((d) => d.code === 'unknown-source')?.message).toContain('planning context from `finance.actuals`: source `finance` is not declared');
    const bad = forecast(['rows: links_to', 'across: { column: quarter, values: [2026-Q1] }', 'layout: grid', 'colour: red']);
    const db = await diagnose({ 'inputs/forecast.yml': bad });
    expect(db.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual([`invalid-value@${at(bad, 'grid')}`, `unknown-key@${at(bad, 'colour')}`]);
  });

  it('across values from a source column: in the IR as the source; an undeclared source or a bad reference at its file:line:col', async () => {
    const ok = await loadProject(writeProject({
      ...BASE,
      'project.yml': BASE['project.yml']!.replace('tables: [accounts, categories]', 'tables: [accounts, categories, quarters]'),
      'inputs/forecast.yml': forecast(['rows: links_to', 'across: { column: quarter, values: { source: crm.quarters, column: quarter } }']),
    }));
    expect(ok.ok ? [] : ok.diagnostics.map((d) => d.message)).toEqual([]);
    expect(ok.ok && ok.value.inputs.forecast?.planning?.across).toEqual({ column: 'quarter', values: [], source: { source: 'crm', table: 'quarters', column: 'quarter' } });
    const text = forecast(['rows: links_to', 'across: { column: quarter, values: { source: finance.quarters, column: quarter } }']);
    const diags = await diagnose({ 'inputs/forecast.yml': text });
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual([`unknown-source@${at(text, 'finance.quarters')}`]);
    expect(diags[0]?.message).toContain('across values from `finance.quarters`: source `finance` is not declared');
    const table = forecast(['rows: links_to', 'across: { column: quarter, values: { source: crm.quartres, column: quarter } }']);
    expect(await codesAt({ 'inputs/forecast.yml': table })).toEqual([`unknown-source@inputs/forecast.yml:${at(table, 'crm.quartres')}`]);
    const ref = forecast(['rows: links_to', 'across: { column: quarter, values: { source: quarters, column: quarter } }']);
    expect(await codesAt({ 'inputs/forecast.yml': ref })).toEqual([`invalid-value@inputs/forecast.yml:${at(ref, 'quarters, column')}`]);
    const extra = forecast(['rows: links_to', 'across: { column: quarter, values: { source: crm.accounts, column: quarter, where: x } }']);
    expect((await codesAt({ 'inputs/forecast.yml': extra })).map((c) => c.split('@')[0])).toEqual(['unknown-key']);
  });
});
