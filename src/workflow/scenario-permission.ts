import { isAdmin } from '../auth/permissions.js';
import type { Project } from '../ir/types.js';
import type { Actor } from '../auth/actor.js';
import type { WriteError } from '../rules/outcome.js';
import type { ScenarioInfo } from '../write/scenario-registry.js';

/** What an actor wants to do with the scenario registry. */
export type ScenarioAction = 'create' | 'archive';

/** The roles that may `action` scenarios, and whether project.yml declared them (`scenarios.<action>`) or they are the default. */
export interface ScenarioRoles {
  roles: string[];
  declared: boolean;
  /** Archive by default: a scenario's creator may archive it too. */
  creator: boolean;
}

/**
 * Who may create / archive scenarios. Declared in project.yml `scenarios: { create: [...], archive: [...] }`
 * (a declared list is exhaustive); otherwise create = every role with `write` on an input table with
 * `scenarios: true`, archive = every role with `approve` on such a table, plus the scenario's creator.
 */
export function scenarioRoles(project: Project, action: ScenarioAction): ScenarioRoles {
  const declared = project.scenarioPermissions?.[action];
  if (declared) return { roles: declared, declared: true, creator: false };
  const grant = action === 'create' ? 'write' : 'approve';
  const roles = new Set<string>();
  for (const input of Object.values(project.inputs)) {
    if (!input.scenarios) continue;
    for (const [role, perm] of Object.entries(input.permissions)) if (perm[grant]) roles.add(role);
  }
  return { roles: [...roles].sort(), declared: false, creator: action === 'archive' };
}

/**
 * `forbidden` when the actor may not create scenarios / archive `scenario`; undefined when allowed.
 * The administrator (no role: CLI, admin token) may do everything.
 */
export function checkScenarioPermission(project: Project, actor: Actor | undefined, action: ScenarioAction, scenario?: ScenarioInfo): WriteError | undefined {
  if (isAdmin(actor)) return undefined;
  const role = actor!.role!;
  const allowed = scenarioRoles(project, action);
  if (allowed.roles.includes(role)) return undefined;
  if (allowed.creator && scenario && scenario.createdBy !== null && scenario.createdBy === actor!.user) return undefined;
  const what = action === 'create' ? 'create scenarios' : `archive scenario '${scenario?.name ?? '?'}'`;
  const who = allowed.roles.length > 0 ? `roles that may: ${allowed.roles.join(', ')}` : 'no role may; only the administrator';
  const creator = allowed.creator ? `, and the scenario's creator${scenario?.createdBy ? ` (${scenario.createdBy})` : ''}` : '';
  const source = allowed.declared ? `project.yml scenarios.${action}` : `the default; declare project.yml scenarios.${action} to change it`;
  return { code: 'forbidden', message: `role '${role}' may not ${what} (${who}${creator}; ${source})`, details: [] };
}
