import { canStream, type Adapter, type Row, type SqlValue } from '../adapters/adapter.js';
import type { Project } from '../ir/types.js';
import { byScenarioViewName } from '../managed/names.js';
import { checkScenarioName } from '../rules/scenario-name.js';
import { type ScenarioInfo } from '../write/scenario-registry.js';
import type { Actor } from '../auth/actor.js';
import { isAdmin } from '../auth/permissions.js';
import { isWarehouseError } from '../adapters/warehouse-error.js';
import { modelScope, modelSelectSql } from './model-filter.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import { failure, type Outcome, type WriteError } from '../rules/outcome.js';

/** One row of a model read: column → value as the warehouse returned it (decimals as strings, big integers as bigint). */
export type ModelRow = Row;

/** Options of `models.rows`. */
export interface ModelReadOptions {
  /** Reader; absent = administrator. A role reads a model only within its row filters (model-filter.ts). */
  actor?: Actor;
  /** `base` (default: the model's view) or a scenario (`<model>__by_scenario` filtered on `_scenario`). */
  scenario?: string;
  /** Page size (pages ordered by every column); without it every row. */
  limit?: number;
  /** `nextCursor()` of the previous page. */
  cursor?: string;
}

/** The rows of a model read, chunk by chunk; read them once. */
export interface ModelRows {
  model: string;
  /** Column names, known before the first row. */
  columns: string[];
  /**
   * The rows, a chunk at a time (at most `limit` in all when paging). A failure of the warehouse
   * after the first chunk is thrown as a {@link ModelReadFailed}.
   */
  chunks(): AsyncGenerator<ModelRow[], void, undefined>;
  /** Release the read's connection early (safe to call twice). */
  close(): void;
  /** After the chunks ended: the cursor of the next page, or null. */
  nextCursor(): string | null;
}

/** Result of `models.rows`. */
export type ModelReadResult = Outcome<{ rows: ModelRows }>;

/** Thrown by {@link ModelRows.chunks} when the warehouse fails after the first chunk was read. */
export class ModelReadFailed extends Error {
  override readonly name = 'ModelReadFailed';
  constructor(readonly error: WriteError) {
    super(error.message);
  }
}

/** What a model read needs of the library. */
export interface ModelReadHost {
  project: Project;
  adapter: Adapter;
  /** Every recorded scenario (undefined: a library without workflows). */
  scenarios?: () => Promise<ScenarioInfo[]>;
}

/**
 * `model_failed`: the model's SQL failed in the warehouse (the request was fine). The warehouse's
 * message may quote any row the model read, so only an administrator reads it; a caller with a
 * role gets the model's name, and the message goes to `cause` (the operator's log).
 */
export function modelFailed(model: string, err: unknown, actor: Actor | undefined): WriteError {
  // a lost connection or an exhausted retry is not the model's fault: not a `model_failed`
  if (isWarehouseError(err) && err.kind !== 'conflict') throw err;
  const reason = err instanceof Error ? err.message : String(err);
  if (isAdmin(actor)) return { code: 'model_failed', message: `model '${model}' failed in the warehouse: ${reason}`, details: [{ message: reason, model }], cause: reason };
  const message = `model '${model}' failed in the warehouse (its error is in the server log; an administrator can read the model with the CLI)`;
  return { code: 'model_failed', message, details: [{ message, model }], cause: reason };
}

/**
 * Column names of a view, or undefined when it does not exist: from `information_schema` on the
 * warehouses that stream reads (DuckDB, Postgres: one view's columns), else from the adapter's own
 * catalog reader (each warehouse names and folds its catalog differently).
 */
async function viewColumns(adapter: Adapter, schema: string, name: string): Promise<string[] | undefined> {
  if (!canStream(adapter)) {
    const view = (await adapter.describeSchemas([schema])).find((t) => t.schema === schema && t.name === name);
    return view && view.columns.length > 0 ? view.columns.map((c) => c.name) : undefined;
  }
  const d = adapter.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const rows = await adapter.query(
    // The catalog filter matters: the snapshot publisher attaches a second database now and then.
    `select ${q('column_name')} from information_schema.columns
      where ${q('table_catalog')} = current_database() and ${q('table_schema')} = ${d.param(1)} and ${q('table_name')} = ${d.param(2)}
      order by ${q('ordinal_position')}`,
    [schema, name],
  );
  return rows.length === 0 ? undefined : rows.map((r) => String(r.column_name));
}

/**
 * Why a model read may not name this scenario, or undefined: an invalid name is 400, a valid name
 * never recorded 404 (as for input reads), an archived one 400 (`__by_scenario` views hide it).
 */
async function scenarioProblem(host: ModelReadHost, scenario: string): Promise<WriteError | undefined> {
  const invalid = checkScenarioName(scenario);
  if (invalid) return invalid;
  if (scenario === 'base' || !host.scenarios) return undefined;
  const info = (await host.scenarios()).find((s) => s.name === scenario);
  if (!info) return { code: 'not_found', message: `no scenario '${scenario}'`, details: [{ column: 'scenario', message: `no scenario '${scenario}'` }] };
  if (info.archivedAt)
    return {
      code: 'bad_request',
      message: `scenario '${scenario}' is archived: model views show active scenarios only (its input rows stay readable under /inputs/{table}/rows)`,
      details: [{ column: 'scenario', message: `scenario '${scenario}' is archived` }],
    };
  return undefined;
}

/**
 * Read a merged view (`<views>.<model>`, or `<model>__by_scenario` for a scenario) under the
 * reader's row filters. Streamed from a dedicated connection where the adapter can: the first
 * chunk is read before this returns, so a model whose SQL fails at once is a `model_failed`
 * result, never a half-sent answer.
 */
export async function readModelRows(host: ModelReadHost, name: string, opts: ModelReadOptions = {}): Promise<ModelReadResult> {
  const { project, adapter } = host;
  const model = project.models.find((m) => m.name === name);
  if (!model) return failure('not_found', `unknown model '${name}'`);
  const { scenario, limit } = opts;
  if (scenario !== undefined) {
    const problem = await scenarioProblem(host, scenario);
    if (problem) return { ok: false, error: problem };
  }
  const offset = opts.cursor === undefined ? 0 : decodeCursor(opts.cursor);
  if (offset === undefined) return failure('bad_request', 'invalid cursor', [{ column: 'cursor', message: 'not a cursor returned by this endpoint' }]);

  const byScenario = scenario !== undefined && scenario !== 'base';
  const schema = project.schemas.views;
  const viewName = byScenario ? byScenarioViewName(model.name) : model.name;
  const columns = await viewColumns(adapter, schema, viewName);
  if (!columns) {
    return byScenario
      ? failure('bad_request', `model '${model.name}' has no scenarios (no view ${schema}.${viewName})`)
      : failure('not_found', `model '${model.name}' is declared but not applied yet (run \`writeback apply\`)`);
  }
  const d = adapter.dialect;
  const bound: SqlValue[] = [];
  const allowed = modelScope(project, model, opts.actor, columns, d, 'm', bound);
  if (!allowed.ok) return allowed;
  const where = [...allowed.where];
  if (byScenario) {
    bound.push(scenario);
    where.push(`m.${d.quoteIdent('_scenario')} = ${d.param(bound.length)}`);
  }
  const page = limit !== undefined ? { limit, offset } : offset > 0 ? { limit: Number.MAX_SAFE_INTEGER - 1, offset } : undefined;
  const { sql, params } = modelSelectSql(d, { schema, name: viewName, columns }, where, bound, page);
  let more = false;
  const nextCursor = () => (more && limit !== undefined ? encodeCursor(offset + limit) : null);

  if (!canStream(adapter)) {
    let rows: Row[];
    try {
      rows = await adapter.query(sql, params);
    } catch (err) {
      return { ok: false, error: modelFailed(model.name, err, opts.actor) };
    }
    more = limit !== undefined && rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return {
      ok: true,
      rows: {
        model: model.name,
        columns,
        async *chunks() {
          if (page.length > 0) yield page;
        },
        close() {},
        nextCursor,
      },
    };
  }

  let stream: Awaited<ReturnType<typeof adapter.stream>> | undefined;
  let reader: AsyncGenerator<Row[], void, undefined>;
  let first: IteratorResult<Row[], void>;
  try {
    stream = await adapter.stream(sql, params);
    reader = stream.chunks();
    first = await reader.next();
  } catch (err) {
    stream?.close();
    return { ok: false, error: modelFailed(model.name, err, opts.actor) };
  }
  const opened = stream;
  return {
    ok: true,
    rows: {
      model: model.name,
      columns: opened.columns.length > 0 ? opened.columns : columns,
      async *chunks() {
        let sent = 0;
        let next = first;
        try {
          while (!next.done) {
            let rows = next.value;
            if (limit !== undefined && sent + rows.length > limit) {
              rows = rows.slice(0, limit - sent);
              more = true;
            }
            sent += rows.length;
            if (rows.length > 0) yield rows;
            if (more) break;
            try {
              next = await reader.next();
            } catch (err) {
              throw new ModelReadFailed(modelFailed(model.name, err, opts.actor));
            }
          }
        } finally {
          await reader.return(undefined).catch(() => undefined);
          opened.close();
        }
      },
      close: () => opened.close(),
      nextCursor,
    },
  };
}
