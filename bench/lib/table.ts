import { type BenchResult, fmt } from './result.js';

/**
 * Why a target is missed, by benchmark and a part of the check label (the analysis behind a miss; shown in the
 * table only when the check is missed and the run recorded no note of its own).
 */
export const MISS_REASONS: Record<string, Record<string, string>> = {
  'compile-scale': {
    'validate + compile + plan':
      'wall-clock time stretches with the machine\'s load (the same code measured 1.2 s at load ≈ 8 and 4.0 s at load ≈ 6–13; the CPU time of the process, in the figures, is ~1.8–2.4 s). Of that CPU, load + validate is ~2/3, mostly the `yaml` package parsing 2,000 files (~0.25 ms each); compile formats each distinct statement shape once (sql-formatter output cached by shape, src/emit/sql-skeleton.ts) and the plan never formats.',
  },
  'noop-apply': {
    'no-op apply (load':
      'zero DDL, but DuckDB itself takes most of it (see the phase figures): opening a file that holds ~3,000 tables and ~3,000 views costs ~0.75 ms of catalog load per table before anything is planned; the plan lists the views schema by name only and reads one catalog query. Fewer catalog objects per input (one shared chain-head table on DuckDB instead of one per input) is the next lever.',
  },
  'compile-process': {
    'validate (cold)':
      'a cold run parses every file as the floor does and then validates it: in a CPU profile of cold validate the YAML parse is ~33 % of the process, garbage collection ~14 % (every parsed document stays alive until the load ends, for positions), zod validation and toJS ~12 %, module loading ~10–14 %, writing the parse cache ~5 %. Worker threads were measured and not kept: on 2 cores a second isolate re-loads yaml, zod and the schemas (+0.9 s CPU at 2,000 objects). A warm run (the parse cache in target/parse-cache/) meets the target.',
    'compile (cold)':
      'compile = cold validate (see above) + rendering every model (twice: its SQL and its fingerprint) + sql-formatter (~45 % of compile\'s own work although formatted output is cached by statement shape) + writing the files. A warm run meets the target.',
    'compile (warm)':
      'at the limit: the parse cache removes the YAML parse, what remains is rendering and formatting each model (see compile (cold)).',
    'no-op apply / validate':
      'a no-op apply must open the warehouse: DuckDB loads a catalog of ~3,000 tables and ~3,000 views (1.7 s of CPU at 2,000 objects, more than validate itself), then the plan reads one catalog query and compares fingerprints (~0.6 s), and closing the file costs ~0.25 s. Only fewer catalog objects per input, or a no-op decided without opening the warehouse, can bring it to 1.5× validate.',
    'first apply':
      'DuckDB\'s own work: the DDL is sent as scripts of up to 200 statements in one transaction, and ~6 s (quiet machine) go to creating 3,000 tables (~0.8 ms of CPU each: memory allocation per table) and 3,000 views (each bound when created), ~1 s to the 1,000 chain-head inserts, and ~3 s to the checkpoint when the file closes (DuckDB writes a 256 KB block for every table holding a text row: the file is ~380 MB, mostly the 1,000 per-input chain-head tables). One shared chain-head table on DuckDB would remove ~2.5 s of checkpoint and 1,000 tables.',
  },
  'write-bulk': {
    'bulk write':
      'what is left is the library\'s own CPU around the Appender: in a profile of the 100,000-row writes, the Appender calls (log append and key staging — the floor itself) are ~25 % of the CPU, garbage collection 17–29 %, building log entries (an object per entry) ~9 %, the SHA-256 chain and its text ~8 %, the state lookup ~9 % (updates: mostly DuckDB decoding strings), prepare ~5 %, planning ~3 %. 0.5× means everything but the Appender fits in the Appender\'s own time: that needs validation, planning and log building done per column (no object per row); the 0.2×-plain target (~200,000 rows/s) is faster than the log-shaped Appender alone. Another channel into DuckDB was measured: a CSV file read with read_csv and explicit types cost 1.8–2.2 s CPU for 100,000 log rows vs 0.7–1.0 s for the Appender.',
  },
  'write-http': {
    'latency p99':
      'bound by DuckDB: a group commit runs BEGIN, the state lookup, the log append, the chain-head compare-and-swap, the state update and a COMMIT (traces: COMMIT ~9 ms, state statements 4–9 ms, lookup 3–9 ms per group at load 8); a request waits for the running group plus its own, so p99 ≈ 2 group times. The HTTP layer costs ~0.1 ms of the server\'s main thread per request; DuckDB\'s threads use more CPU than the JS thread, much of it handing tiny statements between threads. DuckDB 1.5 does not use the composite primary key\'s index for `_scenario = ? and key = ?`, so lookups and updates scan the state table. Next lever: one round trip per group on DuckDB (stage the entries, then one parameterless script that inserts the log, updates the state and moves the head with checks that raise).',
  },
};

function missReason(result: BenchResult, label: string): string | undefined {
  const reasons = MISS_REASONS[result.name] ?? {};
  return Object.entries(reasons).find(([part]) => label.includes(part))?.[1];
}

/** The markdown table of the results (one row per checked figure), for bench/results/README.md and the project README. */
export function markdownTable(results: BenchResult[]): string {
  const lines = [
    '| benchmark | measured | result | target | met |',
    '|---|---|---|---|---|',
  ];
  for (const r of results) {
    for (const c of r.checks) {
      const why = [c.note, missReason(r, c.label)].filter((w) => w !== undefined);
      const note = why.length > 0 ? ` — ${why.join('; ')}` : '';
      lines.push(`| ${r.title} | ${c.label} | ${fmt(c.value)} ${c.unit} | ${c.target} | ${c.met ? 'yes' : `**no**${note}`} |`);
    }
  }
  return lines.join('\n');
}

/** Every figure of every result, as a second table. */
export function figuresTable(results: BenchResult[]): string {
  const lines = ['| benchmark | figure | value |', '|---|---|---|'];
  for (const r of results) for (const f of r.figures) lines.push(`| ${r.title} | ${f.label} | ${fmt(f.value)} ${f.unit} |`);
  return lines.join('\n');
}
