/**
 * Bulk write on PostgreSQL: 100,000 rows in one `inputs.write` call (validation, log, state, hash
 * chain, indexes included) on a throwaway local PostgreSQL, vs a raw `COPY … FROM STDIN` of the
 * same rows into a plain table in the same run. The library runs twice, each on its own database:
 * through the adapter's COPY bulk path, and with that path hidden (multi-row INSERT … VALUES of
 * bound parameters, the portable path). Then the same keys updated, `verify`, and one key's history.
 * Skips (exit 0) when PostgreSQL server binaries are missing.
 * Run: node --import tsx bench/write-bulk-postgres.ts [--quick]
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Adapter } from '../src/adapters/adapter.js';
import { openAdapter } from '../src/adapters/registry.js';
import { applyPlan } from '../src/apply/apply-plan.js';
import type { Project } from '../src/ir/types.js';
import { createWriteback } from '../src/library/writeback.js';
import { planProject } from '../src/plan/plan-project.js';
import { postgresUnavailable, startPostgres, type PgServer } from '../test/integration/postgres/pg-server.js';
import { PLAN_INPUT } from './lib/bench-input.js';
import { QUICK, Recorder } from './lib/result.js';

const rec = new Recorder('write-bulk-postgres', '3b. Bulk write through the library on PostgreSQL');
const N = QUICK ? 20_000 : 100_000;
console.log(rec.title);
const unavailable = postgresUnavailable();
if (unavailable) {
  console.log(`  skipped: ${unavailable}`);
  process.exit(0);
}

const rows = Array.from({ length: N }, (_, i) => ({
  id: `K${String(i).padStart(7, '0')}`,
  amount: `${i % 100000}.${String(i % 100).padStart(2, '0')}`,
  units: i % 500,
  confidence: ['low', 'medium', 'high'][i % 3]!,
  note: `row ${i}`,
}));

/** Milliseconds spent appending rows (to logs and staging tables): in `appendBulk`, or in the INSERTs of the VALUES path. */
const appendMs = { total: 0 };

/** Whether a call appends rows: a bulk append, or a multi-row `insert … values`. */
const isAppend = (prop: string | symbol, args: unknown[]) =>
  prop === 'appendBulk' || (prop === 'execute' && typeof args[0] === 'string' && /^insert into \S+ \([^)]*\) values /.test(args[0]));

/**
 * The adapter (and its forks) with the time of its appends added to {@link appendMs}; with
 * `bulk` false, without its bulk path, so appends fall back to multi-row INSERT … VALUES.
 */
function measured(adapter: Adapter, bulk: boolean): Adapter {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === 'appendBulk' && !bulk) return undefined;
      if (prop === 'fork') return async () => measured(await (target as Adapter & { fork(): Promise<Adapter> }).fork(), bulk);
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || (prop !== 'appendBulk' && prop !== 'execute')) return value;
      return async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return (await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)) as unknown;
        } finally {
          if (isAppend(prop, args)) appendMs.total += performance.now() - t;
        }
      };
    },
  });
}

/** Raw COPY of the same 5 values per row into a fresh plain table (the encoding of the rows counted). */
async function rawCopy(server: PgServer, database: string, table: string): Promise<number> {
  const client = new pg.Client({ host: server.host, port: server.port, user: server.user, database });
  await client.connect();
  try {
    await client.query(`create table ${table} (id text, amount numeric(18,2), units bigint, confidence text, note text)`);
    const t = performance.now();
    await client.query('begin');
    function* lines() {
      let chunk = '';
      for (const r of rows) {
        chunk += `${r.id}\t${r.amount}\t${r.units}\t${r.confidence}\t${r.note}\n`;
        if (chunk.length >= 256 * 1024) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    await pipeline(Readable.from(lines()), client.query(copyFrom(`copy ${table} (id, amount, units, confidence, note) from stdin`)));
    await client.query('commit');
    return performance.now() - t;
  } finally {
    await client.end();
  }
}

interface Run {
  insertMs: number;
  updateMs: number;
  /** CPU time of this process (all threads) during the inserts / the updates. */
  insertCpuMs: number;
  updateCpuMs: number;
  /** Of insertMs / updateMs: appending the log entries and staging the keys. */
  insertAppendMs: number;
  updateAppendMs: number;
  verifyMs: number;
  historyMs: number;
}

/** Apply the project on a fresh database, then write N new rows, update them, verify, read one key's history. */
async function libraryRun(server: PgServer, database: string, bulk: boolean): Promise<Run> {
  server.createDatabase(database);
  const project: Project = {
    dir: '/tmp',
    name: 'bench',
    defaultTarget: 'pg',
    targets: { pg: { name: 'pg', type: 'postgres', settings: { host: server.host, port: String(server.port), database, user: server.user } } },
    schemas: { inputs: 'writeback', views: 'planning' },
    sources: {},
    seeds: [],
    vars: {},
    roles: {},
    inputs: { plan: PLAN_INPUT },
    models: [],
    macros: {},
  };
  const opened = await openAdapter(project, project.targets.pg!);
  const plan = await planProject(project, { targetName: 'pg', adapter: opened, user: 'bench' });
  if (!plan.ok) throw new Error(JSON.stringify(plan.diagnostics));
  const applied = await applyPlan(plan.value, opened);
  if (!applied.ok) throw new Error(JSON.stringify(applied.diagnostics));
  const adapter = measured(opened, bulk);
  const wb = await createWriteback(project, adapter, { targetName: 'pg' });
  try {
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    let cpu = process.cpuUsage();
    appendMs.total = 0;
    let t = performance.now();
    const first = await wb.inputs.write('plan', rows, { user: 'bench' });
    const insertMs = performance.now() - t;
    const insertCpuMs = cpuMs(cpu);
    const insertAppendMs = appendMs.total;
    if (!first.ok) throw new Error(JSON.stringify(first.error).slice(0, 500));
    const updated = rows.map((r) => ({ ...r, units: r.units + 1 }));
    cpu = process.cpuUsage();
    appendMs.total = 0;
    t = performance.now();
    const second = await wb.inputs.write('plan', updated, { user: 'bench' });
    const updateMs = performance.now() - t;
    const updateCpuMs = cpuMs(cpu);
    const updateAppendMs = appendMs.total;
    if (!second.ok) throw new Error(JSON.stringify(second.error).slice(0, 500));
    t = performance.now();
    const report = await wb.verify();
    const verifyMs = performance.now() - t;
    if (!report.ok) throw new Error(`verify found problems: ${JSON.stringify(report.problems.slice(0, 3))}`);
    t = performance.now();
    const history = await wb.inputs.history('plan', { key: { id: rows[N >> 1]!.id } });
    const historyMs = performance.now() - t;
    if (!history.ok || history.entries.length !== 2) throw new Error(`history of one key: ${JSON.stringify(history).slice(0, 300)}`);
    return { insertMs, updateMs, insertCpuMs, updateCpuMs, insertAppendMs, updateAppendMs, verifyMs, historyMs };
  } finally {
    await wb.close();
    await opened.close();
  }
}

const server = await startPostgres();
try {
  server.createDatabase('raw');
  // the baseline runs twice (into two fresh tables) and the faster run counts, so a cold first run does not flatter the ratio
  const rawMs = Math.min(await rawCopy(server, 'raw', 'raw_bulk'), await rawCopy(server, 'raw', 'raw_bulk2'));
  const values = await libraryRun(server, 'wb_values', false);
  const copy = await libraryRun(server, 'wb_copy', true);

  const rate = (ms: number) => N / (ms / 1000);
  rec.figure('rows', N, 'rows');
  rec.figure('raw COPY into a plain table (5 columns, one transaction)', rate(rawMs), 'rows/s');
  rec.figure('inputs.write, new keys, COPY bulk path', rate(copy.insertMs), 'rows/s');
  rec.figure('inputs.write, new keys, multi-row VALUES (the path before COPY)', rate(values.insertMs), 'rows/s');
  rec.figure('inputs.write, existing keys (updates), COPY bulk path', rate(copy.updateMs), 'rows/s');
  rec.figure('inputs.write, existing keys (updates), multi-row VALUES', rate(values.updateMs), 'rows/s');
  rec.figure('new keys: COPY path vs raw COPY', rawMs / copy.insertMs, '×');
  rec.figure('new keys: VALUES path vs raw COPY', rawMs / values.insertMs, '×');
  rec.figure('updates: COPY path vs raw COPY', rawMs / copy.updateMs, '×');
  rec.figure('updates: VALUES path vs raw COPY', rawMs / values.updateMs, '×');
  rec.figure('new keys: COPY path vs VALUES path (speed-up)', values.insertMs / copy.insertMs, '×');
  rec.figure('updates: COPY path vs VALUES path (speed-up)', values.updateMs / copy.updateMs, '×');
  rec.figure('new keys: time appending log entries + staging keys, COPY', copy.insertAppendMs, 'ms');
  rec.figure('new keys: time appending log entries + staging keys, VALUES', values.insertAppendMs, 'ms');
  rec.figure('updates: time appending log entries + staging keys, COPY', copy.updateAppendMs, 'ms');
  rec.figure('updates: time appending log entries + staging keys, VALUES', values.updateAppendMs, 'ms');
  rec.figure('new keys: appends, COPY vs VALUES (speed-up)', values.insertAppendMs / copy.insertAppendMs, '×');
  rec.figure('updates: appends, COPY vs VALUES (speed-up)', values.updateAppendMs / copy.updateAppendMs, '×');
  rec.figure('inputs.write, new keys: CPU time of this process, COPY', copy.insertCpuMs, 'ms');
  rec.figure('inputs.write, new keys: CPU time of this process, VALUES', values.insertCpuMs, 'ms');
  rec.figure('inputs.write, updates: CPU time of this process, COPY', copy.updateCpuMs, 'ms');
  rec.figure('inputs.write, updates: CPU time of this process, VALUES', values.updateCpuMs, 'ms');
  rec.figure(`verify (${2 * N} log entries, chain + replay), COPY run`, copy.verifyMs, 'ms');
  rec.figure(`history of one key (log of ${2 * N} entries, index on key + _seq), COPY run`, copy.historyMs, 'ms');
  rec.note(
    'A throwaway PostgreSQL 15 on the same machine (127.0.0.1, fsync=off, like the live tests). One inputs.write call of N rows: validation, key checks, state lookup, SHA-256 hash chain, log append, state upsert from the appended log range, chain-head CAS, one transaction; the log has its two indexes.',
  );
  rec.note('The VALUES run hides the adapter\'s appendBulk, so log entries and key staging go through multi-row INSERTs of ≤ 2,000 bound parameters; each run has its own database. The append figures time only those calls (appendBulk, or the INSERT … VALUES statements): the part of a write the bulk path changes; the rest is the library\'s own work (validation, lookup, hash chain: see CPU time) and the state upsert.');
  rec.note('Baseline: COPY … FROM STDIN of the same 5 values per row through pg + pg-copy-streams into a plain table, best of two runs; ratios are baseline time / library time.');
} finally {
  server.stop();
}
rec.save();
