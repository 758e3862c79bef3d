import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { adminRequest, awaitServer, type AdminResponse, type RunningServer } from '../runtime/index.js';
import { adminFetch } from '../runtime/admin-client.js';
import type { Project } from '../ir/types.js';
import { loadAndOpen, ReportedFailure, type GlobalOptions } from './context.js';
import { openWarehouse, sayWaiting, stillStarting } from './connect.js';
import { printApiError } from './print-error.js';
import { osUser } from './user.js';

/** How a call runs when no server holds the project (ignored when one does). */
export interface LocalCall {
  /** Open the warehouse read-only (`query`). */
  readOnly?: boolean;
  /** The project the command already loaded (else it is loaded here, while the warehouse opens). */
  project?: Project;
  /** Progress of an apply run in this process. */
  onProgress?: (done: number, total: number) => void;
}

/** Where a call went: `server` when through a running server. */
export type AdminAnswer = AdminResponse & { server?: RunningServer };

/**
 * The running server that holds the project for the target this command means, waiting a few
 * seconds for one that is starting (`target/server.starting`, runtime/await-server.ts). A server
 * of another target is not used (e.g. `--target prod` while `dev` serves the DuckDB file).
 */
export async function runningServerFor(opts: GlobalOptions): Promise<RunningServer | undefined> {
  const dir = resolve(opts.project);
  const state = await awaitServer(dir, { onWait: (m) => sayWaiting(`waiting for writeback ${m.command} (pid ${m.pid}) to start…`) });
  if (state.kind === 'starting') throw stillStarting(state.marker, dir);
  if (state.kind === 'none') return undefined;
  const { server } = state;
  const same = opts.target !== undefined ? server.target === undefined || server.target === opts.target : server.default_target !== false;
  return same ? server : undefined;
}

/**
 * Call an `/api/v1/admin/<path>` route: through the running server when one holds the project
 * (DuckDB has one writer per file), else in this process — the same routes over a library opened
 * on the warehouse — so both paths behave identically. Every CLI command that touches the
 * warehouse goes through here. The CLI confirms bulk changes itself (`--yes`) before calling.
 */
export async function adminCall(opts: GlobalOptions, method: 'GET' | 'POST', path: string, body?: unknown, local: LocalCall = {}): Promise<AdminAnswer> {
  const server = await runningServerFor(opts);
  if (server) return { ...(await adminRequest(server, method, path, body)), server };
  // the in-process path needs the whole engine: loaded only here, so calls through a server start fast
  const [{ resolveTarget }, { createServer }, { applyThroughServer }, { silentLogger }, { createWriteback }] = await Promise.all([
    import('../adapters/registry.js'),
    import('../server/create-server.js'),
    import('../server/admin-apply.js'),
    import('../server/logger.js'),
    import('../library/index.js'),
  ]);
  const openOptions = local.readOnly ? { readOnly: true } : {};
  const opened = local.project
    ? { project: local.project, target: resolveTarget(local.project, opts.target), ...(await openWarehouse(local.project, resolveTarget(local.project, opts.target), openOptions)) }
    : await loadAndOpen(opts, openOptions);
  // a server took the file while this command was starting: go through it
  if (opened.server) return { ...(await adminRequest(opened.server, method, path, body)), server: opened.server };
  const { adapter, target, project } = opened;
  try {
    const wb = await createWriteback(project, adapter, { targetName: target.name, ownsAdapter: false });
    try {
      const adminToken = randomBytes(24).toString('base64url');
      // the library is closed when this call returns: no drift to track after an apply
      const apply = applyThroughServer(wb, { defaultUser: osUser(), project, recheck: false, ...(local.onProgress ? { onProgress: local.onProgress } : {}) });
      const app = createServer(wb, { adminToken, logger: silentLogger, targetName: target.name, apply });
      return await adminFetch((request) => app.fetch(request), 'http://cli.local', adminToken, method, path, body);
    } finally {
      await wb.close();
    }
  } finally {
    await adapter.close();
  }
}

/** The `{ error }` of a failed admin answer, in the documented shape. */
export function adminError(res: AdminResponse): { code: string; message: string; details: unknown[] } {
  const error = (res.body as { error?: { code: string; message: string; details: unknown[] } }).error;
  return error ?? { code: 'internal', message: `server answered ${res.status}`, details: [] };
}

/** Run an admin call; on failure print the error (or `{"error"}` with --json) and exit 1. */
export async function adminOrFail<T>(opts: GlobalOptions, method: 'GET' | 'POST', path: string, body?: unknown, local: LocalCall = {}): Promise<T> {
  const res = await adminCall(opts, method, path, body, local);
  if (res.ok) return res.body as T;
  printApiError(adminError(res), opts.json);
  throw new ReportedFailure(1);
}
