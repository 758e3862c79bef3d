import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { adminRequest, findRunningServer, type AdminResponse } from '../runtime/index.js';
import { adminFetch } from '../runtime/admin-client.js';
import { createServer } from '../server/create-server.js';
import { silentLogger } from '../server/logger.js';
import { createWriteback } from '../library/index.js';
import { loadOrExit, ReportedFailure, withAdapter, type GlobalOptions } from './context.js';
import { printApiError } from './print-error.js';

/**
 * Call an `/api/v1/admin/<path>` route: through the running server when one holds the project
 * (DuckDB has one writer per file), else in this process — the same routes over a library opened
 * on the warehouse — so both paths behave identically (`scenario`, `pending`, `action`).
 * The CLI always confirms bulk changes itself (`--yes`) before calling.
 */
export async function adminCall(opts: GlobalOptions, method: 'GET' | 'POST', path: string, body?: unknown): Promise<AdminResponse> {
  const server = findRunningServer(resolve(opts.project));
  if (server) return adminRequest(server, method, path, body);
  const project = await loadOrExit(opts);
  return withAdapter(project, opts, async (adapter, target) => {
    const wb = await createWriteback(project, adapter, { targetName: target.name, ownsAdapter: false });
    try {
      const adminToken = randomBytes(24).toString('base64url');
      const app = createServer(wb, { adminToken, logger: silentLogger, targetName: target.name });
      return await adminFetch((request) => app.fetch(request), 'http://cli.local', adminToken, method, path, body);
    } finally {
      await wb.close();
    }
  });
}

/** The `{ error }` of a failed admin answer, in the documented shape. */
export function adminError(res: AdminResponse): { code: string; message: string; details: unknown[] } {
  const error = (res.body as { error?: { code: string; message: string; details: unknown[] } }).error;
  return error ?? { code: 'internal', message: `server answered ${res.status}`, details: [] };
}

/** Run an admin call; on failure print the error (or `{"error"}` with --json) and exit 1. */
export async function adminOrFail<T>(opts: GlobalOptions, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await adminCall(opts, method, path, body);
  if (res.ok) return res.body as T;
  printApiError(adminError(res), opts.json);
  throw new ReportedFailure(1);
}
