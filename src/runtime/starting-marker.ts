import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from './atomic-file.js';
import { isPidAlive } from './pid-alive.js';

/**
 * `target/server.starting`: written by `serve`/`dev` before they open the warehouse and removed
 * once `target/server.json` is published (or they give up), so a CLI command started at the same
 * moment waits for the server instead of racing it for the DuckDB file.
 */
export const StartingMarkerSchema = z.object({
  /** Process id of the starting server. */
  pid: z.number().int().positive(),
  /** `serve` or `dev`. */
  command: z.string(),
  /** When it started (ISO 8601, UTC). */
  started_at: z.string(),
});

/** Contents of `target/server.starting`. */
export type StartingMarker = z.infer<typeof StartingMarkerSchema>;

/** Path of the starting marker of a project. */
export function startingMarkerPath(projectDir: string): string {
  return join(projectDir, 'target', 'server.starting');
}

/** Say that this process is starting a server for the project (atomically: temp file + rename). */
export function writeStartingMarker(projectDir: string, command: string): void {
  const marker: StartingMarker = { pid: process.pid, command, started_at: new Date().toISOString() };
  writeFileAtomically(startingMarkerPath(projectDir), `${JSON.stringify(marker)}\n`);
}

/** The marker of a server that is starting (its process alive), else `undefined`. */
export function readStartingMarker(projectDir: string): StartingMarker | undefined {
  try {
    const parsed = StartingMarkerSchema.safeParse(JSON.parse(readFileSync(startingMarkerPath(projectDir), 'utf8')));
    return parsed.success && isPidAlive(parsed.data.pid) ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Remove the marker, but only if it names this process. */
export function removeStartingMarker(projectDir: string, pid: number = process.pid): void {
  try {
    const parsed = StartingMarkerSchema.safeParse(JSON.parse(readFileSync(startingMarkerPath(projectDir), 'utf8')));
    if (parsed.success && parsed.data.pid !== pid) return;
  } catch {
    // absent or unreadable: remove whatever is there
  }
  rmSync(startingMarkerPath(projectDir), { force: true });
}
