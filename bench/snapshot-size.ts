/**
 * Benchmark — the BI snapshot as the log grows: the applied demo, its snapshot published at 0 log
 * entries, with 1,000 forecast rows, and after 100,000 more log entries on those same 1,000 keys
 * (the state keeps its rows, the log grows). Size of the published file and publish time (fastest
 * of 3) at each point; the check: the file does not grow with the log.
 * Run: node --import tsx bench/snapshot-size.ts [--quick]
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openProject } from '../src/library/open-project.js';
import { applyDemoProject } from '../test/integration/server/demo-project.js';
import { QUICK, Recorder } from './lib/result.js';

const rec = new Recorder('snapshot-size', 'BI snapshot size and publish time as the log grows');
const ENTRIES = QUICK ? 20_000 : 100_000;
const KEYS = 1_000;
console.log(rec.title);

const dir = await applyDemoProject();
const wb = await openProject(dir);
const path = join(dir, 'target', 'snapshot.duckdb');
const publisher = await wb.publishSnapshots({ path, delayMs: 3_600_000 });
if (!publisher) throw new Error('the demo is a DuckDB file: it must publish snapshots');

/** Publish 3 times; the file's size and the fastest publish. */
async function publish(): Promise<{ bytes: number; ms: number }> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    publisher!.notify();
    await publisher!.flush();
    const status = publisher!.status();
    if (status.lastError) throw new Error(status.lastError);
    times.push(status.lastDurationMs ?? Number.NaN);
  }
  return { bytes: statSync(path).size, ms: Math.min(...times) };
}

const accounts = Array.from({ length: 60 }, (_, i) => `acc_${String(i + 1).padStart(3, '0')}`);
const keys = Array.from({ length: KEYS }, (_, i) => ({ account_id: accounts[i % 60]!, quarter: `${2000 + Math.floor(i / 240)}-Q${(Math.floor(i / 60) % 4) + 1}` }));
const write = async (round: number) => {
  const r = await wb.inputs.write('revenue_forecast', keys.map((k, i) => ({ ...k, amount: `${(round * 7 + i) % 100_000}.${String(round % 100).padStart(2, '0')}` })), { user: 'bench' });
  if (!r.ok) throw new Error(JSON.stringify(r.error).slice(0, 500));
};

const empty = await publish();
await write(0);
const before = await publish();
for (let round = 1; round < ENTRIES / KEYS + 1; round++) await write(round);
const after = await publish();
await publisher.close();
await wb.close();
rmSync(dir, { recursive: true, force: true });

const MiB = (b: number) => b / 1024 / 1024;
rec.figure('snapshot at 0 log entries', MiB(empty.bytes), 'MiB');
rec.figure(`snapshot with ${KEYS} state rows (${KEYS} log entries)`, MiB(before.bytes), 'MiB');
rec.figure(`snapshot after ${ENTRIES} more log entries (still ${KEYS} state rows)`, MiB(after.bytes), 'MiB');
rec.figure('publish at 0 log entries (fastest of 3)', empty.ms, 'ms');
rec.figure(`publish with ${KEYS} state rows (fastest of 3)`, before.ms, 'ms');
rec.figure(`publish after ${ENTRIES} more log entries (fastest of 3)`, after.ms, 'ms');
const growth = after.bytes / before.bytes;
rec.check(`snapshot size after ${ENTRIES} log entries vs before`, growth, '×', '≤ 1.15× (flat)', growth <= 1.15);
rec.note('The snapshot copies the merged views\' inputs (state, scenario and pending tables, sources), never the write logs; the history views read the logs and are left out.');
rec.note('A copy of the whole file grew by about 1 MB per 10,000 log entries (13.6 MB after 100,000 on the same data, publish ~1.1 s).');
rec.save();
