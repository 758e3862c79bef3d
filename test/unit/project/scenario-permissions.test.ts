import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/project/load-project.js';
import { at, BASE, diagnose, writeProject } from './helpers.js';

const withScenarios = (block: string) => `${BASE['project.yml']}${block}`;

describe('project.yml scenarios: (who may create and archive scenarios)', () => {
  it('loads declared roles into the IR; absent = no scenarioPermissions (the defaults apply)', async () => {
    const r = await loadProject(writeProject({ ...BASE, 'project.yml': withScenarios('scenarios: { create: [planner, finance, planner], archive: [finance] }\n') }));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.scenarioPermissions).toEqual({ create: ['planner', 'finance'], archive: ['finance'] });
    const plain = await loadProject(writeProject(BASE));
    expect(plain.ok && plain.value.scenarioPermissions).toBe(undefined);
    const empty = await loadProject(writeProject({ ...BASE, 'project.yml': withScenarios('scenarios: { archive: [] }\n') }));
    expect(empty.ok && empty.value.scenarioPermissions).toEqual({ archive: [] });
  });

  it('an undeclared role is unknown-role at its position in project.yml, with a did-you-mean', async () => {
    const text = withScenarios('scenarios:\n  create: [planner, planer]\n  archive: [auditor]\n');
    const diags = await diagnose({ 'project.yml': text });
    expect(diags.map((d) => `${d.code}@${d.loc?.file}:${d.loc?.line}:${d.loc?.col}`)).toEqual([
      `unknown-role@project.yml:${at(text, 'planer]')}`,
      `unknown-role@project.yml:${at(text, 'auditor')}`,
    ]);
    expect(diags[0]?.message).toBe('role `planer` is not declared under `roles:` in project.yml; roles: `planner`, `finance`');
    expect(diags[0]?.hint).toBe('did you mean `planner`?');
  });

  it('an unknown key under scenarios: is unknown-key, listing create and archive', async () => {
    const text = withScenarios('scenarios: { create: [planner], delete: [finance] }\n');
    const diags = await diagnose({ 'project.yml': text });
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col}`)).toEqual([`unknown-key@${at(text, 'delete')}`]);
    expect(diags[0]?.message).toContain('allowed keys: `create`, `archive`');
  });
});
