import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The embedding API is src/index.ts (dist/index.js in the package): every name it exports is
// documented where it is declared, and none of it is an internal of the managed objects.
const INDEX = resolve(import.meta.dirname, '../../src/index.ts');
const program = ts.createProgram([INDEX], {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  allowJs: true,
  strict: true,
  noEmit: true,
});
const checker = program.getTypeChecker();
const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!);
const declared = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);

describe("the package's entry point", () => {
  it('exports every name with a JSDoc comment', () => {
    expect(exported.length).toBeGreaterThan(30);
    const undocumented = exported.filter((s) => ts.displayPartsToString(declared(s).getDocumentationComment(checker)).trim() === '');
    expect(undocumented.map((s) => s.name)).toEqual([]);
  });

  it('exports no managed table or view names, SQL-name helpers or row-filter internals', () => {
    const internal = exported.filter((s) => /_TABLES?$|^sqlNames$|^SqlNames$|ViewName$|ViewSql$|^rowScope$|^RowScope$|^createWriteback$/.test(s.name));
    expect(internal.map((s) => s.name)).toEqual([]);
    const fromInternals = exported.filter((s) =>
      (declared(s).declarations ?? []).some((d) => /\/src\/(managed|emit\/(ddl|history-view)|auth\/row-filter)/.test(d.getSourceFile().fileName.replaceAll('\\', '/'))),
    );
    expect(fromInternals.map((s) => s.name)).toEqual([]);
  });
});
