import { identityProblem } from '../../auth/tokens.js';
import type { Command } from 'commander';
import { globals, loadOrExit, UsageError, type GlobalOptions } from '../context.js';
import { paint } from '../output.js';
import { osUser } from '../user.js';
import { collect, parsePairs } from './history.js';
import { resolveTarget, openAdapter } from '../../adapters/registry.js';
import { createWriteback } from '../../library/index.js';
import type { Actor } from '../../auth/actor.js';
import { applyThroughServer, DEFAULT_PORT, startServer, type RunningHttpServer } from '../../server/index.js';
import type { Project } from '../../ir/types.js';
import type { Adapter } from '../../adapters/adapter.js';

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
    .option('--no-snapshot', 'do not publish target/snapshot.duckdb for BI tools');
}

/** A running server with the library it serves and its apply hook (what `dev` re-applies through). */
export interface Served {
  server: RunningHttpServer;
  apply: ReturnType<typeof applyThroughServer>;
}

/** Serve the API on an open connection to the project's target. */
export async function serveProject(
  project: Project,
  adapter: Adapter,
  targetName: string,
  flags: ServeFlags,
  ownsAdapter: boolean,
): Promise<Served> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, got '${flags.port}'`);
  if ((flags.role || flags.attr.length > 0) && !flags.devUser) throw new UsageError('--role and --attr only apply with --dev-user');
  const attributes = parsePairs(flags.attr, '--attr');
  const devUser: Actor | undefined = flags.devUser
    ? { user: flags.devUser, ...(flags.role ? { role: flags.role } : {}), ...(flags.attr.length > 0 ? { attributes } : {}) }
    : undefined;
  // the same identity rules as a token's: a role whose row filters read an attribute needs it
  const problem = devUser?.role !== undefined ? identityProblem(project, devUser.user, devUser.role, attributes) : undefined;
  if (problem) throw new UsageError(`--dev-user: ${problem.message}${problem.details.length > 0 ? ` (give it with --attr ${problem.details.map((d) => `${d.column}=…`).join(' --attr ')})` : ''}`);
  const wb = await createWriteback(project, adapter, { targetName, ownsAdapter });
  const apply = applyThroughServer(wb, { defaultUser: osUser() });
  const server = await startServer(wb, {
    port,
    host: flags.host,
    targetName,
    handleSignals: true,
    ...(devUser ? { devUser } : {}),
    ...(flags.bodyLimit ? { bodyLimitBytes: Number(flags.bodyLimit) } : {}),
    snapshot: flags.snapshot ? { delayMs: Number(flags.snapshotDelay ?? 500) } : false,
    apply,
  });
  return { server, apply };
}

/** Print where the API, the form and the BI snapshot are. */
export function announce(project: Project, server: RunningHttpServer): void {
  console.log(`${paint('green', '✓')} serving ${project.name} on ${paint('bold', server.url)}`);
  console.log(`  Forms:    ${server.url}/`);
  console.log(`  API:      ${server.url}/api/v1/inputs   (OpenAPI: ${server.url}/api/v1/openapi.json)`);
  const snapshot = server.snapshot?.status().path;
  if (snapshot) console.log(`  BI tools: open ${snapshot} read-only (refreshed after writes)`);
  console.log(paint('dim', '  Ctrl-C to stop'));
}

export function registerServe(program: Command): void {
  serveOptions(
    program
      .command('serve')
      .description('serve the write API (and BI snapshot) for the project; owns the DuckDB file while it runs'),
  ).action(async (flags: ServeFlags, command: Command) => {
    const opts: GlobalOptions = globals(command);
    const project = await loadOrExit(opts);
    const target = resolveTarget(project, opts.target);
    const adapter = await openAdapter(project, target);
    const { server } = await serveProject(project, adapter, target.name, flags, true);
    announce(project, server);
    // The server stops itself on SIGINT/SIGTERM (handleSignals) and closes the warehouse connection.
    await new Promise<void>(() => undefined);
  });
}
