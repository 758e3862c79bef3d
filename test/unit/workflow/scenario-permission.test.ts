import { describe, expect, it } from 'vitest';
import type { InputTable, Project, TablePermission } from '../../../src/ir/types.js';
import { checkScenarioPermission, scenarioRoles } from '../../../src/workflow/scenario-permission.js';
import type { ScenarioInfo } from '../../../src/write/scenario-registry.js';

const loc = { file: 'inputs/t.yml', line: 1, col: 1 };
const grant = (more: Partial<TablePermission>): TablePermission => ({ read: true, write: false, delete: false, approve: false, rowFilter: [], ...more });
const input = (name: string, scenarios: boolean, permissions: Record<string, TablePermission>): InputTable => ({
  name,
  key: ['id'],
  columns: [{ name: 'id', type: { kind: 'string' }, required: true, loc }],
  scenarios,
  permissions,
  loc,
});
const project = (more: Partial<Project> = {}): Project => ({
  dir: '/tmp/p',
  name: 'p',
  defaultTarget: 'dev',
  targets: {},
  schemas: { inputs: 'writeback', views: 'analytics' },
  sources: {},
  seeds: [],
  vars: {},
  roles: { planner: { name: 'planner', attributes: [] }, finance: { name: 'finance', attributes: [] }, ops: { name: 'ops', attributes: [] }, viewer: { name: 'viewer', attributes: [] } },
  inputs: {
    forecast: input('forecast', true, { planner: grant({ write: true }), finance: grant({ write: true, approve: true }), viewer: grant({}) }),
    // write/approve on a table WITHOUT scenarios does not count
    tickets: input('tickets', false, { ops: grant({ write: true, approve: true }) }),
  },
  models: [],
  macros: {},
  ...more,
});
const scenario = (name: string, createdBy: string): ScenarioInfo => ({ name, parent: 'base', description: null, createdBy, createdAt: '2026-01-01T00:00:00.000Z', archivedBy: null, archivedAt: null });

describe('scenario permissions', () => {
  it('default: create = roles with write on a table with scenarios; archive = roles with approve there (+ the creator)', () => {
    expect(scenarioRoles(project(), 'create')).toEqual({ roles: ['finance', 'planner'], declared: false, creator: false });
    expect(scenarioRoles(project(), 'archive')).toEqual({ roles: ['finance'], declared: false, creator: true });
    const p = project();
    expect(checkScenarioPermission(p, { user: 'ana', role: 'planner' }, 'create')).toBeUndefined();
    expect(checkScenarioPermission(p, { user: 'oz', role: 'ops' }, 'create')?.code).toBe('forbidden');
    expect(checkScenarioPermission(p, { user: 'vi', role: 'viewer' }, 'create')?.message).toBe(
      "role 'viewer' may not create scenarios (roles that may: finance, planner; the default; declare project.yml scenarios.create to change it)",
    );
    expect(checkScenarioPermission(p, { user: 'fin', role: 'finance' }, 'archive', scenario('s', 'ana'))).toBeUndefined();
    expect(checkScenarioPermission(p, { user: 'ana', role: 'planner' }, 'archive', scenario('s', 'ana'))).toBeUndefined(); // its creator
    expect(checkScenarioPermission(p, { user: 'bo', role: 'planner' }, 'archive', scenario('s', 'ana'))?.message).toBe(
      "role 'planner' may not archive scenario 's' (roles that may: finance, and the scenario's creator (ana); the default; declare project.yml scenarios.archive to change it)",
    );
  });

  it('declared lists are exhaustive (no creator rule); an empty list leaves only the administrator', () => {
    const p = project({ scenarioPermissions: { create: ['finance'], archive: [] } });
    expect(checkScenarioPermission(p, { user: 'ana', role: 'planner' }, 'create')?.message).toBe(
      "role 'planner' may not create scenarios (roles that may: finance; project.yml scenarios.create)",
    );
    expect(checkScenarioPermission(p, { user: 'oz', role: 'ops' }, 'create')?.code).toBe('forbidden');
    expect(checkScenarioPermission(project({ scenarioPermissions: { create: ['ops'] } }), { user: 'oz', role: 'ops' }, 'create')).toBeUndefined();
    expect(checkScenarioPermission(p, { user: 'ana', role: 'finance' }, 'archive', scenario('s', 'ana'))?.message).toBe(
      "role 'finance' may not archive scenario 's' (no role may; only the administrator; project.yml scenarios.archive)",
    );
    // only `create` declared: archive keeps its default
    expect(scenarioRoles(project({ scenarioPermissions: { create: ['finance'] } }), 'archive').declared).toBe(false);
  });

  it('the administrator (no role) may do everything', () => {
    const p = project({ scenarioPermissions: { create: [], archive: [] } });
    expect(checkScenarioPermission(p, { user: 'root' }, 'create')).toBeUndefined();
    expect(checkScenarioPermission(p, undefined, 'archive', scenario('s', 'ana'))).toBeUndefined();
  });
});
