import type { Adapter, Row, SqlValue, TableInfo } from '../../src/adapters/adapter.js';

/** Statement counts seen by a {@link CountingAdapter}. */
export interface StatementCounts {
  statements: number;
  /** Calls into the warehouse (a script of many statements is one). */
  calls: number;
  ddl: number;
  ddlSql: string[];
}

const DDL = /^\s*(create|alter|drop|comment|rename|truncate)\b/i;

/** Wraps an adapter and counts every statement it runs (DDL separately), inside transactions too. */
export class CountingAdapter implements Adapter {
  readonly counts: StatementCounts = { statements: 0, calls: 0, ddl: 0, ddlSql: [] };

  constructor(private readonly inner: Adapter) {}

  get dialect() {
    return this.inner.dialect;
  }

  private see(sql: string): void {
    this.counts.statements += 1;
    if (DDL.test(sql)) {
      this.counts.ddl += 1;
      this.counts.ddlSql.push(sql.slice(0, 120));
    }
  }

  query<T extends Row = Row>(sql: string, params?: SqlValue[]): Promise<T[]> {
    this.counts.calls += 1;
    this.see(sql);
    return this.inner.query<T>(sql, params);
  }

  execute(sql: string, params?: SqlValue[]): Promise<number> {
    this.counts.calls += 1;
    this.see(sql);
    return this.inner.execute(sql, params);
  }

  /** Present when the wrapped adapter has it (so apply batches as it would); each statement of the script counts. */
  get executeScript(): ((statements: readonly string[]) => Promise<void>) | undefined {
    const inner = this.inner.executeScript?.bind(this.inner);
    if (!inner) return undefined;
    return (statements) => {
      this.counts.calls += 1;
      for (const sql of statements) this.see(sql);
      return inner(statements);
    };
  }

  // BEGIN/COMMIT/ROLLBACK are not counted (the statements inside the transaction are)
  begin(): Promise<void> {
    return this.inner.begin();
  }

  commit(): Promise<void> {
    return this.inner.commit();
  }

  rollback(): Promise<void> {
    return this.inner.rollback();
  }

  describeSchemas(schemas: string[]): Promise<TableInfo[]> {
    this.counts.statements += 1;
    this.counts.calls += 1;
    return this.inner.describeSchemas(schemas);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
