import { textFieldProblem } from '../rules/text-fields.js';
import type { Adapter } from '../adapters/adapter.js';
import { runTransaction } from '../adapters/run-transaction.js';
import type { SqlNames } from '../managed/sql-names.js';
import type { Actor } from '../auth/actor.js';
import { type Outcome, type WriteError, failure } from '../rules/outcome.js';
import { checkScenarioName } from '../rules/scenario-name.js';
import { BASE, findScenario, listScenarios, scenarioChain, type ScenarioInfo } from '../write/scenario-registry.js';
import { SCENARIO_PATHS_TABLE, SCENARIOS_TABLE } from '../managed/names.js';

/** Insert a scenario's row and its closure rows (itself, then each ancestor of `parentChain`). */
async function insertScenario(
  tx: Adapter,
  names: SqlNames,
  s: { name: string; parent: string; description: string | null; user: string; at: Date },
  parentChain: readonly string[],
): Promise<void> {
  const d = names.dialect;
  const list = (cols: string[]) => cols.map((c) => d.quoteIdent(c)).join(', ');
  await tx.execute(
    `insert into ${names.meta(SCENARIOS_TABLE)} (${list(['name', 'parent', 'description', 'created_by', 'created_at', 'archived_by', 'archived_at'])}) values (${[1, 2, 3, 4, 5].map((i) => d.param(i)).join(', ')}, null, null)`,
    [s.name, s.parent, s.description, s.user, s.at],
  );
  const params: (string | number)[] = [];
  const tuples = [s.name, ...parentChain].map((anc, i) => {
    params.push(s.name, anc, i);
    const b = params.length - 3;
    return `(${d.param(b + 1)}, ${d.param(b + 2)}, ${d.param(b + 3)})`;
  });
  await tx.execute(`insert into ${names.meta(SCENARIO_PATHS_TABLE)} (${list(['scenario', 'ancestor', 'depth'])}) values ${tuples.join(', ')}`, params);
}

/**
 * Inside a write's transaction: record a scenario written before anyone created it, as a child of
 * `base`, unless it is recorded by now — so a refused write records nothing. Two first writes at
 * once: one insert wins, the other transaction is retried and finds it.
 */
export async function recordWrittenScenario(tx: Adapter, names: SqlNames, name: string, user: string, at: string): Promise<void> {
  const q = names.dialect.quoteIdent('name');
  const found = await tx.query(`select ${q} from ${names.meta(SCENARIOS_TABLE)} where ${q} = ${names.dialect.param(1)}`, [name]);
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
  const q = (c: string) => d.quoteIdent(c);
  await writer.execute(`update ${names.meta(SCENARIOS_TABLE)} set ${q('archived_by')} = ${d.param(1)}, ${q('archived_at')} = ${d.param(2)} where ${q('name')} = ${d.param(3)}`, [user, now, name]);
  return { ok: true, scenario: { ...s, archivedBy: user, archivedAt: now.toISOString() } };
}
