import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

/** A measured figure (printed, not judged). */
export interface Figure {
  label: string;
  value: number;
  unit: string;
}

/** A figure judged against the issue's target. */
export interface Check {
  label: string;
  value: number;
  unit: string;
  /** Human form of the target, e.g. `≥ 0.2×`, `< 2000 ms`. */
  target: string;
  met: boolean;
  /** Why a target is missed (by how much and why), or what the figure means. */
  note?: string;
}

/** What one benchmark writes to bench/results/<name>.json (`<name>.quick.json` with `--quick`). */
export interface BenchResult {
  name: string;
  title: string;
  quick: boolean;
  command: string;
  startedAt: string;
  durationMs: number;
  machine: { cpus: number; cpuModel: string; memGiB: number; node: string; loadavg1: number };
  figures: Figure[];
  checks: Check[];
  notes: string[];
}

/** bench/results/ of this checkout. */
export const RESULTS_DIR = resolve(import.meta.dirname, '../results');

/** True when the benchmark was started with `--quick` (smaller sizes; results are marked quick). */
export const QUICK = process.argv.includes('--quick');

/** Collects one benchmark's figures and checks and writes them as JSON. */
export class Recorder {
  readonly figures: Figure[] = [];
  readonly checks: Check[] = [];
  readonly notes: string[] = [];
  private readonly started = performance.now();
  private readonly startedAt = new Date().toISOString();
  /** The 1-minute load average when the benchmark started (at its end it includes the benchmark's own load). */
  private readonly loadAtStart = loadavg()[0] ?? 0;

  constructor(
    readonly name: string,
    readonly title: string,
  ) {}

  /** Record a figure and print it. */
  figure(label: string, value: number, unit: string): number {
    this.figures.push({ label, value, unit });
    console.log(`  ${label}: ${fmt(value)} ${unit}`);
    return value;
  }

  /** Record a checked figure and print it with its verdict. */
  check(label: string, value: number, unit: string, target: string, met: boolean, note?: string): void {
    this.checks.push({ label, value, unit, target, met, ...(note ? { note } : {}) });
    console.log(`  ${met ? 'MET ' : 'MISS'} ${label}: ${fmt(value)} ${unit} (target ${target})${note ? ` — ${note}` : ''}`);
  }

  /** A free-text note (how it was measured, a caveat). */
  note(text: string): void {
    this.notes.push(text);
  }

  /** Write bench/results/<name>.json. */
  save(): BenchResult {
    const cpu = cpus();
    const result: BenchResult = {
      name: this.name,
      title: this.title,
      quick: QUICK,
      command: `npm run bench${QUICK ? ' -- --quick' : ''}`,
      startedAt: this.startedAt,
      durationMs: Math.round(performance.now() - this.started),
      machine: {
        cpus: cpu.length,
        cpuModel: cpu[0]?.model ?? 'unknown',
        memGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        loadavg1: Math.round(this.loadAtStart * 100) / 100,
      },
      figures: this.figures,
      checks: this.checks,
      notes: this.notes,
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    // a quick run never overwrites the full-size results
    writeFileSync(join(RESULTS_DIR, `${this.name}${QUICK ? '.quick' : ''}.json`), JSON.stringify(result, null, 2) + '\n');
    return result;
  }
}

/** A number for humans: ≥ 100 as an integer with separators, else 3 significant digits. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en');
  return Number(v.toPrecision(3)).toString();
}

/** Milliseconds of `fn`. */
export async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** The p-th percentile (0–100) of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
