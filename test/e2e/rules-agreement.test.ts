import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnType, InputColumn } from '../../src/ir/types.js';
import { valueChecker } from '../../src/rules/column-rules.js';
import { allowedStatuses, lockProblem, moveProblem } from '../../src/rules/status-rules.js';
import { columnRule, typeName } from '../../src/server/describe-input.js';
import { chromiumMissing, openBrowser, type Browser } from './browser.js';
import { startFormServer, type FormServer } from './form-server.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the rules agreement test: ${missing}`);

const loc = { file: 'inputs/x.yml', line: 1, col: 1 };

/** Column declarations of every type, with the rules that apply to it. */
const columnArb: fc.Arbitrary<InputColumn> = fc
  .record({
    type: fc.oneof(
      fc.constant<ColumnType>({ kind: 'string' }),
      fc.constant<ColumnType>({ kind: 'text' }),
      fc.constant<ColumnType>({ kind: 'integer' }),
      fc.constant<ColumnType>({ kind: 'number' }),
      fc.integer({ min: 1, max: 38 }).chain((p) => fc.integer({ min: 0, max: p }).map((s): ColumnType => ({ kind: 'decimal', precision: p, scale: s }))),
      fc.constant<ColumnType>({ kind: 'boolean' }),
      fc.constant<ColumnType>({ kind: 'date' }),
      fc.constant<ColumnType>({ kind: 'timestamp' }),
      fc.constant<ColumnType>({ kind: 'enum', values: ['low', 'mid', 'high'] }),
    ),
    required: fc.boolean(),
    bounded: fc.boolean(),
    pattern: fc.option(fc.constantFrom('^[A-Z]+$', '^\\d{4}-Q[1-4]$', 'a.c', '^\\p{L}+$'), { nil: undefined }),
    maxLength: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    fixed: fc.boolean(),
  })
  .map(({ type, required, bounded, pattern, maxLength, fixed }) => {
    const col: InputColumn = { name: 'c', type, required, loc };
    const k = type.kind;
    if (bounded && (k === 'integer' || k === 'number')) Object.assign(col, { min: -5, max: 1000 });
    if (bounded && k === 'decimal') Object.assign(col, { min: '-1.5', max: '99' });
    if (bounded && k === 'date') Object.assign(col, { min: '2020-01-01', max: '2030-12-31' });
    if (bounded && k === 'timestamp') Object.assign(col, { min: '2020-01-01', max: '2030-12-31T23:59:59Z' });
    if (k === 'string' || k === 'text') {
      if (pattern) col.pattern = pattern;
      if (maxLength) col.maxLength = maxLength;
      if (fixed) col.allowedValues = ['ABC', 'Q', 'été'];
    }
    return col;
  });

/** Wire values a client might send: well-formed and not, of every JSON type. */
const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.constantFrom(0.1, 12.5, -0, 1e21, 2 ** 53, -(2 ** 63), 9007199254740993),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('x\ud800y', '\udc00', 'nul\u0000', '📈', 'ABC', 'été', 'Q', '2026-Q4', 'low', 'LOW', ' 1', '1.005', '-0.50', '+3', '.5', '1e3'),
  fc.constantFrom('2026-02-30', '2026-02-28', '0000-01-01', '2026-01-31T12:00:00Z', '2026-01-31T12:00:00.123456Z', '2026-01-31T12:00:00.120000Z', '2026-01-31 24:00:00Z', '2026-01-31T12:00:00+02:00', '2026-01-31T12:00'),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String),
  fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 40 })).map(([n, s]) => {
    const t = n.toString().padStart(s + 1, '0');
    return s === 0 ? t : `${t.slice(0, -s)}.${t.slice(-s)}`;
  }),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.object({ maxDepth: 0, maxKeys: 1 }),
);

/**
 * Run `body` in the page with the module at `url` as `m` and `arg` (serialized by Playwright, so
 * -0, NaN and lone surrogates survive). Built from text: the test runner rewrites `import()` in
 * this file's own functions, which would then not run in the browser.
 */
function inPage<T>(page: Browser['page'], url: string, body: string, arg: unknown): Promise<T> {
  const fn = new Function('input', `return import(input.url).then((m) => { const arg = input.arg; ${body} });`) as (input: { url: string; arg: unknown }) => Promise<T>;
  return page.evaluate(fn, { url, arg });
}

/** The column as `GET /api/v1/inputs` describes it to the form. */
const described = (col: InputColumn) => ({ name: col.name, type: typeName(col.type), required: col.required, rule: columnRule(col) });

describe.skipIf(missing !== undefined)('the form and the server run the same rules (headless Chromium)', () => {
  let s: FormServer;
  let b: Browser;

  beforeAll(async () => {
    s = await startFormServer();
    b = await openBrowser();
    await b.page.goto(`${s.server.url}/`);
  });
  afterAll(async () => {
    await b?.close();
    await s?.close();
  });

  it('serves the rule modules unchanged', async () => {
    for (const name of ['column-rules.js', 'status-rules.js', 'scenario-name.js']) {
      const served = await (await fetch(`${s.server.url}/assets/${name}`)).text();
      expect(served, name).toBe(readFileSync(resolve(import.meta.dirname, '../../src/rules', name), 'utf8'));
    }
  });

  it('agrees with the server on every generated column and value (property)', async () => {
    const cases = fc.sample(fc.tuple(columnArb, valueArb), { numRuns: 1500, seed: Number(process.env['RULES_SEED'] ?? 20261206) });
    const sent = cases.map(([col, value]) => ({ col: described(col), value }));
    // the browser's own path: the served rules.js, which loads the served column-rules.js
    const browser = await inPage<{ value?: unknown; error?: string }[]>(b.page, '/assets/rules.js', 'return arg.map(({ col, value }) => m.checkValue(col, value));', sent);
    const disagreements: string[] = [];
    cases.forEach(([col, value], i) => {
      const server = value === null && col.required ? { ok: false as const, message: 'is required' } : valueChecker(col)(value);
      const page = browser[i]!;
      // the form sends the canonical text, except numbers and booleans, which stay JSON ones
      const sends = col.type.kind === 'number' || col.type.kind === 'boolean' ? value : server.ok ? server.value : undefined;
      const same = server.ok ? page.error === undefined && Object.is(page.value, sends) : page.error === server.message;
      if (!same) disagreements.push(`${JSON.stringify(described(col))} ${JSON.stringify(value)}: server ${JSON.stringify(server)}, browser ${JSON.stringify(page)}`);
    });
    expect(disagreements.slice(0, 10)).toEqual([]);
  });

  it('offers exactly the status moves the server accepts (property)', async () => {
    const values = ['draft', 'submitted', 'approved', 'archived'];
    const statusArb = fc.record({
      transitions: fc.dictionary(fc.constantFrom(...values), fc.array(fc.record({ to: fc.constantFrom(...values), roles: fc.option(fc.subarray(['planner', 'finance']), { nil: undefined }) }), { maxLength: 3 })),
      initial: fc.option(fc.subarray(values, { minLength: 1 }), { nil: undefined }),
      locked: fc.option(fc.dictionary(fc.constantFrom(...values), fc.subarray(['planner', 'finance'])), { nil: undefined }),
      default: fc.option(fc.constantFrom(...values), { nil: undefined }),
    });
    const cases = fc.sample(fc.tuple(statusArb, fc.constantFrom(undefined, 'planner', 'finance'), fc.constantFrom(null, ...values)), { numRuns: 400, seed: 7 });
    const sent = cases.map(([rules, role, from]) => ({ col: { name: 'status', ...JSON.parse(JSON.stringify(rules)) }, role: role ?? null, from }));
    const browser = await inPage<{ allowed: string[] | null; lock: string | null }[]>(
      b.page,
      '/assets/status-rules.js',
      `return arg.map(({ col, role, from }) => ({
        allowed: m.allowedStatuses(col, role ?? undefined, from, ${JSON.stringify(values)}) ?? null,
        lock: m.lockProblem(col, role ?? undefined, from) ?? null,
      }));`,
      sent,
    );
    sent.forEach(({ col, role, from }, i) => {
      const r = role ?? undefined;
      const accepted = values.filter((to) => !moveProblem(col, r, from, to));
      const offered = browser[i]!.allowed;
      // what the form offers is what the server accepts (or, with no list, everything is)
      expect(offered ?? values, JSON.stringify({ col, role, from })).toEqual(accepted);
      expect(offered).toEqual(allowedStatuses(col, r, from, values) ?? null);
      expect(browser[i]!.lock).toBe(lockProblem(col, r, from) ?? null);
    });
  });
});
