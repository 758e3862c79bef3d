import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimSnapshotTempPath, releaseSnapshotTempPath, removeStaleSnapshotTemps } from '../../../src/snapshot/snapshot-temp-files.js';

/** The id of a process that has exited. */
function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  return new Promise((done) => child.once('exit', () => done(child.pid!)));
}

describe('temp files of a killed snapshot publisher', () => {
  let dir: string;
  let path: string;
  const touch = (...names: string[]) => names.forEach((n) => writeFileSync(join(dir, n), ''));
  const files = () => readdirSync(dir).sort();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wb-snap-temps-'));
    path = join(dir, 'snapshot.duckdb');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("deletes those of a process that has exited, of this pid's earlier run and of earlier versions, with their WALs", async () => {
    const dead = await deadPid();
    touch('snapshot.duckdb', `snapshot.duckdb.${dead}.0a1b2c3d4e5f.tmp`, `snapshot.duckdb.${dead}.0a1b2c3d4e5f.tmp.wal`, `snapshot.duckdb.${process.pid}.ffee00112233.tmp`, 'snapshot.duckdb.3c4d5e6f7a8b.tmp');
    expect(removeStaleSnapshotTemps(path).sort()).toEqual(
      [`snapshot.duckdb.${dead}.0a1b2c3d4e5f.tmp`, `snapshot.duckdb.${dead}.0a1b2c3d4e5f.tmp.wal`, `snapshot.duckdb.${process.pid}.ffee00112233.tmp`, 'snapshot.duckdb.3c4d5e6f7a8b.tmp'].sort(),
    );
    expect(files()).toEqual(['snapshot.duckdb']);
  });

  it('keeps those of another live process, the one this process is writing, and files that are not its temps', async () => {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const mine = claimSnapshotTempPath(path);
      touch(basename(mine), `${basename(mine)}.wal`, `snapshot.duckdb.${sleeper.pid}.abcdef012345.tmp`, 'snapshot.duckdb.wal', 'other.duckdb.1.0a1b2c3d4e5f.tmp', 'snapshot.duckdb.notes.tmp', 'snapshot.duckdb.1.abc.tmp');
      expect(removeStaleSnapshotTemps(path)).toEqual([]);
      releaseSnapshotTempPath(mine);
      expect(files()).toEqual(['other.duckdb.1.0a1b2c3d4e5f.tmp', 'snapshot.duckdb.1.abc.tmp', 'snapshot.duckdb.notes.tmp', `snapshot.duckdb.${sleeper.pid}.abcdef012345.tmp`, 'snapshot.duckdb.wal'].sort());
    } finally {
      sleeper.kill();
    }
  });

  it('answers nothing when the directory does not exist yet', () => {
    expect(removeStaleSnapshotTemps(join(dir, 'missing', 'snapshot.duckdb'))).toEqual([]);
  });
});
