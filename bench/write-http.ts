/**
 * Benchmark 4 — interactive writes over HTTP: 16 concurrent clients send single-row upserts (half
 * new keys, half updates of existing keys) to a real server in a child process for 10 s; writes/s,
 * p50 and p99 latency as the clients see them, and the CPU time the server and the clients spent
 * per write, after a 1 s unmeasured warm-up of the same load. Then 64 clients the same way (p50,
 * p99, failures), and 16 on a 200,000-row state. Where the time goes: the 16 clients' writes through
 * the library in this process (no HTTP), every statement of each group commit timed by phase.
 * Baseline in the same run: the same log-insert + state-upsert transaction (prepared statements,
 * one committed transaction per write) run directly on DuckDB on one connection, for the same time.
 * Run: node --import tsx bench/write-http.ts [--quick]
 */
import { Agent, request } from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openAdapter, resolveTarget } from '../src/adapters/registry.js';
import { openProject } from '../src/library/open-project.js';
import { loadProject } from '../src/project/load-project.js';
import { startChildServer } from './lib/child-server.js';
import { GroupTimer, type GroupTimes, PHASES } from './lib/timing-adapter.js';
import { percentile, QUICK, Recorder } from './lib/result.js';
import { applyProject, PLAN_YML, PROJECT_YML, writeProject } from './lib/yaml-project.js';

const rec = new Recorder('write-http', '4. Interactive writes over HTTP');
const CLIENTS = 16;
const MANY_CLIENTS = 64;
const SECONDS = QUICK ? 3 : 10;
const PRELOADED = 1000;
/** The same load, unmeasured, before the first measured phase (of the library run as of the server). */
const WARM_UP_SECONDS = 1;
/** The last phase's state table: interactive writes on a table of this many rows (loaded by bulk requests first). */
const LARGE_STATE = QUICK ? 20_000 : 200_000;
console.log(rec.title);

/** The raw baseline: one transaction per write (log insert + state upsert), prepared, on one connection. */
async function rawBaseline(path: string): Promise<number> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run(`create table raw_log (_entry_id varchar, _seq bigint, _op varchar, _scenario varchar, _version bigint, _user varchar,
    _at timestamp, _set_columns varchar, _old_values varchar, _request_id varchar, _comment varchar, _prev_hash varchar, _hash varchar,
    id varchar, amount decimal(18,2), note varchar)`);
  await conn.run(`create table raw_state (id varchar, amount decimal(18,2), note varchar, _scenario varchar, _version bigint, _deleted boolean,
    _set_columns varchar, _updated_by varchar, _updated_at timestamp, _entry_id varchar, primary key (_scenario, id))`);
  const log = await conn.prepare(`insert into raw_log values ($1, $2, 'upsert', 'base', 1, $3, now(), '|amount|id|note|', null, null, null, $4, $5, $6, $7, $8)`);
  const state = await conn.prepare(`insert into raw_state values ($1, $2, $3, 'base', 1, false, '|amount|id|note|', $4, now(), $5)
    on conflict (_scenario, id) do update set amount = excluded.amount, note = excluded.note, _version = raw_state._version + 1,
    _updated_by = excluded._updated_by, _updated_at = excluded._updated_at, _entry_id = excluded._entry_id`);
  let n = 0;
  const end = performance.now() + SECONDS * 1000;
  while (performance.now() < end) {
    const id = n % 2 ? `k${n % PRELOADED}` : `new-${n}`;
    const entry = `e${n}`;
    await conn.run('begin transaction');
    log.bindVarchar(1, entry);
    log.bindBigInt(2, BigInt(n + 1));
    log.bindVarchar(3, 'raw');
    log.bindVarchar(4, 'prev');
    log.bindVarchar(5, 'hash');
    log.bindVarchar(6, id);
    log.bindVarchar(7, `${n % 1000}.00`);
    log.bindVarchar(8, 'raw client');
    await log.run();
    state.bindVarchar(1, id);
    state.bindVarchar(2, `${n % 1000}.00`);
    state.bindVarchar(3, 'raw client');
    state.bindVarchar(4, 'raw');
    state.bindVarchar(5, entry);
    await state.run();
    await conn.run('commit');
    n++;
  }
  conn.closeSync();
  instance.closeSync();
  return n / SECONDS;
}

/** Single-row writes of client `c`, its `w`-th: half new keys, half updates of the `preloaded` keys `k0…` (every phase writes these). */
function clientRow(c: number, w: number, tag: string, preloaded: number) {
  const id = w % 2 ? `k${(c * 7919 + w) % preloaded}` : `${tag}-${c}-${w}`;
  return { id, amount: `${w % 1000}.00`, note: `client ${c}` };
}

/**
 * The first phase's writes through the library in this process (no HTTP, no server), on a project
 * of its own: the latency the group commit itself gives 16 writers, and what each committed group
 * spent its time on (every statement, BEGIN and COMMIT of the writer's connection timed).
 */
async function libraryPhase(): Promise<{ latencies: number[]; perSec: number; groups: GroupTimes[] }> {
  const libDir = writeProject('http-lib', { 'project.yml': PROJECT_YML.replace(/sources:[\s\S]*/, ''), 'inputs/plan.yml': PLAN_YML });
  await applyProject(libDir);
  const loaded = await loadProject(libDir);
  if (!loaded.ok) throw new Error('the benchmark project does not load');
  const adapter = await openAdapter(loaded.value, resolveTarget(loaded.value));
  const timer = new GroupTimer();
  const wb = await openProject(libDir, { adapter: timer.wrap(adapter) });
  try {
    const preload = await wb.inputs.write('plan', Array.from({ length: PRELOADED }, (_, i) => ({ id: `k${i}`, amount: '1.00' })), { user: 'bench' });
    if (!preload.ok) throw new Error(`preload failed: ${JSON.stringify(preload.error).slice(0, 300)}`);
    const run = async (seconds: number, tag: string): Promise<number[]> => {
      const latencies: number[] = [];
      const end = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, c) => {
          for (let w = 0; performance.now() < end; w++) {
            const t = performance.now();
            const result = await wb.inputs.write('plan', [clientRow(c, w, tag, PRELOADED)], { user: 'bench' });
            if (!result.ok) throw new Error(`library write failed: ${JSON.stringify(result.error).slice(0, 300)}`);
            latencies.push(performance.now() - t);
          }
        }),
      );
      return latencies.sort((a, b) => a - b);
    };
    await run(WARM_UP_SECONDS, 'lib-warm');
    timer.groups.length = 0;
    const started = performance.now();
    const latencies = await run(SECONDS, 'lib');
    return { latencies, perSec: latencies.length / ((performance.now() - started) / 1000), groups: timer.groups };
  } finally {
    await wb.close();
    await adapter.close();
    rmSync(libDir, { recursive: true, force: true });
  }
}

/** What one phase of clients measured. */
interface Phase {
  latencies: number[];
  failures: number;
  firstFailure: string | undefined;
  perSec: number;
  serverCpuMs: number;
  clientCpuMs: number;
}

const dir = writeProject('http', { 'project.yml': PROJECT_YML.replace(/sources:[\s\S]*/, ''), 'inputs/plan.yml': PLAN_YML });
await applyProject(dir);
const rawPerSec = await rawBaseline(join(dir, 'target', 'raw.duckdb'));
const library = await libraryPhase();
const server = await startChildServer(dir);
// keep-alive connections through node:http (a client of the API, as a browser or a script keeps its connection)
const agent = new Agent({ keepAlive: true, maxSockets: MANY_CLIENTS });
const url = new URL(`${server.url}/api/v1/inputs/plan/rows`);
try {
  const post = (rows: unknown[]) =>
    new Promise<void>((done, fail) => {
      const body = JSON.stringify({ rows, ...(rows.length > 1 ? { confirm: true } : {}) });
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => (res.statusCode === 200 ? done() : fail(new Error(`write failed: ${res.statusCode} ${text.slice(0, 300)}`))));
      });
      req.on('error', fail);
      req.end(body);
    });
  await post(Array.from({ length: PRELOADED }, (_, i) => ({ id: `k${i}`, amount: '1.00' })));

  /** `clients` loops of single-row writes for SECONDS: half new keys, half updates of the `preloaded` keys `k0…`. */
  const phase = async (clients: number, tag: string, preloaded = PRELOADED, seconds = SECONDS): Promise<Phase> => {
    const latencies: number[] = [];
    let failures = 0;
    let firstFailure: string | undefined;
    const end = performance.now() + seconds * 1000;
    const started = performance.now();
    const server0 = server.cpuMs();
    const client0 = process.cpuUsage();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let w = 0; performance.now() < end; w++) {
          const t = performance.now();
          try {
            await post([clientRow(c, w, tag, preloaded)]);
            latencies.push(performance.now() - t);
          } catch (err) {
            failures++;
            firstFailure ??= err instanceof Error ? err.message : String(err);
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const client = process.cpuUsage(client0);
    latencies.sort((a, b) => a - b);
    const n = Math.max(1, latencies.length);
    return {
      latencies,
      failures,
      firstFailure,
      perSec: latencies.length / elapsed,
      serverCpuMs: (server.cpuMs() - server0) / n,
      clientCpuMs: (client.user + client.system) / 1000 / n,
    };
  };

  // a freshly started server compiles the write path and prepares its statements during its first second: not measured
  await phase(CLIENTS, 'warm', PRELOADED, WARM_UP_SECONDS);
  const at16 = await phase(CLIENTS, 'new');
  const p99 = percentile(at16.latencies, 99);
  rec.figure('clients', CLIENTS, 'clients');
  rec.figure('acknowledged writes', at16.latencies.length, 'writes');
  rec.figure('failed writes', at16.failures, 'writes');
  rec.figure('raw DuckDB transaction baseline', rawPerSec, 'writes/s');
  rec.figure('writes over HTTP', at16.perSec, 'writes/s');
  rec.figure('latency p50', percentile(at16.latencies, 50), 'ms');
  rec.figure('latency p99', p99, 'ms');
  rec.figure('server CPU per write', at16.serverCpuMs, 'ms');
  rec.figure('client CPU per write (the benchmark process)', at16.clientCpuMs, 'ms');
  if (at16.firstFailure) console.log(`  first failure: ${at16.firstFailure}`);
  rec.check('HTTP writes/s vs raw transaction baseline', at16.perSec / rawPerSec, '×', '≥ 3×', at16.perSec / rawPerSec >= 3);
  rec.check('latency p99 (16 clients)', p99, 'ms', '< 25 ms', p99 < 25);

  // where a write's time goes: the group commit alone (library, no HTTP), and each phase of a committed group
  const perGroup = (phase: (typeof PHASES)[number] | 'total', p: number) =>
    percentile(library.groups.map((g) => g[phase]).sort((a, b) => a - b), p);
  rec.figure(`library, ${CLIENTS} writers in-process (no HTTP): writes/s`, library.perSec, 'writes/s');
  rec.figure(`library, ${CLIENTS} writers: latency p50`, percentile(library.latencies, 50), 'ms');
  rec.figure(`library, ${CLIENTS} writers: latency p99`, percentile(library.latencies, 99), 'ms');
  rec.figure(`library, ${CLIENTS} writers: writes per group commit (mean)`, library.latencies.length / Math.max(1, library.groups.length), 'writes');
  rec.figure('group commit, whole transaction: p50', perGroup('total', 50), 'ms');
  rec.figure('group commit, whole transaction: p99', perGroup('total', 99), 'ms');
  for (const phase of PHASES) {
    if (perGroup(phase, 99) === 0) continue; // a phase this write path never ran (idempotency without request ids)
    rec.figure(`group commit, ${phase}: p50`, perGroup(phase, 50), 'ms');
    rec.figure(`group commit, ${phase}: p99`, perGroup(phase, 99), 'ms');
  }

  const at64 = await phase(MANY_CLIENTS, 'many');
  rec.figure('64 clients: acknowledged writes', at64.latencies.length, 'writes');
  rec.figure('64 clients: writes over HTTP', at64.perSec, 'writes/s');
  rec.figure('64 clients: latency p50', percentile(at64.latencies, 50), 'ms');
  rec.figure('64 clients: latency p99', percentile(at64.latencies, 99), 'ms');
  if (at64.firstFailure) console.log(`  first failure: ${at64.firstFailure}`);
  rec.check('64 clients: failed writes', at64.failures, 'writes', '0', at64.failures === 0);

  // the same 16 clients on a large state table: a write's lookup and update must not grow with the table
  for (let from = PRELOADED; from < LARGE_STATE; from += 50_000)
    await post(Array.from({ length: Math.min(50_000, LARGE_STATE - from) }, (_, i) => ({ id: `k${from + i}`, amount: '1.00' })));
  const large = await phase(CLIENTS, 'large', LARGE_STATE);
  const label = `${CLIENTS} clients, ${LARGE_STATE.toLocaleString('en-US')}-row state`;
  rec.figure(`${label}: writes over HTTP`, large.perSec, 'writes/s');
  rec.figure(`${label}: latency p50`, percentile(large.latencies, 50), 'ms');
  rec.figure(`${label}: latency p99`, percentile(large.latencies, 99), 'ms');
  rec.figure(`${label}: server CPU per write`, large.serverCpuMs, 'ms');
  rec.figure(`${label}: failed writes`, large.failures, 'writes');
  if (large.firstFailure) console.log(`  first failure: ${large.firstFailure}`);
  rec.note(
    `Server: a separate process (startServer, dev user, snapshot publishing off); clients: ${CLIENTS}, then ${MANY_CLIENTS}, loops of node:http requests on keep-alive connections in the benchmark process, on the same 2 cores (their CPU per write is reported).`,
  );
  rec.note(`Last phase: the state table loaded to ${LARGE_STATE.toLocaleString('en-US')} keys by bulk requests, then ${CLIENTS} clients as in the first phase, their updates spread over every key.`);
  rec.note(`Each measured phase of ${CLIENTS} clients (server and library) follows ${WARM_UP_SECONDS} s of the same load, not measured: a freshly started process compiles the write path and prepares its statements then (it held most of the slowest 1 % of writes when measured).`);
  rec.note(
    `Library run: the first phase's writes through inputs.write in this process, on a project of its own; each committed group's time per phase, as its connection waited: begin, state lookup, chain head, log append (Appender), state write, idempotency, commit (a group is one transaction; its writes wait for the group before theirs and then their own).`,
  );
  rec.note('Baseline: BEGIN; prepared INSERT into a log table; prepared INSERT … ON CONFLICT DO UPDATE into a state table; COMMIT — serially on one connection (no validation, hashing, auth or HTTP).');
} finally {
  agent.destroy();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
rec.save();
