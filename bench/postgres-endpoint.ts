/**
 * Benchmark 9 — the Postgres endpoint: (a) how soon an acknowledged API write is visible to a BI
 * connection that stays open, measured from a separate process (this one; the server runs in a
 * child process): p50/p99 over ≥ 200 single-row writes, from the write's 200 to the first query of
 * the open pg connection that returns the new value (target < 50 ms p99); (b) read throughput of a
 * merged view through the endpoint (pg, text format, every row to the client) vs the same query run
 * directly on DuckDB (rows materialised as JS values) in the same run, before the server holds the file.
 * Run: node --import tsx bench/postgres-endpoint.ts [--quick]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { openProject } from '../src/library/open-project.js';
import { readProject, type ReadSizes } from './lib/read-project.js';
import { percentile, QUICK, Recorder } from './lib/result.js';
import { ADJ_YML, PROJECT_YML } from './lib/yaml-project.js';

const rec = new Recorder('postgres-endpoint', '9. Postgres endpoint: write visibility and read throughput');
const sizes: ReadSizes = QUICK ? { sourceRows: 50_000, currentRows: 5_000, logEntries: 5_000 } : { sourceRows: 200_000, currentRows: 20_000, logEntries: 20_000 };
const WRITES = QUICK ? 200 : 300;
const RUNS = 3;
const VIEW = 'planning.adjusted_facts';
console.log(rec.title);

const files = {
  'project.yml': `${PROJECT_YML}\nroles:\n  analyst: { description: Reads and writes the adjustments. }\n`,
  'inputs/adj.yml': `${ADJ_YML}\npermissions:\n  analyst: { read: true, write: true }\n`,
};

const dir = await readProject(sizes, files);
let child: ChildProcess | undefined;
try {
  // (b) baseline: the raw DuckDB query, while no server holds the file
  const instance = await DuckDBInstance.create(`${dir}/target/warehouse.duckdb`);
  const conn = await instance.connect();
  let raw = Infinity;
  let rawRows = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    rawRows = (await conn.runAndReadAll(`select * from ${VIEW}`)).getRows().length;
    raw = Math.min(raw, performance.now() - t);
  }
  conn.closeSync();
  instance.closeSync();

  const wb = await openProject(dir);
  const created = await wb.tokens.create({ user: 'bench', role: 'analyst' });
  await wb.close();
  if (!created.ok) throw new Error(created.error.message);
  const token = created.token;

  const server = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'lib/pg-serve-child.ts'), dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  child = server;
  const [httpPort, pgPort] = await new Promise<[number, number]>((done, fail) => {
    let out = '';
    server.once('exit', (code) => fail(new Error(`server exited with ${code}`)));
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+) (\d+)/.exec(out);
      if (m) done([Number(m[1]), Number(m[2])]);
    });
  });
  const client = new pg.Client({ host: '127.0.0.1', port: pgPort, user: 'bench', password: token, database: 'bench' });
  await client.connect();

  let through = Infinity;
  let wireRows = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    wireRows = (await client.query(`select * from ${VIEW}`)).rowCount ?? 0;
    through = Math.min(through, performance.now() - t);
  }
  if (wireRows !== rawRows) throw new Error(`the endpoint returned ${wireRows} rows, DuckDB ${rawRows}`);
  rec.figure('merged view rows', rawRows, 'rows');
  rec.figure('raw DuckDB query, rows as JS values (fastest of 3)', raw, 'ms');
  rec.figure('through the Postgres endpoint with pg (fastest of 3)', through, 'ms');
  rec.figure('raw DuckDB throughput', Math.round(rawRows / (raw / 1000)), 'rows/s');
  rec.figure('endpoint throughput', Math.round(wireRows / (through / 1000)), 'rows/s');
  rec.figure('endpoint throughput vs raw DuckDB', raw / through, '×');

  // (a) write → visible on an open connection
  const latencies: number[] = [];
  const acks: number[] = [];
  let polls = 0;
  for (let n = 1; n <= WRITES; n++) {
    const key = `K${String(n % sizes.currentRows).padStart(7, '0')}`;
    const amount = `${n}.25`;
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${httpPort}/api/v1/inputs/adj/rows`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rows: [{ id: key, amount }] }),
    });
    if (res.status !== 200) throw new Error(`write answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    const acked = performance.now();
    acks.push(acked - t0);
    for (;;) {
      polls++;
      const r = await client.query<{ a: string }>({ text: `select amount::varchar as a from ${VIEW} where id = $1`, values: [key] });
      if (r.rows[0]?.a === amount) break;
    }
    latencies.push(performance.now() - acked);
  }
  await client.end();
  latencies.sort((a, b) => a - b);
  acks.sort((a, b) => a - b);
  rec.figure('writes', WRITES, 'writes');
  rec.figure('API write acknowledged, p50', percentile(acks, 50), 'ms');
  rec.figure('queries until visible (all writes)', polls, 'queries');
  rec.figure('write → visible on an open connection, p50', percentile(latencies, 50), 'ms');
  const p99 = percentile(latencies, 99);
  rec.check('write → visible on an open connection, p99', p99, 'ms', '< 50 ms', p99 < 50);
  rec.check('endpoint throughput vs raw DuckDB', raw / through, '×', 'reported', true, 'the endpoint encodes every value as Postgres text and sends it over TCP; the baseline only materialises JS values');
  rec.note(`Visibility: from the HTTP 200 of a one-row write to the first answer of an already-open pg connection (a separate process from the server) that holds the new value; ${WRITES} writes in sequence; the view is ${sizes.sourceRows.toLocaleString('en')} rows.`);
  rec.note('Throughput: select * of the merged view; fastest of 3 runs each; the DuckDB baseline ran in this process before the server opened the file.');
} finally {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}
rec.save();
