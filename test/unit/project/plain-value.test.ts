import { describe, expect, it } from 'vitest';
import { LineCounter, parseAllDocuments } from 'yaml';
import { plainValue } from '../../../src/project/yaml-file.js';

/** The first document of `text`, parsed with the loader's options (parse-yaml.ts). */
function docOf(text: string) {
  const docs = parseAllDocuments(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: false, keepSourceTokens: true });
  if ('empty' in docs || !docs[0]) throw new Error('no document');
  return docs[0];
}

describe('plainValue', () => {
  // each case compared with the yaml package's own `doc.toJS()`: the direct walk and the fallbacks
  it.each([
    ['a project-shaped file', "name: in_1\nkey: [id, period]\ncolumns:\n  id: { type: string }\n  amount: { type: 'decimal(18,2)', min: 0, required: true }\n"],
    ['scalars of every core type', 'a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf: "q"\ng: 0x1F\nh: .inf\ni: -.NaN\nj: 1e3\nk: 0o17\n'],
    ['an empty value and an explicit key without value', 'a:\n? b\nc: 1\n'],
    ['non-string keys', '1: one\ntrue: yes\nnull: nothing\n1.0: float\n~: tilde\n'],
    ['a duplicate key (the last wins)', 'a: 1\nb: 2\na: 3\n'],
    ['a __proto__ key (an own property, not the prototype)', '__proto__: { polluted: true }\nx: 1\n'],
    ['nested sequences and mappings', 'a:\n  - [1, [2, 3]]\n  - { b: [c, { d: e }] }\n  - - x\n    - y\n'],
    ['block scalars', 'sql: |\n  select 1\n  from t\nnote: >\n  folded\n  text\n'],
    ['aliases (fallback)', 'base: &b { type: string }\ncol: *b\nlist: [*b, *b]\n'],
    ['a merge key (fallback)', 'base: &b { x: 1 }\ncol: { <<: *b, y: 2 }\n'],
    ['a merge key in YAML 1.1 (fallback)', '%YAML 1.1\n---\nbase: &b { x: 1 }\ncol:\n  <<: *b\n  y: 2\n'],
    ['YAML 1.1 sets, ordered maps and timestamps (fallback)', '%YAML 1.1\n---\ns: !!set { a, b }\no: !!omap [ { a: 1 }, { b: 2 } ]\nt: 2001-12-14t21:59:43.10-05:00\n'],
    ['a complex key (fallback)', '? [a, b]\n: value\n? { k: v }\n: other\n'],
    ['a pair inside a flow sequence (fallback)', 'a: [x: 1, y]\n'],
    ['a scalar document', 'just text\n'],
    ['a document with no content', '---\n# only a comment\n'],
    ['tagged scalars', 'a: !!str 123\nb: !!int "7"\nc: !custom value\n'],
  ])('%s: same as toJS()', (_, text) => {
    const doc = docOf(text);
    const expected = doc.toJS();
    const value = plainValue(doc);
    expect(value).toEqual(expected);
    expect(JSON.stringify(value)).toBe(JSON.stringify(expected));
    expect(Object.getPrototypeOf(value ?? {})).toBe(Object.getPrototypeOf(expected ?? {}));
  });

  it('keeps __proto__ as an own key and leaves the prototype alone', () => {
    const value = plainValue(docOf('__proto__: { polluted: true }\n')) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives an alias the same object as its anchor, as toJS does', () => {
    const value = plainValue(docOf('a: &x { k: 1 }\nb: *x\n')) as Record<string, unknown>;
    expect(value.b).toBe(value.a);
  });
});
