import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Temp paths this process is writing now: never stale. */
const inUse = new Set<string>();

/**
 * A new temp path next to the snapshot, `<snapshot>.<pid>.<random>.tmp` (DuckDB adds `.wal`
 * while it writes): the pid tells a starting server whether the writer is still alive.
 */
export function claimSnapshotTempPath(path: string): string {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  inUse.add(tmp);
  return tmp;
}

/** Remove a temp file and its WAL (both may be absent) and forget the claim. */
export function releaseSnapshotTempPath(tmp: string): void {
  rmSync(tmp, { force: true });
  rmSync(`${tmp}.wal`, { force: true });
  inUse.delete(tmp);
}

/** Forget a claim whose file was renamed into place. */
export function forgetSnapshotTempPath(tmp: string): void {
  inUse.delete(tmp);
}

/** True when a process with this id runs (EPERM: it runs under another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Delete the temp files (and their `.wal`) that a publisher of `path` left behind when it was
 * killed mid-copy: those of a process that no longer runs, of an earlier run of this process id
 * (a restarted container gets the same pid) that this process is not writing, and the pid-less
 * names of earlier versions. Those of another live process are left alone. Returns the names removed.
 */
export function removeStaleSnapshotTemps(path: string): string[] {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(?:(\d+)\.)?[0-9a-f]{12}\.tmp(?:\.wal)?$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const full = join(dir, name);
    const pid = m[1] === undefined ? undefined : Number(m[1]);
    if (inUse.has(full.replace(/\.wal$/, ''))) continue;
    if (pid !== undefined && pid !== process.pid && processAlive(pid)) continue;
    rmSync(full, { force: true });
    removed.push(name);
  }
  return removed;
}
