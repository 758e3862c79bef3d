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
      "zero DDL, but DuckDB itself takes most of it (see the phase figures): opening a file that holds ~3,000 tables and ~3,000 views is ~3 s of catalog load at load \u2248 6 (1,000 log-shaped tables alone ~1 s; the 1,000 history views, whose SQL is parsed again on load, ~1 s more); the plan lists the views schema by name only and reads one catalog query; closing the file ~0.25 s.",
  },
  'compile-process': {
    'validate (cold)':
      "a cold run parses every file as the floor does and then validates it. What is left after this round (parsed YAML documents are dropped as each file is read; a problem found across files re-parses its one file for the position): module loading at start-up ~0.3 s (zod alone is 95 modules, ~0.1 s; a 2-object project validates in 0.39\u20130.54 s of CPU against 0.14\u20130.18 s for the floor), zod checks ~6 %, building the IR and writing the parse cache; garbage collection is ~12 % of cold validate, as much as the floor's own (13.5 %). Worker threads were measured and not kept (a second isolate on 2 cores: +0.9 s CPU). A warm run (the parse cache in target/parse-cache/) meets the target.",
    'compile (cold)':
      "compile = cold validate (see above) + rendering every model once (its SQL and its fingerprint now come from one rendering) + sql-formatter, whose cost is ~0.4 s at any size (0.17 s to load, ~0.23 s to format the ~25\u201330 statement shapes once) + writing the files. A compile after an edit starts from the layouts the previous compile kept (target/parse-cache/formats.bin) and meets the target, as a warm run does.",
    'compile (warm)':
      'at the limit: the parse cache removes the YAML parse, what remains is rendering and formatting each model (see compile (cold)).',
    'no-op apply / validate':
      "a no-op apply must open the warehouse, and DuckDB loads the whole catalog of a file when it opens it: ~0.8 s for the ~2,000 tables and ~3,000 views of 2,000 objects and 4.6 s at 10,000 (~0.17 ms per object, whatever the tables hold), then ~0.2 s / ~0.9 s to close it (freeing that catalog; measured the same without closing: the process exit does it). Of the open at 2,000 objects, the 1,000 history views (a union of one select per column, parsed again on load) are half: 0.82 s with them, 0.40–0.57 s without, while the 2,000 alias and version views cost under 0.1 s. The plan's catalog reads are ~0.3 s (the aliases' definitions 0.15 s of it: DuckDB renders the SQL of every view of the file to answer, a filter on the view's name included). This round: new DuckDB files are in DuckDB's v1.2 storage format, where an empty table is ~3 KB of metadata instead of ~57 KB (1,000 empty 18-column tables open in 0.18 s instead of 0.64 s; this project's file 115 → 22 MB, its open 1.5 → 0.8 s): the no-op apply in process 2.35 → 1.55–1.75 s (two interleaved A/B pairs), as a process 3.37 → 2.60 s in the table's runs. Measured and not kept: opening the file while the project loads instead of after (the CLI `apply` loads first) — no change in five interleaved pairs (2.61–2.70 s each way): the process is CPU-bound on 2 cores (3.1 s of CPU in 2.6 s). Only a smaller catalog (history views that cost less to load) or a no-op decided without opening the warehouse (drift made outside writeback would go unseen) can bring it to 1.5× validate.",
    'first apply':
      "DuckDB's own work (the noop-apply benchmark's phases: apply 3.3–4.3 s, closing the file 0.7 s, plan 0.2 s): the DDL goes as scripts of up to 200 statements in one transaction (36 calls for 5,013 statements); what is left is creating ~2,000 tables and ~3,000 views (the 1,000 history views — a union of one select per column over a window of the log — cost the most; an unnest formulation was measured slower to create and 6× slower to read) and the checkpoint writing their metadata when the file closes. Earlier rounds: every input's chain head became a row of one table `_wb_heads` on DuckDB (11.5–13.4 s → 7.0–7.4 s, the file 191 → 115 MB). This round new files are in DuckDB's v1.2 storage format (empty tables ~3 KB of metadata instead of ~57 KB): the checkpoint on closing the first apply 1.36–1.49 → 0.70–0.71 s and the first apply in process 6.7–7.4 → 5.7–6.7 s (two interleaved A/B pairs), the file 115 → 22 MB.",
  },
  'server-memory': {
    'server peak RSS':
      "not this round's: the previous round's code measured 372–373 MB too, back to back with this one (373–375 MB). The benchmark could not run since the state gained `_key` (its generated state rows lacked it; fixed this round), and its last recorded run (2026-11-30) gave 202 MB: since then the server starts larger (179 MB before streaming vs 142 MB) and streams ~4× faster (JSON 56,000 → ~220,000 rows/s), the CSV stream taking the peak from ~290 to ~373 MB. Not bisected yet.",
  },
  'grid-first-cell': {
    'first editable cell':
      "the page's requests (see the figures): the pivot's asks for its declared across values only and counts the rows of other values with a one-row request sent beside it; before this round it asked for every row of its 50 accounts (83,540 rows at 100,000, 833,340 at 1,000,000: 3.2 s and 23 s to the first cell).",
  },
  'write-bulk': {
    'bulk write':
      'what is left is the library\'s own CPU around the Appender: in a profile of the 100,000-row writes, the Appender calls (log append and key staging — the floor itself) are ~25 % of the CPU, garbage collection 17–29 %, building log entries (an object per entry) ~9 %, the SHA-256 chain and its text ~8 %, the state lookup ~9 % (updates: mostly DuckDB decoding strings), prepare ~5 %, planning ~3 %. 0.5× means everything but the Appender fits in the Appender\'s own time: that needs validation, planning and log building done per column (no object per row); the 0.2×-plain target (~200,000 rows/s) is faster than the log-shaped Appender alone. Another channel into DuckDB was measured: a CSV file read with read_csv and explicit types cost 1.8–2.2 s CPU for 100,000 log rows vs 0.7–1.0 s for the Appender. The benchmark also measures the floor of any write that keeps a current-state table — the same Appender, then the state rows inserted from them by one plain insert … select, committed together: 95,000–128,000 rows/s, 0.50–0.62× the log-only Appender, so 0.5× would leave the library almost no time of its own; the library reaches 0.27–0.39× of that floor for new keys (the log-only Appender itself measured 152,000–200,000 rows/s from run to run, which moves the ratio against it: 0.19× and 0.24× in the last two table runs for the same library code).',
  },
  'write-http': {
    'latency p99':
      "set by the group commit's statements, not by the HTTP layer nor the disk (the library run of the same benchmark, 16 writers in-process without HTTP, shows nearly the same latencies). 16 closed-loop writers settle into two halves of ~8 that take turns: a write waits for the other half's transaction, then its own, so p50 is ~2 transactions. A transaction (bench/results/README.md; four runs: p50 10.5\u201315.3 ms, p99 24\u201337 ms) is six calls into DuckDB \u2014 BEGIN ~0.3 ms, state lookup ~1.8, chain-head compare-and-swap ~1.0, log append (Appender) ~1.2, state write 3.1\u20134.9, COMMIT ~2.1 (the WAL flush), p50s \u2014 whose tails come from sharing 2 cores with the clients. For p99 < 25 ms a transaction would have to stay under ~12 ms at its p99. Little's law bounds it from the other side: 16 closed-loop clients see a mean latency of 16 ÷ throughput (32 ms at 500 writes/s), so p99 < 25 ms needs more than 640 writes/s even if every write took exactly the mean — 1.3× today's throughput with none of its spread. This round: the state write of a group with new and existing keys is an update plus an insert from one VALUES list (−30 % per group, interleaved A/B); measured and not kept: a short wait that gathers both halves into one group (as Postgres's commit_delay) — one group of 16 in the library, but over HTTP it lost the overlap of one half's HTTP work with the other's transaction (−10–30 % writes/s, p99 no better); DuckDB with one thread; an earlier explanation (two disk flushes) was wrong: COMMIT is ~2–3 ms.",
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
