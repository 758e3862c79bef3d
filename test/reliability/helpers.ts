import { copyFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { appliedDemoProject } from '../integration/server/demo-project.js';

/** True for the long run (`WRITEBACK_LONG=1`): more rounds, more generated requests. */
export const LONG = process.env.WRITEBACK_LONG === '1';

/** The seed of a reliability test: `WRITEBACK_SEED` when set (to replay a failure), else random. */
export function testSeed(): number {
  const fromEnv = Number(process.env.WRITEBACK_SEED);
  return Number.isInteger(fromEnv) && process.env.WRITEBACK_SEED ? fromEnv : Math.floor(Math.random() * 2 ** 31);
}

/** A small seeded PRNG (mulberry32): `next()` in [0, 1), `int(n)` in [0, n). */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}

/** A copy of an applied project dir (database included) in a new temp dir. */
export function copyProject(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'wb-rel-copy-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/** Copy one file (e.g. a DuckDB file). */
export function copyFile(from: string, to: string): void {
  copyFileSync(from, to);
}

/** The error body shape every API error has. */
export function isErrorShape(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; details?: unknown };
  return typeof e.code === 'string' && typeof e.message === 'string' && Array.isArray(e.details);
}
