import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigqueryParams } from '../../src/adapters/bigquery/bigquery-params.js';
import type { BigQueryParamType } from '../../src/adapters/bigquery/bigquery-client.js';
import { getDialect } from '../../src/dialects/registry.js';
import { PROJECTS, projectOn } from '../unit/dialects/remote-projects.js';
import { bulkStatements } from '../../src/adapters/bigquery/bigquery-bulk.js';
import { logColumns } from '../../src/managed/tables.js';
import { logTableName } from '../../src/managed/names.js';
import { Analyzer, analyzerMissing, Catalog, definedTable, type AnalyzerKind, type TypeProto } from './analyzer.js';
import { ANALYZER_GAPS, KNOWN_DEFECTS, type AnalyzerGap, type KnownDefect } from './analyzer-gaps.js';
import { collectStatements, distinct, type RecordedStatement } from './collect-statements.js';

// Every statement the library runs on BigQuery and Snowflake for the demo and both examples (apply,
// compile, the write path, workflow, reads; recorded on a mocked warehouse) is resolved by the
// vendor's own analyzer — GoogleSQL for BigQuery, its Snowflake variant for Snowflake — against a
// catalog of the project's tables and views (built from the DDL the project emits, so names and
// types are checked, not only syntax). BigQuery parameters are declared with the types the
// BigQuery adapter binds; Snowflake binds are untyped, so the analyzer infers them from their use.

const BIGQUERY_TYPE_KIND: Record<string, string> = { STRING: 'TYPE_STRING', INT64: 'TYPE_INT64', FLOAT64: 'TYPE_DOUBLE', BOOL: 'TYPE_BOOL', TIMESTAMP: 'TYPE_TIMESTAMP', NUMERIC: 'TYPE_NUMERIC' };

function declaredParams(kind: AnalyzerKind, s: RecordedStatement): Record<string, TypeProto> | undefined {
  if (kind !== 'bigquery') return undefined;
  const { types } = bigqueryParams(s.params, getDialect('bigquery'));
  return Object.fromEntries(Object.entries(types).map(([name, t]) => [name, typeProto(t)]));
}

/** The ZetaSQL type of a parameter type as the BigQuery adapter declares it: a scalar, or the bulk path's ARRAY<STRUCT<…>>. */
function typeProto(t: BigQueryParamType): TypeProto {
  const scalar = (name: string): TypeProto => ({ typeKind: BIGQUERY_TYPE_KIND[name] ?? `TYPE_${name}` });
  if (typeof t === 'string') return scalar(t);
  const field = Object.entries(t[0]).map(([fieldName, type]) => ({ fieldName, fieldType: scalar(type) }));
  return { typeKind: 'TYPE_ARRAY', arrayType: { elementType: { typeKind: 'TYPE_STRUCT', structType: { field } } } };
}

function prepared(kind: AnalyzerKind, sql: string, hit: Set<AnalyzerGap>): string {
  let out = sql;
  for (const g of ANALYZER_GAPS) {
    if (g.analyzer !== kind || !g.matches.test(out)) continue;
    hit.add(g);
    out = g.rewrite(out);
  }
  return out;
}

const ANALYZERS: AnalyzerKind[] = ['bigquery', 'snowflake'];
const CI = process.env.CI === 'true';

describe.each(ANALYZERS)('%s analyzer: every emitted statement resolves against the project catalog', (kind) => {
  const missing = analyzerMissing(kind);
  if (missing && !CI) {
    console.warn(`${kind} analyzer suite skipped: ${missing}`);
    it.skip(`skipped: ${missing}`, () => {});
    return;
  }
  if (missing) {
    it('the analyzer is installed (CI=true)', () => expect.fail(missing));
    return;
  }

  let analyzer: Analyzer;
  const hit = new Set<AnalyzerGap>();
  const known = new Map<KnownDefect, number>();
  const catalogs = new Map<string, Catalog>();
  beforeAll(async () => {
    analyzer = await Analyzer.start(kind);
  });
  afterAll(() => analyzer?.stop());

  for (const [project, dir] of Object.entries(PROJECTS)) {
    it(project, async () => {
      const { log } = await collectStatements(dir, kind);
      const statements = distinct(log).map((s) => ({ ...s, sql: prepared(kind, s.sql, hit) }));
      // the catalog: every table and view the statements create (a view may read one created after it in this list)
      const catalog = new Catalog();
      for (let pass = 0, grew = true; grew && pass < 5; pass++) {
        const before = catalog.size;
        for (const s of statements) {
          if (!/^\s*create\b/i.test(s.sql)) continue;
          const r = await analyzer.analyze(s.sql, catalog, declaredParams(kind, s));
          const table = r.ok ? definedTable(r.resolved) : undefined;
          if (table && !catalog.has(table.path)) catalog.set(table.path, table.columns);
        }
        grew = catalog.size > before;
      }
      catalogs.set(project, catalog);
      const failures: string[] = [];
      for (const s of statements) {
        const r = await analyzer.analyze(s.sql, catalog, declaredParams(kind, s));
        const defect = r.ok ? undefined : KNOWN_DEFECTS.find((k) => k.analyzer === kind && k.matches.test(s.sql));
        if (defect) known.set(defect, (known.get(defect) ?? 0) + 1);
        else if (!r.ok) failures.push(`${s.origin}: ${r.error}\n    ${s.sql.replace(/\s+/g, ' ').slice(0, 400)}`);
      }
      console.info(`${kind} analyzer, ${project}: ${statements.length} distinct statements, ${statements.length - failures.length} resolved, catalog of ${catalog.size} tables and views`);
      expect(failures.join('\n')).toBe('');
    });
  }

  it('refuses an unknown column, a value of the wrong type and an unquoted reserved word (the demo catalog)', async () => {
    const catalog = catalogs.get('demo');
    if (!catalog) return expect.fail('the demo was not analyzed');
    const q = kind === 'bigquery' ? (s: string) => `\`${s}\`` : (s: string) => `"${s.toUpperCase()}"`;
    const pending = `${q('writeback')}.${q('_wb_pending')}`;
    const refused = async (sql: string) => {
      const r = await analyzer.analyze(sql, catalog, kind === 'bigquery' ? {} : undefined);
      return r.ok ? 'resolved' : r.error;
    };
    expect(await refused(`select ${q('nope')} from ${pending}`)).toMatch(/Unrecognized name/);
    expect(await refused(`select ${q('rows')} from ${pending} where ${q('row_count')} = true`)).toMatch(/No matching signature|cannot be compared|type/i);
    expect(await refused(`select rows from ${pending}`)).toMatch(/Syntax error.*ROWS/i);
    expect(await refused(`select ${q('rows')} from ${pending}`)).toBe('resolved');
  });

  // the unnest(@rows) bulk path is BigQuery's (Snowflake's array-bound INSERT has the write path's shape)
  if (kind === 'bigquery') it("the bulk path's statements (insert … select … from unnest(@rows) into each input's log, NULLs included) resolve against the demo catalog", async () => {
    const catalog = catalogs.get('demo');
    if (!catalog) return expect.fail('the demo was not analyzed');
    const project = await projectOn(PROJECTS.demo!, 'bigquery');
    const dialect = getDialect('bigquery');
    const failures: string[] = [];
    for (const input of Object.values(project.inputs)) {
      const columns = logColumns(input).map((c) => ({ name: c.name, kind: 'varchar' as const, sqlType: dialect.columnType(c.type) }));
      const rows = { count: 2, value: () => null };
      for (const st of bulkStatements(dialect, { schema: project.schemas.inputs, table: logTableName(input.name) }, columns, rows)) {
        const params = Object.fromEntries(Object.entries(st.types).map(([name, t]) => [name, typeProto(t)]));
        const r = await analyzer.analyze(st.sql, catalog, params);
        if (!r.ok) failures.push(`${input.name}: ${r.error}\n    ${st.sql.slice(0, 400)}`);
      }
    }
    expect(failures.join('\n')).toBe('');
  });

  it('hits every gap and known defect listed for this analyzer', () => {
    expect(ANALYZER_GAPS.filter((g) => g.analyzer === kind && !hit.has(g)).map((g) => g.construct)).toEqual([]);
    expect(KNOWN_DEFECTS.filter((k) => k.analyzer === kind && !known.has(k)).map((k) => k.defect)).toEqual([]);
    for (const [k, n] of known) console.warn(`${kind} analyzer: KNOWN DEFECT, ${n} statement(s) not passed: ${k.defect}`);
  });
});
