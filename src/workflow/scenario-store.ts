import { textFieldProblem } from '../rules/text-fields.js';
import type { Adapter } from '../adapters/adapter.js';
import { runTransaction } from '../adapters/run-transaction.js';
import type { SqlNames } from '../managed/sql-names.js';
import type { Actor } from '../auth/actor.js';
import { type Outcome, type WriteError, failure } from '../rules/outcome.js';
import { isoFromDb } from '../rules/wire-values.js';
import { SCENARIO_PATHS_TABLE, SCENARIOS_TABLE } from '../managed/names.js';

/** Scenario names: a lower-case letter, then lower-case letters, digits and `_`; at most 63 characters. The one rule for reads, writes and `create`. */
export const SCENARIO_NAME_RE = /^[a-z][a-z0-9_]{0,62}$/;

/** `bad_request` naming the scenario when it is not a valid scenario name; undefined when it is. */
export function checkScenarioName(name: string): WriteError | undefined {
  if (SCENARIO_NAME_RE.test(name)) return undefined;
  const shown = name.length > 70 ? `${name.slice(0, 70)}…` : name;
  return {
    code: 'bad_request',
    message: `invalid scenario name '${shown}' (a lower-case letter, then lower-case letters, digits and _; at most 63 characters)`,
    details: [{ column: 'scenario', message: `invalid scenario name '${shown}'` }],
  };
}

/** A recorded scenario (`base` is implicit and always exists). */
export interface ScenarioInfo {
  name: string;
  parent: string | null;
  description: string | null;
  createdBy: string | null;
  createdAt: string | null;
  archivedBy: string | null;
  archivedAt: string | null;
}

const BASE: ScenarioInfo = { name: 'base', parent: null, description: 'The plan of record.', createdBy: null, createdAt: null, archivedBy: null, archivedAt: null };

/** Every recorded scenario, `base` first, then by creation time. */
export async function listScenarios(reader: Adapter, names: SqlNames): Promise<ScenarioInfo[]> {
  const rows = await reader.query(
    `select name, parent, description, created_by, created_at, archived_by, archived_at from ${names.meta(SCENARIOS_TABLE)} order by created_at, name`,
  );
  return [
    BASE,
    ...rows.map((r) => ({
      name: String(r.name),
      parent: String(r.parent),
      description: r.description == null ? null : String(r.description),
      createdBy: String(r.created_by),
      createdAt: isoFromDb(r.created_at),
      archivedBy: r.archived_by == null ? null : String(r.archived_by),
      archivedAt: isoFromDb(r.archived_at),
    })),
  ];
}

/** One scenario, or undefined when it was never recorded. */
export async function findScenario(reader: Adapter, names: SqlNames, name: string): Promise<ScenarioInfo | undefined> {
  return (await listScenarios(reader, names)).find((s) => s.name === name);
}

/**
 * The fall-back chain of a scenario: itself, its parent, …, `base`. A scenario that was written
 * without being created (older clients) is a child of `base`.
 */
export async function scenarioChain(reader: Adapter, names: SqlNames, scenario: string): Promise<string[]> {
  if (scenario === 'base') return ['base'];
  return chainIn(await listScenarios(reader, names), scenario);
}

/** The fall-back chain of `scenario` within an already listed registry. */
export function chainIn(list: ScenarioInfo[], scenario: string): string[] {
  if (scenario === 'base') return ['base'];
  const all = new Map(list.map((s) => [s.name, s]));
  const chain = [scenario];
  let cur = all.get(scenario)?.parent ?? 'base';
  while (cur !== 'base' && !chain.includes(cur) && chain.length < 64) {
    chain.push(cur);
    cur = all.get(cur)?.parent ?? 'base';
  }
  chain.push('base');
  return chain;
}

/**
 * A scenario that a read may name: `base`, or a recorded scenario (archived ones included, their
 * data stays readable), with its fall-back chain. An invalid name is `bad_request`; a valid name
 * that was never recorded is `not_found` (reads never invent a scenario; a write records it).
 */
export async function readableScenario(reader: Adapter, names: SqlNames, name: string): Promise<Outcome<{ scenario: ScenarioInfo; chain: string[] }>> {
  const invalid = checkScenarioName(name);
  if (invalid) return { ok: false, error: invalid };
  if (name === 'base') return { ok: true, scenario: BASE, chain: ['base'] };
  const all = await listScenarios(reader, names);
  const scenario = all.find((s) => s.name === name);
  if (!scenario) return failure('not_found', `no scenario '${name}'`, [{ column: 'scenario', message: `no scenario '${name}' (create it first, or write to it)` }]);
  return { ok: true, scenario, chain: chainIn(all, name) };
}

/** Insert a scenario's row and its closure rows (itself, then each ancestor of `parentChain`). */
async function insertScenario(
  tx: Adapter,
  names: SqlNames,
  s: { name: string; parent: string; description: string | null; user: string; at: Date },
  parentChain: readonly string[],
): Promise<void> {
  const d = names.dialect;
  await tx.execute(
    `insert into ${names.meta(SCENARIOS_TABLE)} (name, parent, description, created_by, created_at, archived_by, archived_at) values (${[1, 2, 3, 4, 5].map((i) => d.param(i)).join(', ')}, null, null)`,
    [s.name, s.parent, s.description, s.user, s.at],
  );
  const params: (string | number)[] = [];
  const tuples = [s.name, ...parentChain].map((anc, i) => {
    params.push(s.name, anc, i);
    const b = params.length - 3;
    return `(${d.param(b + 1)}, ${d.param(b + 2)}, ${d.param(b + 3)})`;
  });
  await tx.execute(`insert into ${names.meta(SCENARIO_PATHS_TABLE)} (scenario, ancestor, depth) values ${tuples.join(', ')}`, params);
}

/**
 * Inside a write's transaction: record a scenario written before anyone created it, as a child of
 * `base`, unless it is recorded by now — so a refused write records nothing. Two first writes at
 * once: one insert wins, the other transaction is retried and finds it.
 */
export async function recordWrittenScenario(tx: Adapter, names: SqlNames, name: string, user: string, at: string): Promise<void> {
  const found = await tx.query(`select name from ${names.meta(SCENARIOS_TABLE)} where name = ${names.dialect.param(1)}`, [name]);
  if (found.length > 0) return;
  await insertScenario(tx, names, { name, parent: 'base', description: null, user, at: new Date(at) }, ['base']);
}

/** Options of `createScenario`: the scenario, and who creates it (`role` absent = administrator). */
export interface CreateScenarioInput extends Actor {
  name: string;
  /** `base` (default) or another active scenario. */
  from?: string;
  description?: string;
}

/** Record a scenario and its ancestry (one transaction). Copy-on-write: nothing is copied. */
export async function createScenario(writer: Adapter, names: SqlNames, input: CreateScenarioInput): Promise<Outcome<{ scenario: ScenarioInfo }>> {
  const parent = input.from ?? 'base';
  const invalid = checkScenarioName(input.name);
  if (invalid) return { ok: false, error: invalid };
  if (input.name === 'base') return failure('bad_request', "'base' always exists");
  if (!input.user) return failure('bad_request', 'a user is required');
  const badText = textFieldProblem({ user: input.user, description: input.description });
  if (badText) return badText;
  const existing = await listScenarios(writer, names);
  if (existing.some((s) => s.name === input.name)) return failure('conflict', `scenario '${input.name}' already exists`);
  const p = existing.find((s) => s.name === parent);
  if (!p) return failure('not_found', `no scenario '${parent}' to create '${input.name}' from`);
  if (p.archivedAt) return failure('bad_request', `scenario '${parent}' is archived`);
  const chain = await scenarioChain(writer, names, parent);
  const now = new Date(Date.now());
  await runTransaction(writer, (tx) => insertScenario(tx, names, { name: input.name, parent, description: input.description ?? null, user: input.user, at: now }, chain));
  return {
    ok: true,
    scenario: { name: input.name, parent, description: input.description ?? null, createdBy: input.user, createdAt: now.toISOString(), archivedBy: null, archivedAt: null },
  };
}

/**
 * Archive a scenario: it disappears from `__by_scenario` views and takes no more writes; its data
 * and log stay. `authorize` (when given) decides, once the scenario is found, whether the actor
 * may archive it (it may depend on who created it).
 */
export async function archiveScenario(
  writer: Adapter,
  names: SqlNames,
  name: string,
  user: string,
  authorize?: (scenario: ScenarioInfo) => WriteError | undefined,
): Promise<Outcome<{ scenario: ScenarioInfo }>> {
  if (name === 'base') return failure('bad_request', "'base' cannot be archived");
  if (!user) return failure('bad_request', 'a user is required');
  const all = await listScenarios(writer, names);
  const s = all.find((x) => x.name === name);
  if (!s) return failure('not_found', `no scenario '${name}'`);
  const denied = authorize?.(s);
  if (denied) return { ok: false, error: denied };
  const children = all.filter((x) => x.parent === name && !x.archivedAt).map((x) => x.name);
  if (children.length > 0) return failure('bad_request', `scenario '${name}' has active child scenarios (${children.join(', ')}); archive them first`);
  if (s.archivedAt) return { ok: true, scenario: s };
  const d = names.dialect;
  const now = new Date(Date.now());
  await writer.execute(`update ${names.meta(SCENARIOS_TABLE)} set archived_by = ${d.param(1)}, archived_at = ${d.param(2)} where name = ${d.param(3)}`, [user, now, name]);
  return { ok: true, scenario: { ...s, archivedBy: user, archivedAt: now.toISOString() } };
}
