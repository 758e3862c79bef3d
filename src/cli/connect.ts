import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { Adapter } from '../adapters/adapter.js';
import { UsageError, WarehouseLockedError } from '../adapters/usage-error.js';
import type { Project, TargetConfig } from '../ir/types.js';
import { awaitServer, isWritebackProcess, processCommand, serverWaitMs, type RunningServer, type StartingMarker } from '../runtime/index.js';
import { paintErr } from './output.js';

/** A connection the command opened itself, or the server that holds the warehouse (found while trying). */
export type Opened = { adapter: Adapter; server?: undefined } | { server: RunningServer; adapter?: undefined };

export interface OpenOptions {
  readOnly?: boolean;
  /** `serve`/`dev`: a server already holding the project is an error, not a way in. */
  forServer?: boolean;
}

/** `writeback dev`/`serve` on a command line: a holder that will not let go by itself. */
const LONG_RUNNING = /\s(dev|serve)(\s|$)/;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Tell a person at a terminal why the command pauses (once). */
export function sayWaiting(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(paintErr('dim', `${text}\n`));
}

/** A starting server we waited for in vain. */
export function stillStarting(marker: StartingMarker, projectDir: string): UsageError {
  return new UsageError(
    `writeback ${marker.command} (pid ${marker.pid}) has been starting for this project since ${marker.started_at} and is not serving yet ` +
      `(waited ${Math.round(serverWaitMs() / 1000)} s; WRITEBACK_SERVER_WAIT_MS sets the wait): wait for its "serving" line, or stop it. ` +
      `If no server is starting, delete ${relative(process.cwd(), `${projectDir}/target/server.starting`) || 'target/server.starting'}.`,
  );
}

/** `serve`/`dev` when a server already holds the project. */
export function alreadyServing(server: RunningServer): UsageError {
  return new UsageError(
    `a writeback server (pid ${server.pid}) already serves this project at ${server.url} and holds its warehouse: ` +
      'stop it first (one process holds a DuckDB file), or use it: every writeback command goes through it.',
  );
}

/** The message for a warehouse file held by a process that is not a writeback server. */
function lockedMessage(err: WarehouseLockedError, projectDir: string, writeback: boolean | undefined): string {
  const file = relative(projectDir, err.path) || err.path;
  if (err.pid === undefined) {
    return `${file} is held by another process: a DuckDB file has one writer at a time, so this command cannot open it. Stop that process and run the command again.`;
  }
  const command = processCommand(err.pid);
  const who = `process ${err.pid}${command ? ` (${command.length > 120 ? `${command.slice(0, 117)}…` : command})` : ''}`;
  if (writeback && command !== undefined && LONG_RUNNING.test(command)) {
    return `${file} is held by ${who}, a writeback server that serves no API (--no-serve, or still applying): stop it, or run it without --no-serve so commands can go through it.`;
  }
  if (writeback) {
    return `${file} is held by another writeback command, ${who}, for longer than ${Math.round(serverWaitMs() / 1000)} s: let it finish (or stop it), then run this command again.`;
  }
  return (
    `${file} is held by ${who}, which is not a writeback server: a DuckDB file has one writer at a time, so this command cannot open it. ` +
    'Stop that process and run the command again (BI tools and other readers should open target/snapshot.duckdb, which `writeback serve` publishes).'
  );
}

/**
 * Open the target's warehouse for this command. A DuckDB file another process holds is not the
 * end: when a writeback server has started meanwhile the command goes through it (or, for
 * `serve`/`dev`, says so); while another writeback command holds it, the open is retried for a
 * few seconds (`WRITEBACK_SERVER_WAIT_MS`); any other holder is named, with what to do.
 */
export async function openWarehouse(project: Pick<Project, 'dir' | 'schemas'>, target: TargetConfig, options: OpenOptions = {}): Promise<Opened> {
  const { duckdbPath, openAdapter } = await import('../adapters/registry.js');
  if (options.readOnly && target.type === 'duckdb' && target.path !== ':memory:' && !existsSync(duckdbPath(project, target))) {
    throw new UsageError(`${relative(process.cwd(), duckdbPath(project, target)) || target.path} does not exist yet: run \`writeback apply\` first`);
  }
  const deadline = Date.now() + serverWaitMs();
  let told = false;
  for (;;) {
    try {
      return { adapter: await openAdapter(project, target, options.readOnly ? { readOnly: true } : {}) };
    } catch (err) {
      if (!(err instanceof WarehouseLockedError)) throw err;
      const state = await awaitServer(project.dir, { onWait: (m) => sayWaiting(`waiting for writeback ${m.command} (pid ${m.pid}) to start…`) });
      if (state.kind === 'running') {
        if (options.forServer) throw alreadyServing(state.server);
        return { server: state.server };
      }
      if (state.kind === 'starting') throw stillStarting(state.marker, project.dir);
      const writeback = err.pid === undefined ? undefined : isWritebackProcess(err.pid);
      const holder = err.pid === undefined ? undefined : processCommand(err.pid);
      const waitFor = writeback !== false && !(holder !== undefined && LONG_RUNNING.test(holder));
      if (!waitFor || Date.now() >= deadline) throw new UsageError(lockedMessage(err, project.dir, writeback));
      if (!told) {
        told = true;
        sayWaiting(`waiting for process ${err.pid ?? '?'}, which holds ${relative(project.dir, err.path) || err.path}…`);
      }
      await sleep(150);
    }
  }
}
