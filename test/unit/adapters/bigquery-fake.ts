import type { BigQueryClient, BigQueryParamType, BigQueryResult, BigQuerySessionOption } from '../../../src/adapters/bigquery/bigquery-client.js';
import type { TableInfo } from '../../../src/adapters/adapter.js';

/** One job as the fake received it. */
export interface FakeJob {
  sql: string;
  params: Record<string, unknown>;
  types: Record<string, BigQueryParamType>;
  /** The session it ran in (undefined: a plain job). */
  session: string | undefined;
  created: boolean;
}

interface FakeSession {
  running: number;
  ended: boolean;
  temp: Set<string>;
  inTransaction: boolean;
}

/**
 * BigQuery at the SDK boundary, as its documentation describes it: a job sent with
 * `createSession` opens a session and reports its id; a session runs one query at a time
 * (a second concurrent job fails); a session ended by BigQuery refuses jobs ("Session … has
 * expired"); temporary tables exist only in the session that created them. Tables are not
 * stored: selects answer no rows (INFORMATION_SCHEMA answers `tables`, a chain head the empty head), DML changes one row.
 */
export class FakeBigQuery implements BigQueryClient {
  readonly jobs: FakeJob[] = [];
  readonly sessions = new Map<string, FakeSession>();
  /** Jobs refused because another job of their session was running. */
  concurrent = 0;
  /** Statements to fail once, by a test. */
  failNext: ((job: FakeJob) => Error | undefined) | undefined;

  constructor(private readonly tables: () => TableInfo[] = () => []) {}

  async datasetExists(): Promise<boolean> {
    return true;
  }

  async query(sql: string, params: Record<string, unknown>, types: Record<string, BigQueryParamType>, option: BigQuerySessionOption): Promise<BigQueryResult> {
    let id = option.id;
    if (option.create) {
      id = `session-${this.sessions.size + 1}`;
      this.sessions.set(id, { running: 0, ended: false, temp: new Set(), inTransaction: false });
    }
    const job: FakeJob = { sql, params, types, session: id, created: option.create };
    this.jobs.push(job);
    const s = id === undefined ? undefined : this.sessions.get(id);
    if (id !== undefined && !s) throw new Error(`Session ${id} was not found`);
    if (s?.ended) throw Object.assign(new Error(`Session ${id} has expired and is no longer available.`), { code: 400, errors: [{ reason: 'invalidQuery' }] });
    if (s && s.running > 0) {
      this.concurrent++;
      throw new Error(`Cannot run concurrent queries in session ${id}`);
    }
    if (s) s.running++;
    try {
      // let other jobs start meanwhile, as a real job takes a while
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      const failure = this.failNext?.(job);
      if (failure) {
        this.failNext = undefined;
        throw failure;
      }
      return { ...this.run(sql, s), sessionId: option.create ? id : undefined };
    } finally {
      if (s) s.running--;
    }
  }

  private run(sql: string, s: FakeSession | undefined): { rows: Record<string, unknown>[]; affected: number | undefined } {
    if (/^call BQ\.ABORT_SESSION\(\)/i.test(sql)) {
      if (s) s.ended = true;
      return { rows: [], affected: undefined };
    }
    const created = /^create temporary table `([^`]+)`/i.exec(sql)?.[1];
    if (created) {
      if (!s) throw new Error('Use of CREATE TEMPORARY TABLE requires a script or session');
      s.temp.add(created);
      return { rows: [], affected: undefined };
    }
    const dropped = /^drop table if exists `([^`]+)`$/i.exec(sql)?.[1];
    if (dropped) {
      if (!s) throw new Error(`Table "${dropped}" must be qualified with a dataset (e.g. dataset.table).`);
      s.temp.delete(dropped);
      return { rows: [], affected: undefined };
    }
    // an unqualified name is a temporary table of the session
    for (const m of sql.matchAll(/(?<![.`])`([^`]+)`(?![.`])/g)) {
      const name = m[1]!;
      if (name.startsWith('_wb_keys_') && !s?.temp.has(name)) throw new Error(`Not found: Table ${name} was not found in location EU`);
    }
    if (/INFORMATION_SCHEMA\.COLUMNS/.test(sql)) {
      return {
        rows: this.tables().flatMap((t) => t.columns.map((c) => ({ table_name: t.name, table_type: t.kind === 'view' ? 'VIEW' : 'BASE TABLE', column_name: c.name, data_type: c.dataType }))),
        affected: undefined,
      };
    }
    // a table's chain head, as apply created it
    if (/^select \S+, \S+ from \S+__head\S*$/i.test(sql)) return { rows: [{ seq: 0, head: '' }], affected: undefined };
    if (/^(insert|update|delete|merge)\b/i.test(sql)) return { rows: [], affected: 1 };
    return { rows: [], affected: undefined };
  }

  /** End a session as BigQuery does after 24 h idle or 7 days. */
  expire(id: string): void {
    this.sessions.get(id)!.ended = true;
  }
}
