import type { BenchResult } from './result.js';
import { fmt } from './result.js';

/**
 * Why a target is missed, by benchmark and check label (the analysis behind a miss; shown in the
 * table only when the check is missed and the run recorded no note of its own).
 */
export const MISS_REASONS: Record<string, Record<string, string>> = {
  'compile-scale': {
    'validate + compile + plan':
      'compile is ~60–90% of it and ~93% of compile is sql-formatter (nearley parser) pretty-printing every DDL script and view (src/emit/format.ts); load (YAML parse of 2,000 files) is most of the rest. Emitting formatted DDL directly (it is generated) and formatting only in `writeback compile` output would cut it several-fold.',
  },
  'noop-apply': {
    'no-op apply (load':
      'zero DDL, but load (2,000 YAML files) + plan (information_schema read of ~4,000 tables, fingerprints of 1,000 models) + the DuckDB checkpoint on close take ~5 s of CPU at 1,000 + 1,000.',
  },
  'write-bulk': {
    'bulk write':
      'the log row has 18 columns vs the baseline\'s 5, and @duckdb/node-api appends value by value: the Appender alone writing log-shaped rows reaches ~0.15× of the baseline (see figures), before validation, SHA-256 chaining, the key lookup and the state upsert. Reaching 0.2× needs columnar appends (a DataChunk API) or writing the log through DuckDB-side SQL.',
  },
  'write-http': {
    'latency p99':
      'one committed DuckDB transaction costs ~25–55 ms on this machine while other jobs load it (the raw baseline manages only ~20–40 tx/s; fsync alone is ~3.5 ms); with 16 clients a request waits for the running group commit plus its own, so p99 is several commit times. Throughput beats the raw baseline thanks to group commit.',
  },
};

function missReason(result: BenchResult, label: string): string | undefined {
  const reasons = MISS_REASONS[result.name] ?? {};
  return Object.entries(reasons).find(([prefix]) => label.startsWith(prefix))?.[1];
}

/** The markdown table of the results (one row per checked figure), for bench/results/README.md and the project README. */
export function markdownTable(results: BenchResult[]): string {
  const lines = [
    '| benchmark | measured | result | target | met |',
    '|---|---|---|---|---|',
  ];
  for (const r of results) {
    for (const c of r.checks) {
      const why = c.note ?? missReason(r, c.label);
      const note = why ? ` — ${why}` : '';
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
