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
  const res = await fetch(`${server.url}/api/v1/admin/${path.replace(/^\//, '')}`, {
    method,
    headers: {
      authorization: `Bearer ${server.admin_token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, ok: res.ok, body: parsed };
}
