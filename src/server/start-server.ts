import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { devUserRefusal, resolveAuth } from '../auth/auth-config.js';
import type { HttpLibrary } from '../http/library.js';
import { apiError, failureResponse } from '../http/api-error.js';
import { describeDrift, type Drift } from '../library/drift.js';
import { UsageError } from '../library/usage-error.js';
import { removeDiscoveryFile, writeDiscoveryFile } from '../runtime/discovery-file.js';
import { DEFAULT_PORT } from '../runtime/default-port.js';
import { createSnapshotPublisher, DEFAULT_SNAPSHOT_DELAY_MS, type SnapshotPublisher } from '../snapshot/snapshot-publisher.js';
import { endpointSettings, startPgEndpoint, type PgEndpoint, type PostgresOverride } from '../pgwire/index.js';
import { Writeback } from '../library/writeback.js';
import { limitEngineMemory, openSqlSession } from '../sqlsession/open-sql-session.js';
import type { SqlSessionOpener } from '../sqlsession/types.js';
import type { ServerOptions } from './server-options.js';
import { createServer } from './create-server.js';
import { jsonLogger, type ServerLogger } from './logger.js';

export { DEFAULT_PORT };

/** Options of {@link startServer}. */
export interface StartServerOptions extends Omit<ServerOptions, 'adminToken' | 'onWrite' | 'snapshotStatus' | 'postgresStatus'> {
  /** Port; 0 = an ephemeral port (see `port` of the result). Default 4580. */
  port?: number;
  /** Bind address; default 127.0.0.1. Forced to 127.0.0.1 with `devUser`. */
  host?: string;
  /** Project directory for target/server.json and target/snapshot.duckdb; default the library's project dir. */
  projectDir?: string;
  /** Write target/server.json (pid, port, host, admin credential) while running. Default true. */
  discovery?: boolean;
  /** Publish a read-only snapshot for BI tools after writes (DuckDB files only). Default on: target/snapshot.duckdb, 500 ms. */
  snapshot?: false | { path?: string; delayMs?: number };
  /** Stop gracefully on SIGINT/SIGTERM, then exit the process. Default false (the CLI passes true). */
  handleSignals?: boolean;
  /** Close the library (and so the warehouse connection) on `close()`. Default true. */
  closeLibrary?: boolean;
  /** How often expired idempotency records are deleted (`idempotency_retention_days`); also once at start. Default 1 h; 0 = never. */
  idempotencyPruneIntervalMs?: number;
  /** How long `close()` waits for open connections (streams) before cutting them. Default 10 s. */
  shutdownTimeoutMs?: number;
  /**
   * Plan the project against the warehouse before listening: tables and models it is behind on
   * answer 503 `apply_required`, and a warning names them. Default true.
   */
  checkSync?: boolean;
  /**
   * The Postgres-protocol endpoint for BI tools: default the served target's `postgres_endpoint`
   * (off when absent); `{ port }` changes its port (and turns it on with the defaults); false = off.
   */
  postgres?: PostgresOverride;
  /** Opens the SQL session of each endpoint connection. Default: `openSqlSession` over `wb` when it is the library's `Writeback` (else the endpoint stays off, with a warning). */
  sqlSessions?: SqlSessionOpener;
}

/** A listening server. */
export interface RunningHttpServer {
  port: number;
  host: string;
  /** e.g. `http://127.0.0.1:4580`. */
  url: string;
  /** Credential of `/api/v1/admin/*` (also in target/server.json). */
  adminToken: string;
  /** Path of target/server.json, when written. */
  discoveryFile?: string;
  /** The snapshot publisher, when snapshots are on. */
  snapshot?: SnapshotPublisher;
  /** Whether the warehouse matched the project at start-up (see `checkSync`). */
  drift: Drift;
  /** The Postgres endpoint, when on. */
  postgres?: PgEndpoint;
  /** Stop accepting, finish in-flight requests (queued writes commit), publish a last snapshot, close the DB, remove the discovery file. */
  close(): Promise<void>;
}

const DEV_BANNER = (user: string, role: string | undefined) =>
  [
    '',
    '!!! ============================================================ !!!',
    `!!!  DEVELOPMENT MODE: every request is signed in as '${user}'`,
    `!!!  ${role ? `with role '${role}'` : 'with EVERY permission (administrator)'}, without any token.`,
    '!!!  Bound to 127.0.0.1 only. Never use --dev-user in production.',
    '!!! ============================================================ !!!',
    '',
  ].join('\n');

/** Listen on `port` (0 = ephemeral); resolves once listening, rejects on e.g. EADDRINUSE. */
function listen(fetch: Parameters<typeof serve>[0]['fetch'], port: number, hostname: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/**
 * Plan the project against the warehouse and say, when it is behind, which tables and models and
 * what to run. A failed check (e.g. the warehouse is unreachable) is logged and serving goes on.
 */
async function checkWarehouse(wb: HttpLibrary, logger: ServerLogger): Promise<Drift> {
  try {
    const drift = await wb.deploy.check();
    if (!drift.inSync) {
      const line = describeDrift(drift);
      process.stderr.write(`\n!!! ${line}\n!!! until then, requests on them answer 503 apply_required\n\n`);
      logger.warn(line, { inputs: Object.keys(drift.inputs), models: Object.keys(drift.models), everything: drift.everything, seeds: drift.seeds, refused: drift.refused });
    }
    return drift;
  } catch (err) {
    logger.warn('could not compare the project with the warehouse', { error: err instanceof Error ? err.message : String(err) });
    return wb.deploy.drift;
  }
}

/**
 * Start the HTTP API: the server owns the warehouse connection of `wb` until `close()`.
 * On a DuckDB file it also publishes target/snapshot.duckdb for BI tools and writes
 * target/server.json so that CLI commands go through it.
 */
export async function startServer(wb: HttpLibrary, options: StartServerOptions = {}): Promise<RunningHttpServer> {
  const logger = options.logger ?? jsonLogger();
  const projectDir = options.projectDir ?? wb.project.dir;
  let host = options.host ?? '127.0.0.1';
  // the target the library is connected to decides how people sign in (never a name passed beside it)
  const target = wb.project.targets[wb.targetName];
  if (options.devUser) {
    const refusal = target ? devUserRefusal(target) : undefined;
    if (refusal) throw refusal;
    if (options.auth) throw new UsageError('a dev user cannot be served together with sign-in settings (auth): every request without a credential would be signed in as the dev user');
    if (host !== '127.0.0.1') logger.warn('--dev-user forces the bind address to 127.0.0.1', { requested: host });
    host = '127.0.0.1';
    process.stderr.write(DEV_BANNER(options.devUser.user, options.devUser.role));
    logger.warn('development mode: every request is signed in without a token', { user: options.devUser.user, role: options.devUser.role ?? null });
  }
  const adminToken = randomBytes(32).toString('base64url');
  let snapshot: SnapshotPublisher | undefined;
  let postgres: PgEndpoint | undefined;
  // read (TLS files too) before anything starts, so a bad setting stops the start
  const pgSettings = target ? endpointSettings(target, options.postgres, projectDir) : undefined;
  const sqlSessions: SqlSessionOpener | undefined = options.sqlSessions ?? (wb instanceof Writeback ? (actor, limits, startup) => openSqlSession(wb, actor, limits, startup) : undefined);
  if (pgSettings && !sqlSessions) logger.warn('postgres_endpoint is set but this server was given no SQL sessions (options.sqlSessions): the endpoint is off');
  // The served target's sign-in settings, `{{ env('X') }}` resolved: an unset variable stops the start.
  const auth = options.auth ?? (target ? resolveAuth(target) : undefined);
  // Built first: a sign-in setting that cannot work (e.g. a bad jwks_file) stops the start before anything runs.
  const app = createServer(wb, {
    ...options,
    ...(auth ? { auth } : {}),
    adminToken,
    logger,
    onWrite: () => snapshot?.notify(),
    snapshotStatus: () => snapshot?.status(),
    postgresStatus: () => (postgres ? { url: postgres.url, connections: postgres.connections() } : undefined),
  });
  const drift = options.checkSync === false ? wb.deploy.drift : await checkWarehouse(wb, logger);
  // sessions that ended a month ago can no longer sign anyone in: the table does not grow forever
  if (auth?.sso.kind === 'oidc')
    await wb.sessions.purgeEnded().catch((err: unknown) => logger.warn('could not delete ended sessions', { error: err instanceof Error ? err.message : String(err) }));

  if (options.snapshot !== false) {
    snapshot = await wb.publishSnapshots({
      path: options.snapshot?.path ?? join(projectDir, 'target', 'snapshot.duckdb'),
      delayMs: options.snapshot?.delayMs ?? DEFAULT_SNAPSHOT_DELAY_MS,
      onPublished: (r) => logger.info('snapshot published', { path: r.path, tables: r.tables, views: r.views, bytes: r.bytes, ms: Math.round(r.ms) }),
      onStaleTempsRemoved: (files) => logger.info('deleted temp files of a snapshot publisher that was killed', { files }),
      onError: (err) => logger.error('snapshot failed', { error: err instanceof Error ? err.message : String(err) }),
    });
    await snapshot?.flush();
  }

  let inFlight = 0;
  let closing = false;
  let idle: (() => void)[] = [];
  const fetch = async (request: Request, env: unknown): Promise<Response> => {
    if (closing) {
      const res = failureResponse(apiError('unavailable', 'the server is shutting down'));
      res.headers.set('connection', 'close');
      return res;
    }
    inFlight += 1;
    try {
      return await app.fetch(request, env);
    } finally {
      inFlight -= 1;
      if (inFlight === 0) {
        idle.forEach((f) => f());
        idle = [];
      }
    }
  };

  let server: Server;
  try {
    server = await listen(fetch, options.port ?? DEFAULT_PORT, host);
  } catch (err) {
    await snapshot?.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${options.port ?? DEFAULT_PORT} on ${host} is already in use: pass another --port (0 picks a free one)`);
    }
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (pgSettings && sqlSessions) {
    try {
      if (wb instanceof Writeback) await limitEngineMemory(wb, pgSettings.memoryLimitBytes);
      postgres = await startPgEndpoint({
        ...pgSettings,
        limits: { statementTimeoutMs: pgSettings.statementTimeoutMs, maxRows: pgSettings.maxRows },
        signIn: (token) => wb.tokens.signIn(token),
        openSession: sqlSessions,
        database: wb.project.name,
        viewsSchema: wb.project.schemas.views,
        logger,
      });
    } catch (err) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await snapshot?.close();
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
        throw new UsageError(`port ${pgSettings.port} on ${pgSettings.host} (the Postgres endpoint) is already in use: pass another --postgres-port (0 picks a free one) or --no-postgres`);
      throw err;
    }
  }
  let discoveryFile: string | undefined;
  if (options.discovery !== false) {
    discoveryFile = writeDiscoveryFile(projectDir, {
      pid: process.pid,
      port,
      host,
      admin_token: adminToken,
      started_at: new Date().toISOString(),
      ...(options.targetName ? { target: options.targetName, default_target: options.targetName === wb.project.defaultTarget } : {}),
      ...(postgres ? { postgres_port: postgres.port } : {}),
    });
  }
  logger.info('listening', { url, project: wb.project.name, snapshot: snapshot?.status().path ?? null, postgres: postgres?.url ?? null });
  const stopPruning = pruneIdempotencyEvery(wb, options.idempotencyPruneIntervalMs ?? 3_600_000, logger);

  let closed: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closed) {
      logger.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    logger.info('shutting down', { signal });
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('shutdown failed', { error: err instanceof Error ? err.message : String(err) });
        process.exit(1);
      },
    );
  };
  if (options.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  function close(): Promise<void> {
    closed ??= (async () => {
      closing = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // BI sessions end first: their engine connections must be closed before the warehouse is
      await postgres?.close();
      if (inFlight > 0) await new Promise<void>((resolve) => idle.push(resolve));
      setImmediate(() => server.closeIdleConnections()); // keep-alive sockets whose last response just finished
      const timeout = setTimeout(() => server.closeAllConnections(), options.shutdownTimeoutMs ?? 10_000);
      await stopped;
      clearTimeout(timeout);
      await stopPruning();
      await snapshot?.close();
      if (options.closeLibrary !== false) await wb.close();
      if (discoveryFile) removeDiscoveryFile(projectDir);
      logger.info('stopped', { url });
    })();
    return closed;
  }

  return { port, host, url, adminToken, drift, ...(discoveryFile ? { discoveryFile } : {}), ...(snapshot ? { snapshot } : {}), ...(postgres ? { postgres } : {}), close };
}

/**
 * Delete expired idempotency records now and every `intervalMs` (a failure is logged, never fatal:
 * an unapplied warehouse has no table yet); returns the function that stops it (and waits for a
 * DELETE under way, so the connection is not closed under it). Every instance of
 * a deployment does it: the DELETE is idempotent.
 */
function pruneIdempotencyEvery(wb: HttpLibrary, intervalMs: number, logger: ServerLogger): () => Promise<void> {
  if (!wb.pruneIdempotency || intervalMs <= 0) return async () => undefined;
  const prune = wb.pruneIdempotency.bind(wb);
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= prune()
      .then(
        (deleted) => {
          if (deleted > 0) logger.info('expired idempotency records deleted', { deleted });
        },
        (err: unknown) => logger.warn('deleting expired idempotency records failed', { error: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => (running = undefined));
  };
  const first = setTimeout(run, 0);
  const timer = setInterval(run, intervalMs);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
