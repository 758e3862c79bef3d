import { SqlError, type SqlColumn, type SqlDescription, type SqlOutcome, type SqlSession } from '../sqlsession/types.js';
import * as be from './backend.js';
import { decodeFrontend, expandFormats, type FrontendMessage, ProtocolViolation } from './frontend.js';
import { ClientGone, type Output } from './output.js';
import { PortalClosed, PortalRun } from './portal-run.js';

/** A prepared statement (Parse). */
interface Statement {
  sql: string;
  /** No statement in the text: Execute answers EmptyQueryResponse. */
  empty: boolean;
  description: SqlDescription;
}

/** A bound statement (Bind), possibly suspended half-way through its rows. */
interface Portal {
  statement: Statement;
  params: (string | Buffer | null)[];
  binary: boolean[];
  run?: PortalRun;
  /** CommandComplete tag once it ran to the end. */
  doneTag?: string;
}

/** What the protocol reports to its endpoint. */
export interface ProtocolEvents {
  /** An error that is not a SqlError (a bug): logged by the endpoint, the client gets XX000. */
  internalError(err: unknown): void;
  /**
   * Asked before each new statement (Query, Parse): why the connection may no longer run
   * statements (e.g. its token was revoked), or undefined. The client then gets FATAL 28000.
   */
  refusal?(): Promise<string | undefined>;
}

const wireColumns = (columns: SqlColumn[]): be.WireColumn[] =>
  columns.map((c) => ({ name: c.name, typeOid: c.type.oid, typeSize: c.type.size, typeModifier: c.type.modifier }));

const NO_STATEMENT: SqlDescription = { columns: [], paramTypes: [] };

/**
 * The PostgreSQL protocol after start-up for one connection: simple query (several statements run
 * in order, stopping at the first error), extended query (named and unnamed statements and
 * portals, Execute's row limit with PortalSuspended, the error-until-Sync rule), Describe, Close,
 * text and binary formats, Terminate; COPY and function calls are refused. It owns no permission or
 * SQL rule: every statement goes to the session.
 */
export class PgProtocol {
  private readonly statements = new Map<string, Statement>();
  private readonly portals = new Map<string, Portal>();
  /** After an error in an extended-query message, every message up to Sync is skipped. */
  private skipUntilSync = false;

  constructor(
    private readonly session: SqlSession,
    private readonly out: Output,
    private readonly events: ProtocolEvents,
  ) {}

  /** Handle one message; `false` when the connection must close (Terminate, protocol violation). */
  async handle(message: Buffer): Promise<boolean> {
    let msg: FrontendMessage;
    try {
      msg = decodeFrontend(message);
    } catch (err) {
      if (!(err instanceof ProtocolViolation)) throw err;
      this.out.send(be.errorResponse({ severity: 'FATAL', code: '08P01', message: err.message }));
      await this.out.flush();
      return false;
    }
    if (msg.type === 'terminate') return false;
    if (msg.type === 'sync') {
      this.skipUntilSync = false;
      await this.sync();
      return true;
    }
    if (msg.type === 'flush') {
      await this.out.flush();
      return true;
    }
    if ((msg.type === 'query' || (msg.type === 'parse' && !this.skipUntilSync)) && this.events.refusal) {
      const refused = await this.events.refusal();
      if (refused !== undefined) {
        this.out.send(be.errorResponse({ severity: 'FATAL', code: '28000', message: refused }));
        await this.out.flush();
        return false;
      }
    }
    if (msg.type === 'query') {
      await this.simpleQuery(msg.sql);
      return true;
    }
    if (this.skipUntilSync) return true;
    try {
      await this.extended(msg);
    } catch (err) {
      if (err instanceof ProtocolViolation) {
        this.out.send(be.errorResponse({ severity: 'FATAL', code: '08P01', message: err.message }));
        await this.out.flush();
        return false;
      }
      this.sendError(err);
      this.skipUntilSync = true;
    }
    return true;
  }

  /** The client is gone or the server stops: end what runs and close the session. */
  async close(): Promise<void> {
    this.out.close();
    this.session.cancel();
    await Promise.all([...this.portals.values()].map((p) => p.run?.abort()));
    this.portals.clear();
    await this.session.close();
  }

  private sendError(err: unknown): void {
    // nobody is left to tell
    if (err instanceof ClientGone) throw err;
    if (err instanceof SqlError) {
      this.out.send(be.errorResponse({ severity: 'ERROR', code: err.sqlstate, message: err.message, detail: err.detail, hint: err.hint, position: err.position }));
      return;
    }
    this.events.internalError(err);
    this.out.send(be.errorResponse({ severity: 'ERROR', code: 'XX000', message: "internal error in writeback's SQL endpoint (the server log has the details)" }));
  }

  private sendOutcome(outcome: SqlOutcome): void {
    this.out.send(be.commandComplete(outcome.tag));
    for (const [name, value] of Object.entries(outcome.parameterStatus ?? {})) this.out.send(be.parameterStatus(name, value));
  }

  private async readyForQuery(): Promise<void> {
    this.out.send(be.readyForQuery(this.session.transactionStatus));
    await this.out.flush();
  }

  /** Stop every suspended portal but `keep`: the session runs one statement at a time. */
  private async stopSuspended(keep?: Portal): Promise<void> {
    for (const [name, p] of this.portals) {
      if (p === keep || !p.run || p.run.done) continue;
      await p.run.abort();
      this.portals.delete(name);
    }
  }

  private async simpleQuery(sql: string): Promise<void> {
    const statements = this.session.split(sql);
    // a Query message ends any extended-query work in progress, as a transaction boundary would
    await this.stopSuspended();
    this.portals.delete('');
    if (statements.length === 0) this.out.send(be.emptyQueryResponse());
    for (const statement of statements) {
      try {
        const { columns } = await this.session.describe(statement);
        if (columns.length > 0) this.out.send(be.rowDescription(wireColumns(columns)));
        const outcome = await this.session.run(statement, [], (row) => this.out.send(be.dataRow(row)));
        this.sendOutcome(outcome);
      } catch (err) {
        this.sendError(err);
        break;
      }
    }
    await this.readyForQuery();
  }

  private async sync(): Promise<void> {
    // outside an explicit transaction, Sync ends the implicit one and with it every portal
    if (this.session.transactionStatus !== 'transaction') {
      await this.stopSuspended();
      this.portals.clear();
    }
    await this.readyForQuery();
  }

  private async extended(msg: FrontendMessage): Promise<void> {
    switch (msg.type) {
      case 'parse':
        return this.parse(msg.name, msg.sql, msg.paramTypeOids);
      case 'bind':
        return this.bind(msg);
      case 'describe':
        return this.describe(msg.kind, msg.name);
      case 'execute':
        return this.execute(msg.portal, msg.maxRows);
      case 'close':
        return this.close_(msg.kind, msg.name);
      case 'copy':
        // CopyData/CopyDone/CopyFail outside COPY are ignored, as Postgres does
        return;
      case 'other':
        throw new SqlError('0A000', `message type '${msg.code}' is not supported by writeback's SQL endpoint (function calls and replication are not available)`);
      default:
        return;
    }
  }

  private async parse(name: string, sql: string, paramTypeOids: number[]): Promise<void> {
    if (name !== '' && this.statements.has(name)) throw new SqlError('42P05', `prepared statement "${name}" already exists`);
    const pieces = this.session.split(sql);
    if (pieces.length > 1) throw new SqlError('42601', 'cannot insert multiple commands into a prepared statement');
    await this.stopSuspended();
    const description = pieces.length === 0 ? NO_STATEMENT : await this.session.describe(sql, paramTypeOids);
    this.statements.set(name, { sql, empty: pieces.length === 0, description });
    this.out.send(be.parseComplete());
  }

  private statement(name: string): Statement {
    const s = this.statements.get(name);
    if (!s) throw new SqlError('26000', name === '' ? 'unnamed prepared statement does not exist' : `prepared statement "${name}" does not exist`);
    return s;
  }

  private portal(name: string): Portal {
    const p = this.portals.get(name);
    if (!p) throw new SqlError('34000', `portal "${name}" does not exist`);
    return p;
  }

  private async bind(msg: Extract<FrontendMessage, { type: 'bind' }>): Promise<void> {
    const statement = this.statement(msg.statement);
    const expected = statement.description.paramTypes.length;
    if (msg.params.length !== expected)
      throw new SqlError('08P01', `bind message supplies ${msg.params.length} parameters, but prepared statement "${msg.statement}" requires ${expected}`);
    const paramBinary = expandFormats(msg.paramFormats, msg.params.length, 'parameter');
    const params = msg.params.map((p, i) => (p === null || paramBinary[i] ? p : p.toString('utf8')));
    const binary = expandFormats(msg.resultFormats, statement.description.columns.length, 'result');
    if (msg.portal !== '' && this.portals.has(msg.portal)) throw new SqlError('42P03', `cursor "${msg.portal}" already exists`);
    const previous = this.portals.get(msg.portal);
    if (previous?.run) await previous.run.abort();
    this.portals.set(msg.portal, { statement, params, binary });
    this.out.send(be.bindComplete());
  }

  private describe(kind: 'S' | 'P', name: string): void {
    if (kind === 'S') {
      const { description } = this.statement(name);
      this.out.send(be.parameterDescription(description.paramTypes.map((t) => t.oid)));
      this.out.send(description.columns.length > 0 ? be.rowDescription(wireColumns(description.columns)) : be.noData());
      return;
    }
    const portal = this.portal(name);
    const { columns } = portal.statement.description;
    this.out.send(columns.length > 0 ? be.rowDescription(wireColumns(columns), portal.binary) : be.noData());
  }

  private async execute(name: string, maxRows: number): Promise<void> {
    const portal = this.portal(name);
    if (portal.statement.empty) {
      this.out.send(be.emptyQueryResponse());
      return;
    }
    if (portal.doneTag !== undefined) {
      // a portal run to its end has no more rows
      this.out.send(be.commandComplete(portal.doneTag.replace(/\d+$/, '0')));
      return;
    }
    if (!portal.run) {
      await this.stopSuspended(portal);
      portal.run = new PortalRun(this.session, portal.statement.sql, portal.params, portal.binary, (row) => this.out.send(be.dataRow(row)));
    }
    const run = portal.run;
    const state = await run.next(maxRows > 0 ? maxRows : 0);
    if (state === 'suspended') {
      this.out.send(be.portalSuspended());
      return;
    }
    portal.run = undefined;
    if (run.error !== undefined) {
      this.portals.delete(name);
      if (run.error instanceof PortalClosed) throw new SqlError('34000', `portal "${name}" was closed`);
      throw run.error;
    }
    const outcome = run.outcome!;
    portal.doneTag = outcome.tag;
    this.sendOutcome(outcome);
  }

  private async close_(kind: 'S' | 'P', name: string): Promise<void> {
    if (kind === 'S') this.statements.delete(name);
    else {
      const portal = this.portals.get(name);
      this.portals.delete(name);
      if (portal?.run) await portal.run.abort();
    }
    this.out.send(be.closeComplete());
  }
}
