import type { Adapter } from '../adapters/adapter.js';
import { writeSnapshot, type SnapshotResult, type WriteSnapshotOptions } from './write-snapshot.js';
import { removeStaleSnapshotTemps } from './snapshot-temp-files.js';

/** Default delay between an acknowledged write and the start of the snapshot that includes it. */
export const DEFAULT_SNAPSHOT_DELAY_MS = 500;

/** Options of {@link createSnapshotPublisher}. */
export interface SnapshotPublisherOptions extends WriteSnapshotOptions {
  /** Wait this long after the first unpublished write before copying, so a burst becomes one snapshot. Default 500. */
  delayMs?: number;
  /** Called after each published snapshot (for logs and measurements). */
  onPublished?: (result: SnapshotResult) => void;
  /** Called when a snapshot fails; the next write schedules another attempt. */
  onError?: (err: unknown) => void;
  /** Called once at creation with the temp files of a killed publisher that were deleted. */
  onStaleTempsRemoved?: (names: string[]) => void;
}

/** What the publisher last did, for `/healthz`. */
export interface SnapshotStatus {
  path: string;
  delayMs: number;
  lastPublishedAt?: string;
  lastDurationMs?: number;
  /** Size of the last published file in bytes. */
  lastBytes?: number;
  lastError?: string;
  pending: boolean;
}

/** Publishes `target/snapshot.duckdb` after writes; see {@link createSnapshotPublisher}. */
export interface SnapshotPublisher {
  /** Tell the publisher that a write was acknowledged. */
  notify(): void;
  /** Publish now (or wait for the running snapshot and publish again if writes came meanwhile). */
  flush(): Promise<void>;
  /** Current status. */
  status(): SnapshotStatus;
  /** Publish what is unpublished, then stop. The connection is not closed. */
  close(): Promise<void>;
}

/**
 * A throttled snapshot publisher. The first write after a snapshot starts a timer of `delayMs`
 * (later writes do not push it back, so a steady stream of writes cannot starve it); when it
 * fires, what BI tools read is copied (see {@link writeSnapshot}). Writes acknowledged while a
 * copy runs are published by the next one. So a write acknowledged at time t is visible in the
 * snapshot by t + delayMs + (at most two snapshot durations).
 * Creating one deletes the temp files a killed publisher of the same path left behind (see
 * {@link removeStaleSnapshotTemps}).
 */
export function createSnapshotPublisher(conn: Adapter, options: SnapshotPublisherOptions): SnapshotPublisher {
  const delayMs = options.delayMs ?? DEFAULT_SNAPSHOT_DELAY_MS;
  const stale = removeStaleSnapshotTemps(options.path);
  if (stale.length > 0) options.onStaleTempsRemoved?.(stale);
  let dirty = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const state: SnapshotStatus = { path: options.path, delayMs, pending: false };

  const runOnce = async (): Promise<void> => {
    dirty = false;
    try {
      const result = await writeSnapshot(conn, options);
      state.lastPublishedAt = new Date().toISOString();
      state.lastDurationMs = Math.round(result.ms);
      state.lastBytes = result.bytes;
      delete state.lastError;
      options.onPublished?.(result);
    } catch (err) {
      state.lastError = err instanceof Error ? err.message : String(err);
      dirty = true;
      options.onError?.(err);
    }
  };

  const start = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (running) return running;
    running = runOnce().finally(() => {
      running = undefined;
      if (dirty && !closed && !state.lastError) schedule();
    });
    return running;
  };

  function schedule(): void {
    if (timer || closed) return;
    timer = setTimeout(() => void start(), delayMs);
    timer.unref();
  }

  return {
    notify() {
      dirty = true;
      if (!running) schedule();
    },
    async flush() {
      if (running) await running;
      await start();
    },
    status: () => ({ ...state, pending: dirty || running !== undefined }),
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (running) await running;
      if (dirty) await runOnce();
    },
  };
}
