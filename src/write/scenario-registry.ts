import type { Adapter } from '../adapters/adapter.js';
import { SCENARIOS_TABLE } from '../managed/names.js';
import type { SqlNames } from '../managed/sql-names.js';
import { type Outcome, failure } from '../rules/outcome.js';
import { checkScenarioName } from '../rules/scenario-name.js';
import { isoFromDb } from '../rules/wire-values.js';

/**
 * Reading the scenario registry (`_wb_scenarios`): which scenarios exist and the chain each one
 * falls back along. Reads and writes of scenario rows need it; creating and archiving scenarios
 * is the planning workflows' (src/workflow/scenario-store.ts).
 */

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

export const BASE: ScenarioInfo = { name: 'base', parent: null, description: 'The plan of record.', createdBy: null, createdAt: null, archivedBy: null, archivedAt: null };

/** Every recorded scenario, `base` first, then by creation time. */
export async function listScenarios(reader: Adapter, names: SqlNames): Promise<ScenarioInfo[]> {
  const q = (c: string) => names.dialect.quoteIdent(c);
  const cols = ['name', 'parent', 'description', 'created_by', 'created_at', 'archived_by', 'archived_at'].map(q).join(', ');
  const rows = await reader.query(`select ${cols} from ${names.meta(SCENARIOS_TABLE)} order by ${q('created_at')}, ${q('name')}`);
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
