import type { RunningServer } from './find-running-server.js';

/** What an admin call answered: the HTTP status and the parsed JSON body (`{ error }` on failure). */
export interface AdminResponse {
  status: number;
  ok: boolean;
  body: unknown;
}

/**
 * Call `/api/v1/admin/<path>` of a running server with its admin credential — how CLI commands
 * (`write`, `history`, `verify`, `token`, `apply`) work while `serve` holds the DuckDB file.
 */
export async function adminRequest(
  server: RunningServer,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<AdminResponse> {
  return adminFetch((request) => fetch(request), server.url, server.admin_token, method, path, body, headers);
}

/**
 * Send an admin request to any fetch handler (a running server over HTTP, or the app itself
 * in-process) and read its answer: the one place that builds admin requests and parses answers.
 */
export async function adminFetch(
  handle: (request: Request) => Promise<Response> | Response,
  baseUrl: string,
  adminToken: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<AdminResponse> {
  const res = await handle(
    new Request(`${baseUrl}/api/v1/admin/${path.replace(/^\//, '')}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }),
  );
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, ok: res.ok, body: parsed };
}
