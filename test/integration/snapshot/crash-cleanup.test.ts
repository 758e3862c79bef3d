import { execFile } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../../helpers/cli.js';
import { builtArgv } from '../../helpers/built.js';
import { appliedDemoProject } from '../server/demo-project.js';

const run = promisify(execFile);
const READ_CHILD = join(import.meta.dirname, '../server/read-snapshot-child.ts');
/** Servers killed at most, until one dies with a temp file in place (each kill is aimed at a publish in progress). */
const MAX_KILLS = 5;

const ACCOUNTS = Array.from({ length: 60 }, (_, i) => `acc_${String(i + 1).padStart(3, '0')}`);
const QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];

/** Temp files of snapshot publishers (and their WALs) in `target/`. */
const temps = (dir: string) => readdirSync(join(dir, 'target')).filter((f) => f.startsWith('snapshot.duckdb.') && /\.tmp(\.wal)?$/.test(f));

/** `writeback serve` of the project in `dir` (administrator dev user, any free port), once it listens. */
async function serve(dir: string) {
  const server = startCli(['serve', '--port', '0', '--dev-user', 'crash', '--snapshot-delay', '0'], { cwd: dir });
  const [, url] = await server.waitFor(/serving \S+ on (http:\/\/\S+)/, 60_000);
  return { server, url: url! };
}

/** A separate process opens the snapshot read-only and reads a merged view. */
async function readSnapshot(dir: string): Promise<{ seen: boolean; tables: string[] }> {
  const sql = 'select count(*) > 0 from planning.account_forecast';
  const { stdout } = await run(process.execPath, [...builtArgv(READ_CHILD), join(dir, 'target', 'snapshot.duckdb'), sql, 'true', '1']);
  return JSON.parse(stdout) as { seen: boolean; tables: string[] };
}

describe('a server killed while it publishes the BI snapshot', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await appliedDemoProject();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves a temp file that the next server deletes at start; the published snapshot opens throughout', async () => {
    let left: string[] = [];
    let kills = 0;
    for (; kills < MAX_KILLS && left.length === 0; kills++) {
      const { server, url } = await serve(dir);
      const exited = new Promise<void>((done) => server.child.once('exit', () => done()));
      let killed = false;
      // writes in a loop: each one schedules a publish (no delay), so a copy is nearly always running
      const writer = (async () => {
        for (let n = 0; !killed; n++) {
          const rows = ACCOUNTS.map((account_id, i) => ({ account_id, quarter: QUARTERS[(n + i) % 4]!, amount: `${n}.${String(i).padStart(2, '0')}` }));
          await fetch(`${url}/api/v1/inputs/revenue_forecast/rows`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ rows }),
          }).catch(() => undefined);
        }
      })();
      // kill as soon as a temp file appears, i.e. in the middle of a publish
      while (temps(dir).length === 0 && server.child.exitCode === null) await new Promise((r) => setTimeout(r, 2));
      server.child.kill('SIGKILL');
      killed = true;
      await exited;
      await writer;
      left = temps(dir);
    }
    expect(left.length, `no kill out of ${MAX_KILLS} landed while a temp file existed`).toBeGreaterThan(0);
    console.log(`SIGKILL ${kills}× until a publish was cut short; left behind: ${left.join(', ')}`);
    // the rename is atomic: the last published snapshot is whole, the temp file did not replace it
    expect((await readSnapshot(dir)).seen).toBe(true);

    const { server } = await serve(dir);
    try {
      expect(temps(dir)).toEqual([]);
      const seen = await readSnapshot(dir);
      expect(seen.seen).toBe(true);
      expect(seen.tables).not.toContain('revenue_forecast__log');
      expect(existsSync(join(dir, 'target', 'snapshot.duckdb.wal'))).toBe(false);
    } finally {
      await server.stop();
    }
  });
});
