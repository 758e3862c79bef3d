import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from './atomic-file.js';

/**
 * The discovery file a running `writeback serve` writes under `<project>/target/server.json`
 * (mode 0600, readable only by its owner) so that CLI commands can go through the server
 * instead of opening the DuckDB file the server holds.
 */
export const DiscoveryFileSchema = z.object({
  /** Process id of the server. */
  pid: z.number().int().positive(),
  /** Port it listens on. */
  port: z.number().int().positive(),
  /** Address it is bound to (`127.0.0.1`, `0.0.0.0`, …). */
  host: z.string(),
  /** Bearer credential for `/api/v1/admin/*`; valid for this server process only. */
  admin_token: z.string().min(32),
  /** When the server started (ISO 8601, UTC). */
  started_at: z.string(),
  /** The warehouse file the server holds, when the target is a DuckDB file. */
  database: z.string().optional(),
  /** Name of the target it serves (absent in files of older servers: then any). */
  target: z.string().optional(),
  /** Whether that target is the project's `default_target` (what a command without `--target` means). */
  default_target: z.boolean().optional(),
  /** Port of the Postgres endpoint for BI tools, when it is on. */
  postgres_port: z.number().int().positive().optional(),
});

/** Contents of `target/server.json`. */
export type DiscoveryFile = z.infer<typeof DiscoveryFileSchema>;

/** Path of the discovery file of a project. */
export function discoveryFilePath(projectDir: string): string {
  return join(projectDir, 'target', 'server.json');
}

/** Write the discovery file atomically with mode 0600 (temp file + rename). */
export function writeDiscoveryFile(projectDir: string, info: DiscoveryFile): string {
  const path = discoveryFilePath(projectDir);
  writeFileAtomically(path, `${JSON.stringify(info, null, 2)}\n`, 0o600);
  return path;
}

/** Read and check the discovery file; `undefined` when absent or unreadable. */
export function readDiscoveryFile(projectDir: string): DiscoveryFile | undefined {
  let text: string;
  try {
    text = readFileSync(discoveryFilePath(projectDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = DiscoveryFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Remove the discovery file, but only if it still names this process (a newer server may own it). */
export function removeDiscoveryFile(projectDir: string, pid: number = process.pid): void {
  const current = readDiscoveryFile(projectDir);
  if (current && current.pid !== pid) return;
  rmSync(discoveryFilePath(projectDir), { force: true });
}
