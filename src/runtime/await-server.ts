import { findRunningServer, type RunningServer } from './find-running-server.js';
import { readStartingMarker, type StartingMarker } from './starting-marker.js';

/** How long a command waits for a server that is starting, unless `WRITEBACK_SERVER_WAIT_MS` says otherwise. */
export const DEFAULT_SERVER_WAIT_MS = 15_000;

/** The wait bound: `WRITEBACK_SERVER_WAIT_MS` (milliseconds, 0 = do not wait) or the default. */
export function serverWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.WRITEBACK_SERVER_WAIT_MS);
  return env.WRITEBACK_SERVER_WAIT_MS !== undefined && env.WRITEBACK_SERVER_WAIT_MS !== '' && Number.isFinite(n) && n >= 0 ? n : DEFAULT_SERVER_WAIT_MS;
}

/** What {@link awaitServer} found. */
export type ServerState =
  | { kind: 'running'; server: RunningServer }
  | { kind: 'none' }
  /** A server has been starting for longer than the wait: its marker. */
  | { kind: 'starting'; marker: StartingMarker };

export interface AwaitServerOptions {
  /** Give up after this long (default {@link serverWaitMs}). */
  timeoutMs?: number;
  /** Called once when the wait begins (to tell the user). */
  onWait?: (marker: StartingMarker) => void;
  /** Ignore a marker of this process (a server waiting for itself). Default: the current pid. */
  selfPid?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The server running for a project; while one is starting (`target/server.starting`, its process
 * alive), wait until it has published `target/server.json` or gone away, at most `timeoutMs`.
 */
export async function awaitServer(projectDir: string, options: AwaitServerOptions = {}): Promise<ServerState> {
  const deadline = Date.now() + (options.timeoutMs ?? serverWaitMs());
  const self = options.selfPid ?? process.pid;
  let told = false;
  for (;;) {
    const server = findRunningServer(projectDir);
    if (server) return { kind: 'running', server };
    const marker = readStartingMarker(projectDir);
    if (!marker || marker.pid === self) return { kind: 'none' };
    if (Date.now() >= deadline) return { kind: 'starting', marker };
    if (!told) {
      told = true;
      options.onWait?.(marker);
    }
    await sleep(100);
  }
}
