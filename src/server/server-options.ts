import type { Actor } from '../auth/actor.js';
import type { KeyFetchSettings } from '../auth/proxy-assertion.js';
import type { AuthConfig } from '../ir/types.js';
import type { ServerLogger } from './logger.js';
import type { SnapshotStatus } from '../snapshot/snapshot-publisher.js';

/** Result of an admin operation forwarded by the CLI (e.g. `apply`): HTTP status and JSON body. */
export interface AdminOperationResult {
  status: number;
  body: unknown;
}

/** Options of `createServer`. */
export interface ServerOptions {
  /** Largest accepted request body in bytes (413 above it). Default 10 MiB. */
  bodyLimitBytes?: number;
  /** Body limit of `/api/v1/admin/*`, where the CLI sends whole files as one all-or-nothing batch. Default 256 MiB. */
  adminBodyLimitBytes?: number;
  /** Bulk changes of more than this many rows need `"confirm": true` (or `"dry_run": true`). Default: project.yml `confirm_threshold`, else 100. */
  confirmThreshold?: number;
  /**
   * How people sign in to the served target (`targets.<t>.auth` of project.yml, resolved by
   * `resolveAuth`; `startServer` resolves the served target's when absent); absent = API tokens only. With `proxy`, every request without an API token
   * must carry the authenticating proxy's signed assertion.
   */
  auth?: AuthConfig;
  /** How the proxy's `jwks_url` is fetched and cached (defaults in src/auth/proxy-assertion.ts). */
  proxyKeys?: KeyFetchSettings;
  /** Development mode: every request is signed in as this actor (no `role` = every permission). */
  devUser?: Actor;
  /** Bearer credential of `/api/v1/admin/*` (the CLI reads it from target/server.json). Absent = admin routes answer 401. */
  adminToken?: string;
  /** Called after every acknowledged (non-dry-run, non-replayed) write or delete. */
  onWrite?: (table: string) => void;
  /** Reported by `/healthz`. */
  snapshotStatus?: () => SnapshotStatus | undefined;
  /** The Postgres endpoint's URL and open connections, reported by `/healthz`. */
  postgresStatus?: () => { url: string; connections: number } | undefined;
  /** `POST /api/v1/admin/apply`: plan + apply on the server's connection (wired by the CLI); absent = 404. */
  apply?: (body: unknown) => Promise<AdminOperationResult>;
  /** Target the server is connected to (informational: the library reads with its own target). */
  targetName?: string;
  /** Default: JSON lines on stderr. */
  logger?: ServerLogger;
  /** Milliseconds a streamed model read waits for its client to take the next chunk before the read is closed and the connection dropped (default 60 s). */
  streamStallMs?: number;
}
