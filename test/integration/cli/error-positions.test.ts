import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';
import { at } from '../../unit/project/helpers.js';

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  params: Record<string, unknown>;
  loc?: { file: string; line: number; col: number };
  hint?: string;
}

/** The `--json` diagnostics of a failed command, as `code@file:line:col`, and the parsed list. */
function parseDiagnostics(stdout: string): { where: string[]; list: JsonDiagnostic[] } {
  const list = (JSON.parse(stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
  return { where: list.map((d) => `${d.code}@${d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}` : '-'}`), list };
}

// Each problem is reported where a user wrote it: file:line:col of the token, in `validate` and in
// `apply` (warehouse errors are located in the model, not only in the compiled SQL).
describe('error positions through the CLI', () => {
  let scaffold: string;
  beforeAll(async () => {
    scaffold = join(tempDir(), 'scaffold');
    expect((await runCli(['init', scaffold])).code).toBe(0);
  });

  /** A copy of the scaffolded project with `files` added. */
  function project(files: Record<string, string>): string {
    const dir = join(tempDir(), 'p');
    cpSync(scaffold, dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    return dir;
  }

  it('validate: a ref() inside a double-quoted sql: string, at the ref', async () => {
    const model = 'name: q\nsql: "select \\"id\\",\\n  name\\n  from {{ ref(\'missing\') }}\\n  where 1 = 1"\n';
    const dir = project({ 'models/q.yml': model });
    const json = await runCli(['validate', '--project', dir, '--json']);
    expect(json.code).toBe(1);
    const { where, list } = parseDiagnostics(json.stdout);
    expect(where).toEqual([`unknown-reference@models/q.yml:${at(model, "ref('missing')")}`]);
    expect(list[0]?.params).toEqual({ what: 'model', name: 'missing', declared: ['customers_enriched', 'q'] });
    const human = await runCli(['validate', '--project', dir]);
    expect(human.stderr).toContain(`models/q.yml:${at(model, "ref('missing')")}  unknown-reference  unknown model \`missing\``);
  });

  it('validate: a transition in object form, at its `to` value', async () => {
    const input = [
      'name: tickets',
      'key: [id]',
      'columns:',
      '  id: { type: string }',
      '  status:',
      '    type: enum',
      '    values: [draft, approved]',
      '    transitions:',
      '      draft:',
      '        - { to: approvd, roles: [editor] }',
      'permissions:',
      '  editor: { write: true }',
      '',
    ].join('\n');
    const json = await runCli(['validate', '--project', project({ 'inputs/tickets.yml': input }), '--json']);
    const { where, list } = parseDiagnostics(json.stdout);
    expect(where).toEqual([`invalid-value@inputs/tickets.yml:${at(input, 'approvd')}`]);
    expect(list[0]?.hint).toBe('did you mean `approved`?');
  });

  it('validate: an over-indented line, on that line', async () => {
    const input = ['name: notes2', 'key: [id]', 'columns:', '  id: { type: string }', '  note:', '    type: text', '      max_length: 5', ''].join('\n');
    const dir = project({ 'inputs/notes2.yml': input });
    const json = await runCli(['validate', '--project', dir, '--json']);
    expect(parseDiagnostics(json.stdout).where).toEqual([`yaml-syntax@inputs/notes2.yml:${at(input, 'max_length')}`]);
    const human = await runCli(['validate', '--project', dir]);
    expect(human.stderr).toMatch(/> 7 \|       max_length: 5\n\s+\|\s+\^{10}/);
  });

  it('apply: a column the warehouse does not know, at that column in the model, naming the statement it ran', async () => {
    const model = 'name: bad\ndescription: reads a column customers lacks\nsql: "select id,\\n  nope\\n  from {{ source(\'crm\', \'customers\') }}"\n';
    const dir = project({ 'models/bad.yml': model });
    const json = await runCli(['apply', '--project', dir, '--json']);
    expect(json.code).toBe(1);
    const { where, list } = parseDiagnostics(json.stdout);
    expect(where).toEqual([`apply-failed@models/bad.yml:${at(model, 'nope')}`]);
    const d = list[0];
    expect(d?.message).toMatch(/^create view analytics\.bad__v1 \(model bad, version 1\): Binder Error: Referenced column "nope" not found/);
    expect(d?.message).toContain('Nothing was changed');
    expect(d?.params).toMatchObject({ statementFile: 'target/run/duckdb/models/bad__v1.sql', line: 3, col: 3, rolledBack: true });
    // the statement the warehouse ran and named is in that file, at that line and column
    const statement = readFileSync(join(dir, 'target/run/duckdb/models/bad__v1.sql'), 'utf8').split('\n');
    expect(statement[0]).toBe('create or replace view "analytics"."bad__v1" as');
    expect(statement[2]?.slice(2)).toMatch(/^nope/);

    const human = await runCli(['apply', '--project', dir]);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain(`models/bad.yml:${at(model, 'nope')}  apply-failed`);
    expect(human.stderr).toContain('the statement the warehouse rejected is in target/run/duckdb/models/bad__v1.sql:3:3');
    // nothing was applied: a later plan still has every operation
    const plan = await runCli(['plan', '--project', dir, '--json']);
    expect((JSON.parse(plan.stdout) as { operations: { description: string }[] }).operations.map((o) => o.description)).toContain(
      'create view analytics.bad__v1 (model bad, version 1)',
    );
  });

  it('apply: a binder error in a block-literal SQL model that refs another model, at the line inside the block', async () => {
    const model = ['name: bad2', 'sql: |', '  select id,', '         also_nope', "  from {{ ref('customers_enriched') }}", ''].join('\n');
    const dir = project({ 'models/bad2.yml': model });
    const json = await runCli(['apply', '--project', dir, '--json']);
    const { where, list } = parseDiagnostics(json.stdout);
    expect(where).toEqual([`apply-failed@models/bad2.yml:${at(model, 'also_nope')}`]);
    expect(list[0]?.params).toMatchObject({ statementFile: 'target/run/duckdb/models/bad2__v1.sql', line: 3 });
    expect(existsSync(join(dir, 'target/run/duckdb/models/bad2__v1.sql'))).toBe(true);
  });
});
