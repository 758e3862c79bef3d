import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canAppendBulk, type Adapter } from '../../../src/adapters/adapter.js';
import { openAdapter } from '../../../src/adapters/registry.js';
import type { InputTable } from '../../../src/ir/types.js';
import { createWriteback, type Writeback } from '../../../src/library/writeback.js';
import { applyOnPostgres, columnsIn, postgresProject } from './pg-project.js';
import { postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';

// Bulk writes on Postgres go through `COPY … FROM STDIN` (text format). Values that COPY's text
// format treats specially — tab, newline, carriage return, backslash, `\N`, `\.` — and NULL next
// to the empty string, in keys and in values, must come back exactly as written, and the hash
// chain must verify.
const missing = postgresUnavailable();
let server: PgServer | undefined;
let adapter: Adapter | undefined;
let wb: Writeback | undefined;

const loc = { file: 'inputs/hostile.yml', line: 1, col: 1 };
const col = columnsIn(loc.file);
const hostile: InputTable = {
  name: 'hostile',
  key: ['k'],
  columns: [
    col('k', { kind: 'string' }, { required: true }),
    col('body', { kind: 'text' }),
    col('amount', { kind: 'decimal', precision: 38, scale: 6 }),
    col('units', { kind: 'integer' }),
    col('ratio', { kind: 'number' }),
    col('day', { kind: 'date' }),
    col('due', { kind: 'timestamp' }),
    col('flag', { kind: 'boolean' }),
  ],
  scenarios: false,
  permissions: {},
  loc,
};

/** Texts COPY's text format would misread if they were not escaped, and their neighbours. */
const TEXTS = [
  'tab\there',
  'line\nbreak',
  'crlf\r\nend',
  'lone\rcr',
  'back\\slash',
  '\\',
  '\\\\',
  '\\N',
  'N',
  'NULL',
  '\\.',
  '.',
  '\\t literally',
  'trailing backslash \\',
  '"double" \'single\'',
  ',;|',
  '',
  ' ',
  '👩‍💻🚀 emoji',
  'ünïcödé 日本語 עברית',
  '\u0001\u001f control',
  `${'long '.repeat(40_000)}\t\n\\ end`,
];

const DECIMALS = ['0.000000', '-0.010000', '12345678901234567890123456789012.123456', '-99999999999999999999999999999999.999999', '1.500000'];
const INTEGERS = [0, -1, 9007199254740991, -9007199254740991, 42];
const NUMBERS = [0.1, -1e-300, 1.7976931348623157e308, 123456.789, 5e-324];
const DAYS = ['2024-02-29', '0001-01-01', '9999-12-31', '1970-01-01'];
const TIMES = ['2026-12-06T16:00:00.123Z', '1970-01-01T00:00:00.000Z', '2000-02-29T23:59:59.999Z', '1969-12-31T23:59:59.999Z'];

/** 120 rows (the bulk path: more rows than the small-batch and listed-key limits), every hostile text as a key and as a value. */
function rows(round: number): Record<string, unknown>[] {
  return Array.from({ length: 240 }, (_, i) => {
    const text = TEXTS[i % TEXTS.length]!;
    const nulls = i % 7 === 3;
    return {
      k: `${text}#${i}`,
      body: nulls ? null : `${text}${round ? ` r${round}` : ''}`,
      amount: nulls ? null : DECIMALS[i % DECIMALS.length],
      units: nulls ? null : INTEGERS[(i + round) % INTEGERS.length],
      ratio: nulls ? null : NUMBERS[i % NUMBERS.length],
      day: nulls ? null : DAYS[i % DAYS.length],
      due: nulls ? null : TIMES[i % TIMES.length],
      flag: nulls ? null : (i + round) % 2 === 0,
    };
  });
}

/** Every row of the table through the library, keyed by `k`, user columns only. */
async function readAll(): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  let cursor: string | undefined;
  do {
    const page = await wb!.inputs.rows('hostile', { limit: 100, ...(cursor ? { cursor } : {}) });
    if (!page.ok) throw new Error(JSON.stringify(page.error));
    for (const r of page.rows) out.set(String(r.k), Object.fromEntries(hostile.columns.map((c) => [c.name, (r as Record<string, unknown>)[c.name]])));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

if (missing && process.env.CI === 'true') {
  describe('Postgres bulk writes through COPY', () => {
    it('needs a PostgreSQL server in CI', () => {
      expect.fail(`${missing}; .ci/run installs it with \`apt-get install -y postgresql\``);
    });
  });
}

describe.skipIf(Boolean(missing))(`Postgres bulk writes through COPY${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    server = await startPostgres();
    server.createDatabase('wb_copy');
    const project = postgresProject(server, 'wb_copy', { hostile });
    adapter = await openAdapter(project, project.targets.pg!);
    await applyOnPostgres(project, adapter);
    wb = await createWriteback(project, adapter, { targetName: 'pg' });
  }, 120_000);

  afterAll(async () => {
    await wb?.close();
    await adapter?.close();
    server?.stop();
  });

  it('the Postgres adapter has the bulk path', () => {
    expect(canAppendBulk(adapter!)).toBe(true);
  });

  it('new rows with tabs, newlines, backslashes, \\N, quotes, emoji, empty strings and nulls come back exactly as written', async () => {
    const written = rows(0);
    const result = await wb!.inputs.write('hostile', written, { user: 'tab\tuser\n\\N', comment: 'a\tcomment\nwith \\N' });
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    const back = await readAll();
    expect(back.size).toBe(written.length);
    for (const row of written) expect(back.get(String(row.k)), JSON.stringify(row.k)).toEqual(row);
  });

  it('updating every row (existing keys, bulk upsert from the log) and deleting some keeps them exact; verify is clean', async () => {
    const updated = rows(1);
    const result = await wb!.inputs.write('hostile', updated, { user: 'u' });
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    const gone = updated.filter((_, i) => i % 5 === 0).map((r) => ({ k: r.k }));
    const deleted = await wb!.inputs.delete('hostile', gone, { user: 'u' });
    expect(deleted.ok, JSON.stringify(!deleted.ok && deleted.error)).toBe(true);
    const back = await readAll();
    const kept = updated.filter((_, i) => i % 5 !== 0);
    expect(back.size).toBe(kept.length);
    for (const row of kept) expect(back.get(String(row.k)), JSON.stringify(row.k)).toEqual(row);

    const history = await wb!.inputs.history('hostile', { key: { k: String(updated[1]!.k) } });
    expect(history.ok && history.entries.map((e) => [e.op, e.user])).toEqual([
      ['upsert', 'tab\tuser\n\\N'],
      ['upsert', 'u'],
    ]);
    const report = await wb!.verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
