import type { Adapter, Row, SqlValue, TableInfo } from '../../src/adapters/adapter.js';
import type { Dialect } from '../../src/dialects/dialect.js';

/** One statement the library ran, with its bound values and the step that ran it. */
export interface RecordedStatement {
  origin: string;
  sql: string;
  params: SqlValue[];
}

/** A scripted answer: rows for the first query whose text matches. */
export interface Answer {
  matches: RegExp;
  rows: (sql: string, params: SqlValue[]) => Row[];
}

/**
 * A mocked warehouse: records every statement with its values and answers queries with the first
 * scripted answer that matches (else no rows); `execute` reports one affected row. `describeSchemas`
 * answers `tables` (empty: a fresh warehouse, so a plan creates everything).
 */
export class RecordingAdapter implements Adapter {
  readonly log: RecordedStatement[] = [];
  /** The step the next statements belong to (their `origin`). */
  step = '';
  answers: Answer[] = [];
  tables: TableInfo[] = [];

  constructor(readonly dialect: Dialect) {}

  async fork(): Promise<RecordingAdapter> {
    return this;
  }
  async query<T extends Row = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    this.log.push({ origin: this.step, sql, params });
    return (this.answers.find((a) => a.matches.test(sql))?.rows(sql, params) ?? []) as T[];
  }
  async execute(sql: string, params: SqlValue[] = []): Promise<number> {
    this.log.push({ origin: this.step, sql, params });
    return 1;
  }
  async begin(): Promise<void> {}
  async commit(): Promise<void> {}
  async rollback(): Promise<void> {}
  async describeSchemas(): Promise<TableInfo[]> {
    return this.tables;
  }
  /** No schema exists yet (the warehouses' adapters read their catalogs their own way). */
  async listSchemas(): Promise<Set<string>> {
    return new Set();
  }
  async viewDefinitions(): Promise<Map<string, string>> {
    return new Map();
  }
  async close(): Promise<void> {}
}
