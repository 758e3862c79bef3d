import { describe, expect, it } from 'vitest';
import { at, codesAt, diagnose } from './helpers.js';

// Problems are located at the token they are about, whatever YAML style holds it.
describe('error positions', () => {
  it('a ref() inside a double-quoted sql: string (escapes, folded lines) is located at the ref', async () => {
    const m = 'name: q\nsql: "select \\"id\\",\\n  amount\n  from {{ ref(\'missing\') }}\\n  where 1 = 1"\n';
    expect(await codesAt({ 'models/q.yml': m })).toEqual([`unknown-reference@models/q.yml:${at(m, "ref('missing')")}`]);
  });

  it('a ref() inside a single-quoted and a folded sql: is located at the ref', async () => {
    const single = "name: s\nsql: 'select ''a''\n  from {{ ref(\"missing\") }}'\n";
    const folded = "name: f\nsql: >\n  select 1\n  from {{ ref('missing') }}\n";
    expect(await codesAt({ 'models/s.yml': single, 'models/f.yml': folded })).toEqual([
      `unknown-reference@models/f.yml:${at(folded, "ref('missing')")}`,
      `unknown-reference@models/s.yml:${at(single, 'ref("missing")')}`,
    ]);
  });

  it('a transition in object form is located at its `to` value', async () => {
    const input = [
      'key: [id]',
      'columns:',
      '  id: { type: string }',
      '  status:',
      '    type: enum',
      '    values: [draft, approved]',
      '    transitions:',
      '      draft: [{ to: approvd, roles: [finance] }]',
      '      approved:',
      '        - { to: draf }',
      '',
    ].join('\n');
    expect(await codesAt({ 'inputs/st.yml': input })).toEqual([
      `invalid-value@inputs/st.yml:${at(input, 'approvd')}`,
      `invalid-value@inputs/st.yml:${at(input, 'draf }')}`,
    ]);
  });

  it('an over-indented line is located on that line, at its key', async () => {
    const input = ['key: [id]', 'columns:', '  id: { type: string }', '  note:', '    type: text', '      max_length: 5', ''].join('\n');
    const top = 'key: [id]\n  columns: {}\n';
    expect(await codesAt({ 'inputs/note.yml': input, 'inputs/top.yml': top })).toEqual([
      `yaml-syntax@inputs/note.yml:${at(input, 'max_length')}`,
      `yaml-syntax@inputs/top.yml:${at(top, 'columns')}`,
    ]);
  });

  it('a multi-line key that is not an over-indented line keeps the parser\'s own message', async () => {
    const input = 'key: [ id\n  x: 1 ]\ncolumns: {}\n';
    const diags = await diagnose({ 'inputs/flow.yml': input });
    expect(diags.map((d) => [d.code, d.message])).toEqual([['yaml-syntax', 'Implicit keys of flow sequence pairs need to be on a single line']]);
  });

  it('a key out of line with the other keys of its mapping is located at the key, not at the line start', async () => {
    const input = ['key: [id]', 'columns:', '  id: { type: string }', '   note: { type: text }', ''].join('\n');
    expect(await codesAt({ 'inputs/note.yml': input })).toEqual([`yaml-syntax@inputs/note.yml:${at(input, 'note:')}`]);
  });
});
