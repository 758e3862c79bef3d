import { resolve } from 'node:path';
import type { GlobalOptions } from './context.js';
import { loadOrExit, withAdapter } from './context.js';
import { findRunningServer, adminRequest, type RunningServer } from '../runtime/index.js';
import { createWriteback } from '../write/index.js';
import type { Writeback } from '../write/writeback.js';
import type { VerifyReport, WireRow, WriteError } from '../write/types.js';
import type { TokenInfo } from '../auth/types.js';
import { writeResponse } from '../server/write-request.js';
import { historyResponse } from '../server/routes/inputs.js';

/** A failure in the documented error shape, from the library or from a server. */
export type CliOutcome<T> = { ok: true; value: T } | { ok: false; error: WriteError | { code: string; message: string; details: unknown[] } };

/** What `write`, `history`, `verify` and `token` need, whether the CLI owns the file or a server does. */
export interface CliBackend {
  /** `direct` (the CLI opened the warehouse) or `server` (through a running `serve`/`dev`). */
  readonly via: 'direct' | 'server';
  write(op: 'write' | 'delete', table: string, rows: WireRow[], opts: BulkOptions): Promise<CliOutcome<ReturnType<typeof writeResponse>>>;
  history(table: string, query: HistoryQuery): Promise<CliOutcome<ReturnType<typeof historyResponse>>>;
  verify(tables?: string[]): Promise<VerifyReport>;
  createToken(input: { user: string; role: string; attributes?: Record<string, string>; createdBy: string }): Promise<CliOutcome<{ token: string; info: TokenInfo }>>;
  listTokens(): Promise<TokenInfo[]>;
  revokeToken(id: string): Promise<CliOutcome<{ info: TokenInfo }>>;
}

export interface BulkOptions {
  user: string;
  scenario?: string;
  comment?: string;
  dryRun?: boolean;
}

export interface HistoryQuery {
  key?: Record<string, string>;
  user?: string;
  since?: string;
  scenario?: string;
  limit?: number;
}

/**
 * Run `fn` against the project's warehouse: through the running server when one holds the
 * project (DuckDB has one writer per file), otherwise by opening the target directly.
 */
export async function withBackend<T>(opts: GlobalOptions, fn: (backend: CliBackend) => Promise<T>): Promise<T> {
  const server = findRunningServer(resolve(opts.project));
  if (server) return fn(serverBackend(server));
  const project = await loadOrExit(opts);
  return withAdapter(project, opts, async (adapter, target) => {
    const wb = await createWriteback(project, adapter, { targetName: target.name, ownsAdapter: false });
    try {
      return await fn(directBackend(wb));
    } finally {
      await wb.close();
    }
  });
}

function directBackend(wb: Writeback): CliBackend {
  return {
    via: 'direct',
    async write(op, table, rows, o) {
      const options = { user: o.user, ...(o.scenario ? { scenario: o.scenario } : {}), ...(o.comment ? { comment: o.comment } : {}), ...(o.dryRun ? { dryRun: true } : {}) };
      const result = op === 'write' ? await wb.inputs.write(table, rows, options) : await wb.inputs.delete(table, rows, options);
      return result.ok ? { ok: true, value: writeResponse(result) } : { ok: false, error: result.error };
    },
    async history(table, q) {
      const result = await wb.inputs.history(table, q);
      return result.ok ? { ok: true, value: historyResponse(result) } : { ok: false, error: result.error };
    },
    verify: (tables) => wb.verify(tables ? { tables } : {}),
    async createToken(input) {
      const result = await wb.tokens.create(input);
      return result.ok ? { ok: true, value: { token: result.token, info: result.info } } : { ok: false, error: result.error };
    },
    listTokens: () => wb.tokens.list(),
    async revokeToken(id) {
      const result = await wb.tokens.revoke(id);
      return result.ok ? { ok: true, value: { info: result.info } } : { ok: false, error: result.error };
    },
  };
}

function serverBackend(server: RunningServer): CliBackend {
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<CliOutcome<T>> => {
    const res = await adminRequest(server, method, path, body);
    if (res.ok) return { ok: true, value: res.body as T };
    const error = (res.body as { error?: { code: string; message: string; details: unknown[] } }).error;
    return { ok: false, error: error ?? { code: 'internal', message: `server answered ${res.status}`, details: [] } };
  };
  const orThrow = <T>(r: CliOutcome<T>): T => {
    if (r.ok) return r.value;
    throw new Error(`${r.error.code}: ${r.error.message}`);
  };
  return {
    via: 'server',
    write: (op, table, rows, o) =>
      call('POST', `inputs/${encodeURIComponent(table)}/${op === 'write' ? 'rows' : 'delete'}`, {
        user: o.user,
        [op === 'write' ? 'rows' : 'keys']: rows,
        confirm: true,
        ...(o.scenario ? { scenario: o.scenario } : {}),
        ...(o.comment ? { comment: o.comment } : {}),
        ...(o.dryRun ? { dry_run: true } : {}),
      }),
    history(table, q) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q.key ?? {})) params.set(`key.${k}`, v);
      if (q.user) params.set('user', q.user);
      if (q.since) params.set('since', q.since);
      if (q.scenario) params.set('scenario', q.scenario);
      if (q.limit) params.set('limit', String(q.limit));
      return call('GET', `inputs/${encodeURIComponent(table)}/history?${params}`);
    },
    verify: async (tables) => orThrow(await call<VerifyReport>('POST', 'verify', tables ? { tables } : {})),
    createToken: (input) =>
      call('POST', 'tokens', { user: input.user, role: input.role, created_by: input.createdBy, ...(input.attributes ? { attributes: input.attributes } : {}) }),
    listTokens: async () => orThrow(await call<{ tokens: TokenInfo[] }>('GET', 'tokens')).tokens,
    revokeToken: (id) => call('POST', `tokens/${encodeURIComponent(id)}/revoke`),
  };
}
