import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdapter, resolveTarget } from '../../src/adapters/registry.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { planProject } from '../../src/plan/plan-project.js';
import { loadProject } from '../../src/project/load-project.js';
import { startServer, type RunningHttpServer } from '../../src/server/start-server.js';
import { silentLogger } from '../../src/server/logger.js';
import { openProject } from '../../src/library/open-project.js';
import type { Writeback } from '../../src/library/writeback.js';
import { appliedDemoProject } from './helpers.js';

/** Identifiers an attacker (or a careless copy-paste) could put in YAML. */
const HOSTILE_NAMES = [
  'a"b',
  "a'b",
  'a;drop table x',
  'x; drop table writeback._wb_tokens; --',
  'a--b',
  'a/*b*/',
  'a b',
  'a\nb',
  'a`b',
  'a[b]',
  'a.b',
  'a$1',
  'Accounts',
  'аccount', // Cyrillic а
  'ассоunt', // Cyrillic look-alikes
  'ﬁle', // ligature
  'a\u200bb', // zero-width space
  'ａｂｃ', // full-width
  '_hidden',
  'x__log',
  '1abc',
  'a'.repeat(64),
];
/** SQL reserved words: allowed as names, so they must be quoted wherever they are emitted. */
const RESERVED = { input: 'select', key: 'order', columns: ['user', 'from', 'group'], model: 'table' };

/** Where a name can go in a project, as a function from the name to the project's files. */
const PLACES: Record<string, (name: string) => Record<string, string>> = {
  'input name': (n) => ({ 'inputs/x.yml': `name: ${JSON.stringify(n)}\nkey: [id]\ncolumns:\n  id: { type: string }\n` }),
  'column name': (n) => ({ 'inputs/x.yml': `name: x\nkey: [id]\ncolumns:\n  id: { type: string }\n  ${JSON.stringify(n)}: { type: string }\n` }),
  'key column': (n) => ({ 'inputs/x.yml': `name: x\nkey: [${JSON.stringify(n)}]\ncolumns:\n  ${JSON.stringify(n)}: { type: string }\n` }),
  'model name': (n) => ({
    'inputs/x.yml': 'name: x\nkey: [id]\ncolumns:\n  id: { type: string }\n',
    'models/m.yml': `name: ${JSON.stringify(n)}\nkind: sql\nsql: "select * from {{ input('x') }}"\n`,
  }),
  'role name': (n) => ({
    'project.yml': `name: inj\nroles:\n  ${JSON.stringify(n)}: {}\n`,
    'inputs/x.yml': 'name: x\nkey: [id]\ncolumns:\n  id: { type: string }\n',
  }),
  'source table identifier': (n) => ({
    'project.yml': `name: inj\nsources:\n  crm:\n    tables:\n      accounts: { identifier: ${JSON.stringify(n)} }\n`,
  }),
  'source schema': (n) => ({ 'project.yml': `name: inj\nsources:\n  crm:\n    schema: ${JSON.stringify(n)}\n    tables: [accounts]\n` }),
};

function writeFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wb-inj-'));
  const all = { 'project.yml': 'name: inj\n', ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Values that must be stored and read back byte for byte. */
const HOSTILE_VALUES = [
  "'; drop table writeback.revenue_forecast__log; --",
  "acc' or '1'='1",
  '"); delete from writeback._wb_tokens; --',
  '$1 $2 ?, :name @p0 %s {{ env("HOME") }} ${x}',
  '\\ \\\\ \\n \\u0000 \\x00',
  'line 1\nline 2\r\nline 3\ttab',
  '😀 👩‍👩‍👧‍👦 🇪🇺',
  'e\u0301 é ﬁ Å Å', // combining, ligature, NFC/NFD twins (must not be normalized)
  '\u202eRTL override\u202c and \u200bzero width\u200d',
  'ａｃｃ＿００１ аccount',
  '-- comment /* block */ #hash',
  '<script>alert(1)</script>',
  ' leading and trailing spaces ',
  '',
  'x'.repeat(500),
];

describe('injection', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const [place, files] of Object.entries(PLACES)) {
    it(`rejects hostile identifiers as ${place} in validate`, async () => {
      for (const name of HOSTILE_NAMES) {
        const dir = writeFiles(files(name));
        dirs.push(dir);
        const loaded = await loadProject(dir);
        // Source physical names may be upper case (Snowflake) — those are quoted, never rejected; everything else hostile is rejected.
        const allowedUpper = (place === 'source table identifier' || place === 'source schema') && /^[A-Za-z0-9_$-]+$/.test(name);
        if (allowedUpper) continue;
        expect(loaded.ok, `${place} ${JSON.stringify(name)} was accepted`).toBe(false);
        if (!loaded.ok) expect(loaded.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      }
    });
  }

  it('quotes reserved words everywhere: apply, write, read, verify', async () => {
    const cols = RESERVED.columns.map((c) => `  ${c}: { type: string }`).join('\n');
    const dir = writeFiles({
      'inputs/select.yml': `name: ${RESERVED.input}\nkey: [${RESERVED.key}]\ncolumns:\n  ${RESERVED.key}: { type: string }\n${cols}\n`,
      'models/table.yml': `name: ${RESERVED.model}\nkind: sql\nsql: "select * from {{ input('${RESERVED.input}') }}"\n`,
    });
    dirs.push(dir);
    const loaded = await loadProject(dir);
    expect(loaded.ok, JSON.stringify(!loaded.ok && loaded.diagnostics)).toBe(true);
    if (!loaded.ok) return;
    const target = resolveTarget(loaded.value);
    const adapter = await openAdapter(loaded.value, target);
    try {
      const plan = await planProject(loaded.value, { targetName: target.name, adapter, user: 't' });
      if (!plan.ok) throw new Error(JSON.stringify(plan.diagnostics));
      const applied = await applyPlan(plan.value, adapter);
      expect(applied.ok, JSON.stringify(!applied.ok && applied.diagnostics)).toBe(true);
    } finally {
      await adapter.close();
    }
    const wb = await openProject(dir);
    try {
      const row = { order: "o'1", user: 'u;--', from: '"f"', group: 'g' };
      const w = await wb.inputs.write('select', [row], { user: 'x' });
      expect(w.ok, JSON.stringify(w)).toBe(true);
      const r = await wb.inputs.rows('select');
      expect(r.ok && r.rows.map((x) => ({ order: x.order, user: x.user, from: x.from, group: x.group }))).toEqual([row]);
      const view = await wb.adapter.query('select * from analytics."table"');
      expect(view.map((x) => x.from)).toEqual(['"f"']);
      expect((await wb.verify()).ok).toBe(true);
    } finally {
      await wb.close();
    }
  });

  describe('hostile values over HTTP', () => {
    let dir: string;
    let wb: Writeback;
    let server: RunningHttpServer;
    beforeAll(async () => {
      dir = await appliedDemoProject();
      dirs.push(dir);
      wb = await openProject(dir);
      server = await startServer(wb, { port: 0, devUser: { user: 'inj' }, logger: silentLogger, snapshot: false });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('stores and reads back every value byte for byte (rows, history, model)', async () => {
      const rows = HOSTILE_VALUES.map((note, i) => ({ account_id: 'acc_001', quarter: `20${String(10 + i).padStart(2, '0')}-Q1`, amount: '1.00', note }));
      const post = await fetch(`${server.url}/api/v1/inputs/revenue_forecast/rows`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ rows, comment: HOSTILE_VALUES[0] }),
      });
      expect(post.status, await post.clone().text()).toBe(200);
      const got = await fetch(`${server.url}/api/v1/inputs/revenue_forecast/rows?filter.account_id=acc_001&limit=1000`);
      const page = (await got.json()) as { rows: { quarter: string; note: string }[] };
      for (const r of rows) {
        const back = page.rows.find((x) => x.quarter === r.quarter);
        expect(Buffer.from(back?.note ?? '\u0000missing', 'utf8').equals(Buffer.from(r.note, 'utf8')), `value ${JSON.stringify(r.note)} came back as ${JSON.stringify(back?.note)}`).toBe(true);
      }
      const hist = await fetch(`${server.url}/api/v1/inputs/revenue_forecast/history?key.account_id=acc_001&limit=1000`);
      const entries = ((await hist.json()) as { entries: { comment: string | null; changes: { column: string; new: unknown }[] }[] }).entries;
      const notes = entries.flatMap((e) => e.changes.filter((c) => c.column === 'note').map((c) => c.new));
      for (const v of HOSTILE_VALUES.filter((v) => v !== '')) expect(notes).toContain(v);
      expect(entries.every((e) => e.comment === HOSTILE_VALUES[0])).toBe(true);
      // and in the warehouse itself, exactly
      const stored = await wb.adapter.query<{ note: string | null }>(
        `select note from writeback.revenue_forecast where account_id = 'acc_001' order by quarter`,
      );
      expect(stored.map((s) => s.note)).toEqual(rows.map((r) => r.note));
      expect((await wb.verify()).ok).toBe(true);
    });
  });
});
