import { resolve } from 'node:path';
import type { Command } from 'commander';
import { globals, loadOrExit, UsageError, type GlobalOptions } from '../context.js';
import { paint } from '../output.js';
import { osUser } from '../user.js';
import { examples } from '../help.js';
import { alreadyServing, openWarehouse } from '../connect.js';
import { collect, parsePairs, wholeNumber } from '../options.js';
import type { Writeback } from '../../library/index.js';
import type { Actor } from '../../auth/actor.js';
import type { RunningHttpServer } from '../../server/index.js';
import type { Project, TargetConfig } from '../../ir/types.js';
import type { PostgresOverride } from '../../pgwire/endpoint-settings.js';
import { awaitServer, DEFAULT_PORT, readStartingMarker, removeStartingMarker, writeStartingMarker } from '../../runtime/index.js';

/** Flags shared by `serve` and `dev`. */
export interface ServeFlags {
  port: string;
  host: string;
  devUser?: string;
  role?: string;
  attr: string[];
  bodyLimit?: string;
  snapshotDelay?: string;
  snapshot: boolean;
  postgresPort?: string;
  postgres: boolean;
}

/** Declare the serving flags on a command (`serve`, `dev`). */
export function serveOptions(command: Command): Command {
  return command
    .option('--port <n>', 'port to listen on (0 = any free port)', String(DEFAULT_PORT))
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--dev-user <name>', 'DEVELOPMENT ONLY: sign every request in as this user, without a token (binds 127.0.0.1)')
    .option('--role <role>', 'role of --dev-user (default: every permission)')
    .option('--attr <key=value>', 'attribute of --dev-user for row filters (repeatable)', collect, [])
    .option('--body-limit <bytes>', 'largest request body accepted (413 above it)')
    .option('--snapshot-delay <ms>', 'publish the BI snapshot this long after the last write', '500')
    .option('--no-snapshot', 'do not publish target/snapshot.duckdb for BI tools')
    .option('--postgres-port <n>', 'serve the Postgres endpoint for BI tools on this port (0 = any free port); default: postgres_endpoint of the target')
    .option('--no-postgres', 'do not serve the Postgres endpoint, even when postgres_endpoint is set');
}

/** The serving flags, checked against the project before anything is opened. */
export interface ServeSettings {
  port: number;
  host: string;
  devUser?: Actor;
  bodyLimitBytes?: number;
  snapshot: false | { delayMs: number };
  /** `--no-postgres` (false) or `--postgres-port`; absent = the target's postgres_endpoint. */
  postgres?: PostgresOverride;
}

/** Check the serving flags for the served target (a usage error names the flag). */
export async function serveSettings(project: Project, target: TargetConfig, flags: ServeFlags): Promise<ServeSettings> {
  const { identityProblem } = await import('../../auth/tokens.js');
  const { devUserRefusal } = await import('../../auth/auth-config.js');
  const refusal = flags.devUser ? devUserRefusal(target) : undefined;
  if (refusal) throw refusal;
  const port = wholeNumber(flags.port, '--port', 0, 65535);
  if (!flags.postgres && flags.postgresPort !== undefined) throw new UsageError('give --postgres-port or --no-postgres, not both');
  const postgres: PostgresOverride | undefined = !flags.postgres ? false : flags.postgresPort !== undefined ? { port: wholeNumber(flags.postgresPort, '--postgres-port', 0, 65535) } : undefined;
  if (postgres && target.type !== 'duckdb')
    throw new UsageError(`--postgres-port: the Postgres endpoint serves DuckDB targets only; target '${target.name}' is ${target.type}: BI tools connect to that warehouse itself`);
  if ((flags.role || flags.attr.length > 0) && !flags.devUser) throw new UsageError('--role and --attr only apply with --dev-user');
  const attributes = parsePairs(flags.attr, '--attr');
  const devUser: Actor | undefined = flags.devUser
    ? { user: flags.devUser, ...(flags.role ? { role: flags.role } : {}), ...(flags.attr.length > 0 ? { attributes } : {}) }
    : undefined;
  // the same identity rules as a token's: a role whose row filters read an attribute needs it
  const problem = devUser?.role !== undefined ? identityProblem(project, devUser.user, devUser.role, attributes) : undefined;
  if (problem) throw new UsageError(`--dev-user: ${problem.message}${problem.details.length > 0 ? ` (give it with --attr ${problem.details.map((d) => `${d.column}=…`).join(' --attr ')})` : ''}`);
  return {
    port,
    host: flags.host,
    ...(devUser ? { devUser } : {}),
    ...(flags.bodyLimit !== undefined ? { bodyLimitBytes: wholeNumber(flags.bodyLimit, '--body-limit', 1) } : {}),
    snapshot: flags.snapshot ? { delayMs: wholeNumber(flags.snapshotDelay ?? '500', '--snapshot-delay', 0) } : false,
    ...(postgres !== undefined ? { postgres } : {}),
  };
}

/** A running server. */
export interface Served {
  server: RunningHttpServer;
}

/** Serve the API over a library; on failure (e.g. the port is taken) the library and its connection are closed. */
export async function serveProject(wb: Writeback, targetName: string, settings: ServeSettings): Promise<Served> {
  try {
    const { applyThroughServer, startServer } = await import('../../server/index.js');
    const server = await startServer(wb, {
      port: settings.port,
      host: settings.host,
      targetName,
      handleSignals: true,
      ...(settings.devUser ? { devUser: settings.devUser } : {}),
      ...(settings.bodyLimitBytes !== undefined ? { bodyLimitBytes: settings.bodyLimitBytes } : {}),
      snapshot: settings.snapshot,
      ...(settings.postgres !== undefined ? { postgres: settings.postgres } : {}),
      apply: applyThroughServer(wb, { defaultUser: osUser() }),
    });
    return { server };
  } catch (err) {
    await wb.close();
    throw err;
  }
}

/**
 * Refuse to start a second server for a project (one process holds a DuckDB file), then say that
 * this process is starting one (`target/server.starting`), so CLI commands wait for it.
 */
export async function claimServerStart(projectDir: string, command: 'serve' | 'dev'): Promise<void> {
  const state = await awaitServer(projectDir, { timeoutMs: 0 });
  if (state.kind === 'running') throw alreadyServing(state.server);
  const other = readStartingMarker(projectDir);
  if (other && other.pid !== process.pid) {
    throw new UsageError(`writeback ${other.command} (pid ${other.pid}) is already starting for this project: one server per project (a DuckDB file has one writer)`);
  }
  writeStartingMarker(projectDir, command);
}

/** Open the target's warehouse for a server: waits while a writeback command finishes with it; a server already holding it is an error. */
export async function openForServer(project: Project, target: TargetConfig): Promise<Writeback> {
  const opened = await openWarehouse(project, target, { forServer: true });
  if (!opened.adapter) throw alreadyServing(opened.server);
  const { createWriteback } = await import('../../library/index.js');
  return createWriteback(project, opened.adapter, { targetName: target.name, ownsAdapter: true });
}

/** Print where the API, the form and the BI snapshot are. */
export function announce(project: Project, server: RunningHttpServer, stopHint = true): void {
  console.log(`${paint('green', '✓')} serving ${project.name} on ${paint('bold', server.url)}`);
  console.log(`  Forms:    ${server.url}/`);
  console.log(`  API:      ${server.url}/api/v1/inputs   (OpenAPI: ${server.url}/api/v1/openapi.json)`);
  const snapshot = server.snapshot?.status().path;
  if (server.postgres) console.log(`  Postgres endpoint: ${server.postgres.url}   (BI tools and psql: any user name, an API token as password)`);
  if (snapshot) console.log(`  Snapshot: ${snapshot} (read-only copy for DuckDB readers, refreshed after writes; reopen it to see newer data)`);
  if (stopHint) console.log(paint('dim', '  Ctrl-C to stop'));
}

export function registerServe(program: Command): void {
  const cmd = serveOptions(
    program
      .command('serve')
      .description('serve the write API, the planner forms and the BI snapshot; owns the DuckDB file while it runs (other commands go through it)'),
  ).action(async (flags: ServeFlags, command: Command) => {
    const opts: GlobalOptions = globals(command);
    const dir = resolve(opts.project);
    await claimServerStart(dir, 'serve');
    let served: Served;
    try {
      const project = await loadOrExit(opts);
      const { resolveTarget } = await import('../../adapters/registry.js');
      const target = resolveTarget(project, opts.target);
      const settings = await serveSettings(project, target, flags);
      const wb = await openForServer(project, target);
      served = await serveProject(wb, target.name, settings);
      announce(project, served.server);
    } finally {
      removeStartingMarker(dir);
    }
    // The server stops itself on SIGINT/SIGTERM (handleSignals) and closes the warehouse connection.
    await new Promise<void>(() => undefined);
  });
  examples(cmd, [
    ['writeback serve', 'serve the project on 127.0.0.1:4580'],
    ['writeback serve --host 0.0.0.0 --port 8080', 'serve the team (tokens: `writeback token create`)'],
    ['writeback serve --dev-user ana --role planner --attr region=EMEA', 'try the forms as a planner, without tokens'],
    ['writeback serve --postgres-port 5433', 'also serve BI tools over the Postgres protocol (psql -h 127.0.0.1 -p 5433, password: an API token)'],
  ]);
}
