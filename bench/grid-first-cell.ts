/**
 * Benchmark 8 — the planner grid at scale: time from navigating to /forms/revenue_forecast until
 * the first editable cell is shown, in headless Chromium, with 1,000, 100,000 and 1,000,000 rows
 * of the demo's revenue_forecast (written through `inputs.write`, 100,000 rows per call). Baseline,
 * measured in the same run: the same page with 1,000 rows; for context, the page's own
 * GET /api/v1/inputs/revenue_forecast/grid requests at each size (count + sums + first page): the
 * flat table's, the pivot's (its fiscal-year quarters only) and the pivot's count of the rows of
 * other quarters, which it sends beside its request. The rows are quarters from 1000-Q1 on, so
 * nearly all of them lie outside the fiscal year the pivot plans.
 * Run: node --import tsx bench/grid-first-cell.ts [--quick] [--sizes=1000,100000]
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { openProject } from '../src/library/open-project.js';
import { silentLogger } from '../src/server/logger.js';
import { startServer } from '../src/server/start-server.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/e2e/browser.js';
import { QUICK, Recorder } from './lib/result.js';
import { applyProject } from './lib/yaml-project.js';

const rec = new Recorder('grid-first-cell', '8. Planner grid: time to the first editable cell');
console.log(rec.title);
const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
const SIZES = sizesArg ? sizesArg.slice('--sizes='.length).split(',').map(Number) : QUICK ? [1_000, 20_000] : [1_000, 100_000, 1_000_000];
const LOADS = 3;
const BATCH = 100_000;
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);

/** The demo's 60 accounts (seeds/accounts.csv); row i is account i mod 60 in quarter i div 60 counted from 1000-Q1. */
const ACCOUNTS = Array.from({ length: 60 }, (_, i) => `acc_${String(i + 1).padStart(3, '0')}`);
const rowAt = (i: number) => {
  const q = Math.floor(i / ACCOUNTS.length);
  return {
    account_id: ACCOUNTS[i % ACCOUNTS.length]!,
    quarter: `${1000 + Math.floor(q / 4)}-Q${(q % 4) + 1}`,
    amount: `${(i * 7919) % 1_000_000}.${String(i % 100).padStart(2, '0')}`,
  };
};

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'wb-bench-grid-'));
for (const part of ['project.yml', 'inputs', 'models', 'macros', 'seeds']) cpSync(join(root, part), join(dir, part), { recursive: true });
await applyProject(dir);
const wb = await openProject(dir);
const server = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false, discovery: false, devUser: { user: 'bench' }, closeLibrary: false });
const profile = mkdtempSync(join(tmpdir(), 'wb-bench-chromium-'));
const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1366, height: 800 } });
browser.setDefaultTimeout(120_000);
const page = browser.pages()[0] ?? (await browser.newPage());

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Navigate to the form and wait for the first editable cell; milliseconds. */
async function firstCell(): Promise<number> {
  const t = performance.now();
  await page.goto(`${server.url}/forms/revenue_forecast`);
  await page.locator('td.cell.editable').first().waitFor();
  return performance.now() - t;
}

/** A grid request, as the flat table asks for its first page or as the pivot does (50 accounts, template rows); milliseconds and rows answered. */
async function gridRequest(query: string): Promise<{ ms: number; rows: number }> {
  const t = performance.now();
  const res = await fetch(`${server.url}/api/v1/inputs/revenue_forecast/grid?${query}`);
  if (!res.ok) throw new Error(`GET /grid answered ${res.status}`);
  const body = (await res.json()) as { rows: unknown[] };
  return { ms: performance.now() - t, rows: body.rows.length };
}
const FLAT = 'limit=50';
/** The demo's fiscal-year quarters (`planning.across.values`): the pivot asks for these only, and counts the rows of others apart. */
const QUARTERS = wb.project.inputs.revenue_forecast?.planning?.across.values ?? [];
const PIVOT = `limit=50&template=true&group_by=account_id&${QUARTERS.map((q) => `filter.quarter=${q}`).join('&')}`;
const COUNT = 'limit=1&template=true';

let written = 0;
const atSize: Record<number, number> = {};
try {
  for (const n of SIZES) {
    const t = performance.now();
    while (written < n) {
      const count = Math.min(BATCH, n - written);
      const result = await wb.inputs.write('revenue_forecast', Array.from({ length: count }, (_, k) => rowAt(written + k)), { user: 'bench' });
      if (!result.ok) throw new Error(result.error.message);
      written += count;
    }
    console.log(`  (seeded ${n.toLocaleString('en')} rows in ${Math.round(performance.now() - t)} ms)`);
    await firstCell(); // warm: the browser's module cache and the warehouse's buffers
    const loads: number[] = [];
    for (let i = 0; i < LOADS; i++) loads.push(await firstCell());
    const flat: number[] = [];
    const pivot: number[] = [];
    const counted: number[] = [];
    let pivotRows = 0;
    for (let i = 0; i < LOADS; i++) {
      flat.push((await gridRequest(FLAT)).ms);
      const answered = await gridRequest(PIVOT);
      pivot.push(answered.ms);
      pivotRows = answered.rows;
      counted.push((await gridRequest(COUNT)).ms);
    }
    atSize[n] = rec.figure(`${n.toLocaleString('en')} rows: first editable cell (median of ${LOADS})`, median(loads), 'ms');
    rec.figure(`${n.toLocaleString('en')} rows: GET /grid?${FLAT} (median of ${LOADS})`, median(flat), 'ms');
    rec.figure(`${n.toLocaleString('en')} rows: the pivot's request, GET /grid?limit=50&template=true&group_by=account_id&filter.quarter=… (its ${QUARTERS.length} quarters; median of ${LOADS})`, median(pivot), 'ms');
    rec.figure(`${n.toLocaleString('en')} rows: rows the pivot's request answers`, pivotRows, 'rows');
    rec.figure(`${n.toLocaleString('en')} rows: the pivot's count of the rows of other quarters, sent beside its request, GET /grid?${COUNT} (median of ${LOADS})`, median(counted), 'ms');
  }
  const base = atSize[SIZES[0]!]!;
  for (const n of SIZES.slice(1)) {
    const ratio = atSize[n]! / base;
    rec.check(`first editable cell, ${n.toLocaleString('en')} vs ${SIZES[0]!.toLocaleString('en')} rows`, ratio, '×', '≤ 2×', ratio <= 2);
  }
  rec.note(`Headless Chromium (${CHROMIUM}), 1366×800, --dev-user (every row). Time from page.goto to the first td.cell.editable, after one warm-up load; median of ${LOADS}.`);
  rec.note('revenue_forecast is laid out as a pivot (accounts down, the 4 quarters of the fiscal year across): the page asks GET /grid for 50 accounts with template rows, and gets every row of those accounts, in every quarter. The flat table asks for 50 rows (count and sums over every row, then the sorted first page, on the server).');
  rec.note(`Rows written through inputs.write in calls of ${BATCH.toLocaleString('en')} (the hash-chained log and the state), keys = 60 accounts × quarters.`);
} finally {
  await browser.close();
  await server.close();
  await wb.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
rec.save();
