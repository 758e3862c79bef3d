/**
 * Benchmark 6 — memory: peak RSS (VmHWM) of the server process while it streams the whole
 * 1,000,000-row merged view to a client as JSON, then as CSV. The server runs in a child process;
 * the client reads the body as a stream and counts rows. Target: peak RSS < 300 MB.
 * Run: node --import tsx bench/server-memory.ts [--quick]
 */
import { rmSync } from 'node:fs';
import { startChildServer } from './lib/child-server.js';
import { readProject } from './lib/read-project.js';
import { QUICK, Recorder } from './lib/result.js';

const rec = new Recorder('server-memory', '6. Server memory while streaming a merged view');
const sizes = QUICK
  ? { sourceRows: 200_000, currentRows: 20_000, logEntries: 200_000 }
  : { sourceRows: 1_000_000, currentRows: 100_000, logEntries: 1_000_000 };
console.log(rec.title);

const dir = await readProject(sizes);
const server = await startChildServer(dir);
try {
  const idleKb = server.statusKb('VmRSS');
  /** Stream the view; returns rows, bytes and ms (JSON rows are counted by their opening `{"`, CSV rows by line). */
  async function stream(format: 'json' | 'csv'): Promise<{ rows: number; bytes: number; ms: number }> {
    const t = performance.now();
    const res = await fetch(`${server.url}/api/v1/models/adjusted_facts/rows${format === 'csv' ? '?format=csv' : ''}`);
    if (res.status !== 200 || !res.body) throw new Error(`model read failed: ${res.status} ${await res.text()}`);
    let bytes = 0;
    let rows = 0;
    const decoder = new TextDecoder();
    // the previous chunk's last character is carried over, so a `{"` split across two chunks is seen (once)
    let carried = '';
    for await (const chunk of res.body) {
      bytes += chunk.byteLength;
      const text = carried + decoder.decode(chunk, { stream: true });
      if (format === 'csv') for (let i = text.indexOf('\n', carried.length); i >= 0; i = text.indexOf('\n', i + 1)) rows++;
      else for (let i = text.indexOf('{"'); i >= 0; i = text.indexOf('{"', i + 1)) rows++;
      carried = text.slice(-1);
    }
    // minus the CSV header line, or the JSON body's outer object (`{"rows":[…`)
    return { rows: rows - 1, bytes, ms: performance.now() - t };
  }
  const json = await stream('json');
  const afterJsonKb = server.statusKb('VmHWM');
  const csv = await stream('csv');
  const peakKb = server.statusKb('VmHWM');
  if (json.rows !== sizes.sourceRows || csv.rows !== sizes.sourceRows)
    throw new Error(`streamed ${json.rows} JSON / ${csv.rows} CSV rows, expected ${sizes.sourceRows}`);
  rec.figure('rows streamed (each format)', sizes.sourceRows, 'rows');
  rec.figure('server RSS before streaming', idleKb / 1024, 'MB');
  rec.figure('JSON: bytes', json.bytes / 2 ** 20, 'MiB');
  rec.figure('JSON: rows/s', json.rows / (json.ms / 1000), 'rows/s');
  rec.figure('peak RSS after the JSON stream', afterJsonKb / 1024, 'MB');
  rec.figure('CSV: bytes', csv.bytes / 2 ** 20, 'MiB');
  rec.figure('CSV: rows/s', csv.rows / (csv.ms / 1000), 'rows/s');
  rec.check('server peak RSS (VmHWM) while streaming the view', peakKb / 1024, 'MB', '< 300 MB', peakKb / 1024 < 300);
  rec.note('Peak = VmHWM of the server process from /proc/<pid>/status (it includes start-up: tsx, DuckDB, the project); the client is a separate process.');
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
rec.save();
