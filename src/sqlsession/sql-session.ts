import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { streamError, streamFailed } from '../adapters/duckdb/duckdb-stream-end.js';
import { parseExactJson, stringifyExactJson } from './exact-json.js';
import { INTERNAL_SCHEMA, type SessionCatalog } from './session-catalog.js';
import { READ_ONLY_SETTINGS, REPORTED_SETTINGS, sessionCommand, type SessionCommand } from './session-commands.js';
import { sqlErrorOf } from './sql-errors.js';
import { normalizePostgresSpellings, tokenize } from './sql-text.js';
import { rewriteStatement, type RelationResolver } from './statement-rewrite.js';
import { hasBinary, PG, pgBinary, pgText, pgTypeOf } from './pg-types.js';
import { SqlError, type PgType, type SqlColumn, type SqlDescription, type SqlOutcome, type SqlRunOptions, type SqlSession, type SqlSessionLimits } from './types.js';

const READ_ONLY_MESSAGE = "writeback's SQL endpoint is read-only; write through the API";

/** Milliseconds of a Postgres duration setting (`5000`, `5s`, `1min`, `250ms`); undefined when unreadable. */
function durationMs(value: string): number | undefined {
  const m = /^\s*'?(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?'?\s*$/i.exec(value);
  if (!m) return undefined;
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 1;
  return Number(m[1]) * factor;
}

/** What a prepared statement yields, as Postgres columns. */
function describePrepared(p: DuckDBPreparedStatement): SqlDescription {
  const columns: SqlColumn[] = [];
  for (let i = 0; i < p.columnCount; i++) columns.push({ name: p.columnName(i), type: knownType(() => pgTypeOf(p.columnType(i))) });
  const paramTypes: PgType[] = [];
  for (let i = 1; i <= p.parameterCount; i++) paramTypes.push(paramTypeOf(p, i));
  return { columns, paramTypes };
}

/** A column's type, or text where the engine leaves it open until values are bound (`select $1`). */
function knownType(typeOf: () => PgType): PgType {
  try {
    return typeOf();
  } catch {
    return PG.text;
  }
}

/** The Postgres type of a statement's parameter: the type the engine expects there (text where it leaves it open). */
function paramTypeOf(p: DuckDBPreparedStatement, index: number): PgType {
  return knownType(() => pgTypeOf(p.parameterType(index)));
}

/** A parameter sent in binary format, read as the type its ParameterDescription announced. */
function binaryParam(buf: Buffer, type: PgType): string {
  if (type.name === 'bool' && buf.length === 1) return buf[0] ? 'true' : 'false';
  if (type.name === 'int2' && buf.length === 2) return String(buf.readInt16BE());
  if (type.name === 'int4' && buf.length === 4) return String(buf.readInt32BE());
  if (type.name === 'int8' && buf.length === 8) return String(buf.readBigInt64BE());
  if (type.name === 'float4' && buf.length === 4) return String(buf.readFloatBE());
  if (type.name === 'float8' && buf.length === 8) return String(buf.readDoubleBE());
  return buf.toString('utf8');
}

/** A statement's parameters as text, as the client sent them or, sent in binary, read as the type the engine expects there. */
function textParams(prepared: DuckDBPreparedStatement, params: (string | Buffer | null)[]): (string | null)[] {
  return params.map((v, i) => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? binaryParam(v, paramTypeOf(prepared, i + 1)) : v));
}

/** A SQL session on a DuckDB connection whose session catalog is built (see open-sql-session.ts). */
export class DuckDBSqlSession implements SqlSession {
  private status: 'idle' | 'transaction' | 'error' = 'idle';
  /** A `run` is in progress (from its call to its answer). */
  private active = false;
  /** The engine is executing the statement (it can be interrupted). */
  private executing = false;
  /** A cancel arrived during the current `run`, before the engine started on it. */
  private cancelRequested = false;
  private interruptedBy: 'cancel' | 'timeout' | undefined;
  private closed = false;
  private readonly reset: ReadonlyMap<string, string>;
  /** Rewritten statements by search_path and text (clients re-run the same statements: prepared statements, dashboards). */
  private readonly rewrites = new Map<string, string>();

  constructor(
    private readonly con: DuckDBConnection,
    private readonly catalog: SessionCatalog,
    private readonly settings: Map<string, string>,
    private readonly limits: SqlSessionLimits,
    private readonly engineMacros: ReadonlySet<string>,
    private readonly pgCatalogNames: ReadonlySet<string>,
    private readonly infoSchemaNames: ReadonlySet<string>,
    readonly user: string,
    readonly database: string,
    /** Whether a data error's message leaves out the failing value (every session with a role). */
    private readonly redactValues: boolean,
  ) {
    this.reset = new Map(settings);
  }

  get transactionStatus(): 'idle' | 'transaction' | 'error' {
    return this.status;
  }

  /** The statements of a query string, in order (split at top-level semicolons; the engine checks each). */
  split(sql: string): string[] {
    const tokens = tokenize(sql);
    const parts: string[] = [];
    let start = 0;
    for (const t of tokens) {
      if (t.text !== ';') continue;
      parts.push(sql.slice(start, t.start));
      start = t.end;
    }
    parts.push(sql.slice(start));
    return parts.filter((p) => tokenize(p).length > 0);
  }

  async describe(sql: string): Promise<SqlDescription> {
    this.assertOpen();
    const command = sessionCommand(sql);
    if (command) return { columns: command.kind === 'show' ? this.showColumns(command.name) : [], paramTypes: [] };
    if (tokenize(sql).length === 0) return { columns: [], paramTypes: [] };
    const rewritten = await this.rewrite(sql);
    let prepared: DuckDBPreparedStatement | undefined;
    try {
      prepared = await this.con.prepare(rewritten);
      return describePrepared(prepared);
    } catch (err) {
      throw sqlErrorOf(err, this.catalog.name, this.redactValues);
    } finally {
      prepared?.destroySync();
    }
  }

  async run(sql: string, params: (string | Buffer | null)[], onRow: (row: (string | Buffer | null)[]) => void | Promise<void>, opts: SqlRunOptions = {}): Promise<SqlOutcome> {
    this.assertOpen();
    if (this.active) throw new SqlError('55000', 'another statement is running on this connection');
    const command = sessionCommand(sql);
    if (this.status === 'error' && command?.kind !== 'rollback' && command?.kind !== 'commit')
      throw new SqlError('25P02', 'current transaction is aborted, commands ignored until end of transaction block');
    this.active = true;
    this.cancelRequested = false;
    try {
      if (command) return await this.answer(command, onRow);
      if (tokenize(sql).length === 0) return { tag: '', columns: [] };
      return await this.select(sql, params, onRow, opts);
    } catch (err) {
      if (this.status === 'transaction') this.status = 'error';
      // whatever a cancelled statement failed with (an interrupt, a connection closed under it), it was cancelled
      if (this.cancelRequested && !(err instanceof SqlError && err.sqlstate === '57014')) throw new SqlError('57014', 'canceling statement due to user request');
      throw sqlErrorOf(err, this.catalog.name, this.redactValues);
    } finally {
      this.active = false;
    }
  }

  cancel(): void {
    if (!this.active) return;
    this.cancelRequested = true;
    if (!this.executing) return;
    this.interruptedBy = 'cancel';
    this.con.interrupt();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelRequested = true;
    if (this.executing) {
      this.interruptedBy = 'cancel';
      this.con.interrupt();
    }
    try {
      // DuckDB detaches only a database that is not the connection's own, and never USEs system or temp
      const home = (await this.con.runAndReadAll(`select database_name as d from duckdb_databases() where not internal and database_name <> $1 and database_name not like 'wb\\_s\\_%' escape '\\' order by database_oid limit 1`, [this.catalog.name])).getRowObjects()[0]?.d;
      await this.con.run(`use "${String(home).replace(/"/g, '""')}"`);
      await this.con.run(`detach "${this.catalog.name}"`);
    } catch {
      // the instance may be closing already; the in-memory catalog goes with it
    }
    this.con.closeSync();
  }

  private assertOpen(): void {
    if (this.closed) throw new SqlError('08003', 'the session is closed');
  }

  /** The resolver of the statement rewrite, with the current search_path. */
  private resolver(): RelationResolver {
    const relations = new Map<string, Map<string, { schema: string; name: string }>>();
    for (const r of this.catalog.relations) {
      const s = r.schema.toLowerCase();
      if (!relations.has(s)) relations.set(s, new Map());
      relations.get(s)!.set(r.name.toLowerCase(), { schema: r.schema, name: r.name });
    }
    const searchPath = (this.settings.get('search_path') ?? '')
      .split(',')
      .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
      .filter((s) => s !== '' && s !== '$user');
    return { catalog: this.catalog.name, database: this.database, relations, pgCatalog: this.pgCatalogNames, infoSchema: this.infoSchemaNames, searchPath };
  }

  /** The statement as the engine will run it: serialized by DuckDB (SELECT only), checked and rewritten, deserialized by DuckDB. */
  private async rewrite(sql: string): Promise<string> {
    const key = `${this.settings.get('search_path') ?? ''}\u0000${sql}`;
    const cached = this.rewrites.get(key);
    if (cached !== undefined) return cached;
    const rewritten = await this.rewriteUncached(sql);
    if (this.rewrites.size >= 256) this.rewrites.delete(this.rewrites.keys().next().value!);
    this.rewrites.set(key, rewritten);
    return rewritten;
  }

  private async rewriteUncached(sql: string): Promise<string> {
    if (this.split(sql).length > 1) throw new SqlError('42601', 'cannot insert multiple commands into a prepared statement', undefined, 'send one statement at a time');
    const normalized = normalizePostgresSpellings(sql);
    const serialized = await this.scalar('select json_serialize_sql($1::varchar) as j', [normalized]);
    const tree = parseExactJson(serialized) as { error?: boolean; error_type?: string; error_message?: string; statements?: unknown[] };
    if (tree.error) {
      if (/only select/i.test(tree.error_message ?? '')) throw new SqlError('25006', READ_ONLY_MESSAGE, undefined, 'read rows with SELECT; write rows through the HTTP API or the planner form');
      const command = /^\s*(declare|fetch|move|close)\b/i.exec(sql)?.[1];
      if (command) throw new SqlError('0A000', `${command.toUpperCase()}: cursors are not supported by writeback's SQL endpoint`, undefined, 'psql declares one when FETCH_COUNT is set: \\unset FETCH_COUNT');
      throw new SqlError('42601', (tree.error_message ?? 'syntax error').split('\n')[0]!.replace(/^Parser Error: /, ''));
    }
    const statements = tree.statements ?? [];
    if (statements.length !== 1) throw new SqlError('42601', statements.length === 0 ? 'empty query' : 'one statement at a time: send each statement on its own');
    const quoted = new Set(tokenize(normalized).flatMap((t) => (t.kind === 'quoted' ? [t.value] : [])));
    const rewritten = rewriteStatement(statements[0] as never, this.resolver(), this.engineMacros, quoted);
    const json = stringifyExactJson({ ...tree, statements: [rewritten] });
    return this.scalar('select json_deserialize_sql($1::json) as s', [json]);
  }

  private async scalar(sql: string, params: string[]): Promise<string> {
    const result = await this.con.runAndReadAll(sql, params);
    return String(result.getRowObjects()[0]![Object.keys(result.getRowObjects()[0]!)[0]!]);
  }

  private timeoutMs(): number {
    const set = durationMs(this.settings.get('statement_timeout') ?? '0') ?? 0;
    return set > 0 ? Math.min(set, this.limits.statementTimeoutMs) : this.limits.statementTimeoutMs;
  }

  private async select(sql: string, params: (string | Buffer | null)[], onRow: (row: (string | Buffer | null)[]) => void | Promise<void>, opts: SqlRunOptions): Promise<SqlOutcome> {
    const rewritten = await this.rewrite(sql);
    if (this.cancelRequested) throw new SqlError('57014', 'canceling statement due to user request');
    this.interruptedBy = undefined;
    this.executing = true;
    const timer = setTimeout(() => {
      this.interruptedBy = 'timeout';
      this.con.interrupt();
    }, this.timeoutMs());
    let prepared: DuckDBPreparedStatement | undefined;
    let began = false;
    try {
      prepared = await this.con.prepare(rewritten);
      if (params.length !== prepared.parameterCount) throw new SqlError('08P01', `the statement has ${prepared.parameterCount} parameters, ${params.length} values were sent`);
      for (const [i, v] of textParams(prepared, params).entries()) {
        if (v === null) prepared.bindNull(i + 1);
        else prepared.bindVarchar(i + 1, v);
      }
      await this.con.run('begin transaction');
      began = true;
      const result = await prepared.stream();
      const types = result.columnTypes();
      const columns = types.map((t, i) => ({ name: result.columnName(i), type: knownType(() => pgTypeOf(t)) }));
      const binary = columns.map((c, i) => opts.binaryColumns?.[i] === true && hasBinary(c.type));
      const limit = opts.maxRows !== undefined && opts.maxRows > 0 ? opts.maxRows : undefined;
      let count = 0;
      let cut = false;
      outer: for await (const rows of result.yieldRows()) {
        for (const row of rows) {
          if (limit !== undefined && count >= limit) {
            cut = true;
            break outer;
          }
          count++;
          if (count > this.limits.maxRows)
            throw new SqlError('54000', `the result has more than ${this.limits.maxRows.toLocaleString('en-US')} rows, the most one statement may return`, undefined, 'aggregate the rows, or add a LIMIT');
          await onRow(row.map((v, i) => (binary[i] ? pgBinary(v, columns[i]!.type, types[i]) : pgText(v, types[i]))));
        }
      }
      // an interrupted stream ends as a finished one would: the interruption decides (never part of the rows as the result)
      if (this.interruptedBy !== undefined) throw new SqlError('57014', 'canceling statement');
      // and so does one that failed: its rows so far are never the result either
      if (!cut && (await streamFailed(this.con))) {
        throw await streamError(this.con, rewritten, textParams(prepared, params), count);
      }
      return { tag: `SELECT ${count}`, columns };
    } catch (err) {
      if (this.interruptedBy === 'timeout') throw new SqlError('57014', 'canceling statement due to statement timeout');
      if (this.interruptedBy === 'cancel') throw new SqlError('57014', 'canceling statement due to user request');
      throw err;
    } finally {
      clearTimeout(timer);
      if (began) await this.con.run('rollback').catch(() => undefined);
      prepared?.destroySync();
      this.executing = false;
    }
  }

  private showColumns(name: string | undefined): SqlColumn[] {
    return name === undefined
      ? [
          { name: 'name', type: PG.text },
          { name: 'setting', type: PG.text },
          { name: 'description', type: PG.text },
        ]
      : [{ name, type: PG.text }];
  }

  private async storeSetting(name: string, value: string | undefined): Promise<void> {
    const table = `"${this.catalog.name}"."${INTERNAL_SCHEMA}"._settings`;
    if (value === undefined) {
      this.settings.delete(name);
      await this.con.run(`delete from ${table} where name = $1`, [name]);
    } else {
      this.settings.set(name, value);
      await this.con.run(`insert or replace into ${table} values ($1, $2)`, [name, value]);
    }
  }

  private async answer(command: SessionCommand, onRow: (row: (string | Buffer | null)[]) => void | Promise<void>): Promise<SqlOutcome> {
    switch (command.kind) {
      case 'begin':
        if (this.status === 'idle') this.status = 'transaction';
        return { tag: 'BEGIN', columns: [] };
      case 'commit': {
        const failed = this.status === 'error';
        this.status = 'idle';
        return { tag: failed ? 'ROLLBACK' : 'COMMIT', columns: [] };
      }
      case 'rollback':
        this.status = 'idle';
        return { tag: 'ROLLBACK', columns: [] };
      case 'discard':
        return { tag: 'DISCARD ALL', columns: [] };
      case 'deallocate':
        return { tag: 'DEALLOCATE', columns: [] };
      case 'set-transaction':
        return { tag: 'SET', columns: [] };
      case 'show': {
        const columns = this.showColumns(command.name);
        if (command.name === undefined) {
          for (const [k, v] of [...this.settings].sort()) await onRow([k, v, null]);
          return { tag: 'SHOW', columns };
        }
        const value = this.settings.get(command.name.toLowerCase());
        if (value === undefined) throw new SqlError('42704', `unrecognized configuration parameter "${command.name}"`);
        await onRow([value]);
        return { tag: 'SHOW', columns };
      }
      case 'set': {
        const name = command.name.toLowerCase();
        if (READ_ONLY_SETTINGS.has(name)) throw new SqlError('55P02', `parameter "${name}" cannot be changed`);
        if (!this.settings.has(name) && !this.reset.has(name) && !name.includes('.')) throw new SqlError('42704', `unrecognized configuration parameter "${command.name}"`);
        let value = command.value.replace(/^default$/i, this.reset.get(name) ?? '');
        if (name === 'statement_timeout' && durationMs(value) === undefined) throw new SqlError('22023', `invalid value for parameter "statement_timeout": "${value}"`);
        if (name === 'datestyle') value = /iso/i.test(value) ? 'ISO, MDY' : value;
        await this.storeSetting(name, value);
        const reported = REPORTED_SETTINGS[name];
        return { tag: 'SET', columns: [], ...(reported ? { parameterStatus: { [reported]: value } } : {}) };
      }
      case 'reset': {
        const names = command.name === undefined ? [...this.reset.keys()] : [command.name.toLowerCase()];
        const parameterStatus: Record<string, string> = {};
        for (const name of names) {
          if (READ_ONLY_SETTINGS.has(name) && command.name !== undefined) throw new SqlError('55P02', `parameter "${name}" cannot be changed`);
          await this.storeSetting(name, this.reset.get(name));
          const reported = REPORTED_SETTINGS[name];
          if (reported) parameterStatus[reported] = this.reset.get(name) ?? '';
        }
        return { tag: 'RESET', columns: [], ...(Object.keys(parameterStatus).length > 0 ? { parameterStatus } : {}) };
      }
    }
  }
}

