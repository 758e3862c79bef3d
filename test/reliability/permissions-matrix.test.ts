import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputColumn, InputTable, Model, Project, TablePermission } from '../../src/ir/types.js';
import { startServer, type RunningHttpServer } from '../../src/server/start-server.js';
import { silentLogger } from '../../src/server/logger.js';
import { openProject } from '../../src/library/open-project.js';
import { sqlNames, type SqlNames } from '../../src/managed/sql-names.js';
import type { Writeback } from '../../src/library/writeback.js';
import { appliedDemoProject } from './helpers.js';

/**
 * Every role × input × operation × inside/outside the role's row filter, generated from the
 * loaded project.yml / inputs/*.yml (nothing hand-listed), tried over HTTP against what the config grants.
 */
type Op = 'read' | 'write' | 'delete' | 'model read';
type Where = 'inside' | 'outside';
type Row = Record<string, string | number | boolean>;

/** A value that passes a column's declared rules (the generator of valid rows). */
async function sampleValue(col: InputColumn, wb: Writeback, names: SqlNames): Promise<string | number | boolean> {
  const t = col.type;
  if (col.allowedValues && !Array.isArray(col.allowedValues)) {
    const src = col.allowedValues;
    const rows = await wb.adapter.query<{ v: string }>(`select ${names.id(src.column)} as v from ${names.source(src.source, src.table)} order by 1 limit 1`);
    return rows[0]!.v;
  }
  if (Array.isArray(col.allowedValues)) return col.allowedValues[0]!;
  switch (t.kind) {
    case 'enum':
      return t.values[0]!;
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return Math.max(Number(col.min ?? 0), 1);
    case 'decimal':
      return `${Math.max(Number(col.min ?? 0), 1)}.00`;
    case 'date':
      return '2026-01-01';
    case 'timestamp':
      return '2026-01-01T00:00:00Z';
    default: {
      const candidates = ['2031-Q4', 'x', 'sample', 'A1', '2026-01-01', '1'];
      const ok = candidates.find((c) => !col.pattern || new RegExp(col.pattern).test(c));
      if (!ok) throw new Error(`no sample value for ${col.name} (pattern ${col.pattern})`);
      return ok;
    }
  }
}

/** Inputs a model reads, directly or through upstream models (from the project's dependency info). */
function inputsRead(project: Project, model: Model, seen = new Set<string>()): Set<string> {
  const out = new Set(model.dependsOn.inputs);
  for (const up of model.dependsOn.models) {
    if (seen.has(up)) continue;
    seen.add(up);
    const m = project.models.find((x) => x.name === up);
    if (m) for (const i of inputsRead(project, m, seen)) out.add(i);
  }
  return out;
}

interface Case {
  role: string;
  input: string;
  op: Op;
  where: Where;
  model?: string;
}

describe('permissions matrix generated from the project config', () => {
  let dir: string;
  let wb: Writeback;
  let server: RunningHttpServer;
  let project: Project;
  let names: SqlNames;
  const tokens = new Map<string, string>();
  const attrs = new Map<string, Record<string, string>>();
  /** Per input and role: a row inside the role's filter and one outside (equal when the role has no filter). */
  const rowsFor = new Map<string, { inside: Row; outside: Row }>();
  const cases: Case[] = [];

  const keyOf = (input: InputTable, row: Row) => Object.fromEntries(input.key.map((k) => [k, row[k]!]));
  const perm = (input: InputTable, role: string): TablePermission | undefined => input.permissions[role];

  beforeAll(async () => {
    dir = await appliedDemoProject();
    wb = await openProject(dir);
    project = wb.project;
    names = sqlNames(project, project.defaultTarget, wb.adapter.dialect);
    // attribute values: for a filter on a linked-source column, a value that column has in the source
    for (const role of Object.values(project.roles)) {
      const values: Record<string, string> = {};
      for (const attr of role.attributes) {
        for (const input of Object.values(project.inputs)) {
          const f = perm(input, role.name)?.rowFilter.find((x) => x.attribute === attr);
          if (!f || values[attr]) continue;
          if (f.onSource && input.linksTo) {
            const r = await wb.adapter.query<{ v: string }>(
              `select ${names.id(f.column)}::varchar as v from ${names.source(input.linksTo.source, input.linksTo.table)} order by 1 limit 1`,
            );
            values[attr] = r[0]!.v;
          } else {
            const col = input.columns.find((c) => c.name === f.column)!;
            values[attr] = String(await sampleValue(col, wb, names));
          }
        }
        values[attr] ??= 'anything';
      }
      attrs.set(role.name, values);
      const made = await wb.tokens.create({ user: `u_${role.name}`, role: role.name, attributes: values });
      if (!made.ok) throw new Error(made.error.message);
      tokens.set(role.name, made.token);
    }
    // rows inside and outside each role's filter, written by the administrator
    for (const input of Object.values(project.inputs)) {
      const base: Row = {};
      for (const col of input.columns) if (col.required || input.key.includes(col.name)) base[col.name] = await sampleValue(col, wb, names);
      for (const role of Object.keys(project.roles)) {
        const filters = perm(input, role)?.rowFilter ?? [];
        const inside: Row = { ...base };
        const outside: Row = { ...base };
        const link = input.linksTo;
        if (link) {
          const [inputCol, sourceCol] = Object.entries(link.on)[0]!;
          const src = names.source(link.source, link.table);
          const conds = (negate: boolean) =>
            filters
              .filter((f) => f.onSource)
              .map((f) => `${negate ? 'not ' : ''}(${names.id(f.column)}::varchar = '${attrs.get(role)![f.attribute]!.replaceAll("'", "''")}')`);
          const pick = async (negate: boolean) => {
            const c = conds(negate);
            const r = await wb.adapter.query<{ v: string }>(`select ${names.id(sourceCol)} as v from ${src} ${c.length ? `where ${c.join(negate ? ' or ' : ' and ')}` : ''} order by 1 limit 1`);
            return r[0]!.v;
          };
          inside[inputCol] = await pick(false);
          outside[inputCol] = filters.some((f) => f.onSource) ? await pick(true) : inside[inputCol]!;
        }
        for (const f of filters.filter((x) => !x.onSource)) {
          inside[f.column] = attrs.get(role)![f.attribute]!;
          outside[f.column] = `${attrs.get(role)![f.attribute]!}_other`;
        }
        rowsFor.set(`${input.name}|${role}`, { inside, outside });
        const w = await wb.inputs.write(input.name, inside === outside ? [inside] : dedupe(input, [inside, outside]), { user: 'admin' });
        if (!w.ok) throw new Error(`seeding ${input.name} for ${role}: ${JSON.stringify(w.error)}`);
      }
      for (const role of Object.keys(project.roles))
        for (const op of ['read', 'write', 'delete'] as const) for (const where of ['inside', 'outside'] as const) cases.push({ role, input: input.name, op, where });
    }
    for (const model of project.models)
      for (const role of Object.keys(project.roles))
        for (const input of inputsRead(project, model)) for (const where of ['inside', 'outside'] as const) cases.push({ role, input, op: 'model read', where, model: model.name });
    server = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function dedupe(input: InputTable, rows: Row[]): Row[] {
    return [...new Map(rows.map((r) => [JSON.stringify(keyOf(input, r)), r])).values()];
  }

  async function call(role: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.get(role)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as { rows?: Row[]; error?: { code: string } } };
  }

  it('covers every role × input × operation × inside/outside', () => {
    const roles = Object.keys(project.roles).length;
    const inputs = Object.keys(project.inputs).length;
    expect(roles).toBeGreaterThan(1);
    expect(cases.filter((c) => c.op !== 'model read').length).toBe(roles * inputs * 3 * 2);
    expect(cases.some((c) => c.op === 'model read')).toBe(true);
  });

  it('answers every case as the config grants', async () => {
    const wrong: string[] = [];
    for (const c of cases) {
      const input = project.inputs[c.input]!;
      const p = perm(input, c.role);
      const filtered = (p?.rowFilter.length ?? 0) > 0;
      const { inside, outside } = rowsFor.get(`${c.input}|${c.role}`)!;
      const row = c.where === 'inside' ? inside : outside;
      const visible = c.where === 'inside' || !filtered;
      const label = `${c.role} × ${c.input} × ${c.op}${c.model ? ` (${c.model})` : ''} × ${c.where}`;
      if (c.op === 'read') {
        const q = Object.entries(keyOf(input, row)).map(([k, v]) => `filter.${k}=${encodeURIComponent(String(v))}`).join('&');
        const res = await call(c.role, 'GET', `/api/v1/inputs/${c.input}/rows?${q}`);
        const expected = p?.read ? 200 : 403;
        if (res.status !== expected) wrong.push(`${label}: ${res.status}, expected ${expected}`);
        else if (expected === 200 && (res.body.rows!.length > 0) !== visible) wrong.push(`${label}: row ${visible ? 'missing' : 'visible outside the filter'}`);
      } else if (c.op === 'write') {
        const res = await call(c.role, 'POST', `/api/v1/inputs/${c.input}/rows`, { rows: [row] });
        // outside a filter on the linked source, the key's source row looks like one that does not exist (422);
        // outside a filter on the input's own column, the row may not be written (403)
        const bySource = p?.rowFilter.some((f) => f.onSource) ?? false;
        const expected = !p?.write ? 403 : visible ? 200 : bySource ? 422 : 403;
        if (res.status !== expected) wrong.push(`${label}: ${res.status}, expected ${expected} ${JSON.stringify(res.body).slice(0, 200)}`);
      } else if (c.op === 'delete') {
        const res = await call(c.role, 'POST', `/api/v1/inputs/${c.input}/delete`, { keys: [keyOf(input, row)] });
        // a row outside a filter on the input's own column does not exist for the caller (404)
        const bySource = p?.rowFilter.some((f) => f.onSource) ?? false;
        const expected = !p?.delete ? 403 : visible ? 200 : bySource ? 403 : 404;
        if (res.status !== expected) wrong.push(`${label}: ${res.status}, expected ${expected} ${JSON.stringify(res.body).slice(0, 200)}`);
        if (res.status === 200) {
          const again = await wb.inputs.write(c.input, [row], { user: 'admin' });
          if (!again.ok) throw new Error(again.error.message);
        }
      } else {
        const model = project.models.find((m) => m.name === c.model)!;
        const readsAll = [...inputsRead(project, model)].every((i) => project.inputs[i]!.permissions[c.role]?.read === true);
        const res = await call(c.role, 'GET', `/api/v1/models/${c.model}/rows`);
        // a filter the server cannot place on the model's output is refused (403), never ignored
        if (!readsAll) {
          if (res.status !== 403) wrong.push(`${label}: ${res.status}, expected 403`);
          continue;
        }
        if (res.status === 403 && filtered) continue;
        if (res.status !== 200) {
          wrong.push(`${label}: ${res.status}, expected 200`);
          continue;
        }
        const link = input.linksTo ? Object.keys(input.linksTo.on)[0]! : input.key[0]!;
        const id = String(row[link]);
        const present = res.body.rows!.some((r) => Object.values(r).some((v) => String(v) === id));
        if (!visible && present) wrong.push(`${label}: rows of ${id} visible outside the filter`);
        if (visible && filtered && !present) wrong.push(`${label}: rows of ${id} missing`);
        for (const f of p?.rowFilter ?? []) {
          const value = attrs.get(c.role)![f.attribute];
          const leaked = res.body.rows!.filter((r) => f.column in r && String(r[f.column]) !== value);
          if (leaked.length > 0) wrong.push(`${label}: ${leaked.length} rows with ${f.column} ≠ ${value}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
