import { ReportedFailure, type GlobalOptions } from './context.js';
import { printApiError } from './print-error.js';
import { adminCall, adminError, type LocalCall } from './admin-call.js';
import type { VerifyReport, WireRow } from '../write/types.js';
import type { WriteError } from '../rules/outcome.js';
import type { TokenInfo } from '../auth/types.js';
import type { writeResponse } from '../server/write-request.js';
import type { historyResponse } from '../server/routes/inputs.js';

/** A failure in the documented error shape, from the library or from a server. */
export type CliOutcome<T> = { ok: true; value: T } | { ok: false; error: WriteError | { code: string; message: string; details: unknown[] } };

/** What `write`, `history`, `verify` and `token` need; every call is an admin route (see admin-call.ts). */
export interface CliBackend {
  write(op: 'write' | 'delete', table: string, rows: WireRow[], opts: BulkOptions): Promise<CliOutcome<ReturnType<typeof writeResponse>>>;
  history(table: string, query: HistoryQuery): Promise<CliOutcome<ReturnType<typeof historyResponse>>>;
  verify(tables?: string[]): Promise<VerifyReport>;
  createToken(input: { user: string; role: string; attributes?: Record<string, string>; createdBy: string; name?: string; expiresAt?: string }): Promise<CliOutcome<{ token: string; info: TokenInfo }>>;
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
 * Run `fn` against the project's warehouse. Each call goes to the admin routes: of the running
 * server when one holds the project (DuckDB has one writer per file), otherwise of the same
 * routes in this process over a connection the CLI opens — so both paths behave identically.
 */
export async function withBackend<T>(opts: GlobalOptions, fn: (backend: CliBackend) => Promise<T>, local: LocalCall = {}): Promise<T> {
  return fn(adminBackend(opts, local));
}

function adminBackend(opts: GlobalOptions, local: LocalCall): CliBackend {
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<CliOutcome<T>> => {
    const res = await adminCall(opts, method, path, body, local);
    return res.ok ? { ok: true, value: res.body as T } : { ok: false, error: adminError(res) };
  };
  const orThrow = <T>(r: CliOutcome<T>): T => {
    if (r.ok) return r.value;
    printApiError(r.error, opts.json);
    throw new ReportedFailure(1);
  };
  const table = (t: string) => `inputs/${encodeURIComponent(t)}`;
  return {
    write: (op, t, rows, o) =>
      call('POST', `${table(t)}/${op === 'write' ? 'rows' : 'delete'}`, {
        user: o.user,
        [op === 'write' ? 'rows' : 'keys']: rows,
        confirm: true, // the CLI asked for --yes itself
        ...(o.scenario ? { scenario: o.scenario } : {}),
        ...(o.comment ? { comment: o.comment } : {}),
        ...(o.dryRun ? { dry_run: true } : {}),
      }),
    history(t, q) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q.key ?? {})) params.set(`key.${k}`, v);
      if (q.user) params.set('user', q.user);
      if (q.since) params.set('since', q.since);
      if (q.scenario) params.set('scenario', q.scenario);
      if (q.limit) params.set('limit', String(q.limit));
      return call('GET', `${table(t)}/history?${params}`);
    },
    verify: async (tables) => orThrow(await call<VerifyReport>('POST', 'verify', tables ? { tables } : {})),
    createToken: (input) =>
      call('POST', 'tokens', {
        user: input.user,
        role: input.role,
        created_by: input.createdBy,
        ...(input.attributes ? { attributes: input.attributes } : {}),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.expiresAt !== undefined ? { expires_at: input.expiresAt } : {}),
      }),
    listTokens: async () => orThrow(await call<{ tokens: TokenInfo[] }>('GET', 'tokens')).tokens,
    revokeToken: (id) => call('POST', `tokens/${encodeURIComponent(id)}/revoke`),
  };
}
