import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/project/load-project.js';
import type { InputColumn, InputTable } from '../../../src/ir/types.js';
import { conditionHolds, needsApproval } from '../../../src/workflow/approval-rule.js';
import { allowedStatuses, initialStatuses, lockProblem, moveProblem } from '../../../src/rules/status-rules.js';
import { keysFromPairs } from '../../../src/cli/commands/action.js';
import { BASE, writeProject } from '../project/helpers.js';

const loc = { file: 'inputs/x.yml', line: 1, col: 1 };
const amount: InputColumn = { name: 'amount', type: { kind: 'decimal', precision: 18, scale: 2 }, required: false, loc };
const status: InputColumn = {
  name: 'status',
  type: { kind: 'enum', values: ['draft', 'submitted', 'approved'] },
  required: false,
  loc,
  transitions: { draft: [{ to: 'submitted' }], submitted: [{ to: 'draft' }, { to: 'approved', roles: ['finance'] }] },
};
const table: InputTable = {
  name: 't',
  key: ['id'],
  columns: [{ name: 'id', type: { kind: 'string' }, required: true, loc }, amount, status],
  scenarios: false,
  permissions: {},
  approval: { requiredFor: ['planner'], when: { amount: { gt: 1000000 } } },
  loc,
};

describe('approval rules', () => {
  it('compares decimals exactly and combines bounds', () => {
    expect(conditionHolds(amount, { gt: 1000000 }, '1000000.01')).toBe(true);
    expect(conditionHolds(amount, { gt: 1000000 }, '1000000.00')).toBe(false);
    expect(conditionHolds(amount, { gte: '10.5', lt: 11 }, '10.50')).toBe(true);
    expect(conditionHolds(amount, { in: [1, 2] }, '2.00')).toBe(true);
    expect(conditionHolds(amount, { gt: 0 }, null)).toBe(false);
  });
  it('applies to the listed roles only, never to the administrator, and only when a row meets the condition', () => {
    const big = [{ values: { id: 'k', amount: '2000000.00' } }];
    expect(needsApproval(table, { user: 'a', role: 'planner' }, 'upsert', big)).toBe(true);
    expect(needsApproval(table, { user: 'a', role: 'finance' }, 'upsert', big)).toBe(false);
    expect(needsApproval(table, { user: 'a' }, 'upsert', big)).toBe(false);
    expect(needsApproval(table, { user: 'a', role: 'planner' }, 'upsert', [{ values: { id: 'k', amount: '5.00' } }])).toBe(false);
    expect(needsApproval(table, { user: 'a', role: 'planner' }, 'upsert', [{ values: { id: 'k' } }])).toBe(false);
    expect(needsApproval({ ...table, approval: {} }, { user: 'a', role: 'viewer' }, 'delete', [])).toBe(true);
  });
});

describe('status rules (src/rules/status-rules.js: the write path and the form use this module)', () => {
  it('allows declared moves and unchanged values; refuses undeclared moves naming from and to', () => {
    expect(moveProblem(status, 'planner', 'draft', 'submitted')).toBeUndefined();
    expect(moveProblem(status, 'planner', 'draft', 'draft')).toBeUndefined();
    expect(moveProblem(status, 'planner', 'draft', 'approved')).toEqual({ kind: 'invalid', message: "status cannot go from 'draft' to 'approved' (from 'draft' it may go to 'submitted')" });
    expect(moveProblem(status, 'planner', 'approved', 'draft')?.message).toMatch(/'approved' is final/);
  });
  it('a value once set cannot be cleared (draft → null → approved would skip the declared moves)', () => {
    expect(moveProblem(status, undefined, 'draft', null)).toEqual({ kind: 'invalid', message: "status cannot be cleared once set (it is 'draft')" });
    expect(moveProblem(status, undefined, null, null)).toBeUndefined();
  });
  it('a move that needs a role is forbidden for others; the administrator may make it', () => {
    expect(moveProblem(status, 'planner', 'submitted', 'approved')?.kind).toBe('forbidden');
    expect(moveProblem(status, 'finance', 'submitted', 'approved')).toBeUndefined();
    expect(moveProblem(status, undefined, 'submitted', 'approved')).toBeUndefined();
  });
  it('a new row starts in an initial status: the declared `initial`, else the default; without either, anywhere', () => {
    expect(moveProblem(status, 'planner', null, 'approved')).toBeUndefined();
    const withDefault = { ...status, default: 'draft' };
    expect(initialStatuses(withDefault)).toEqual(['draft']);
    expect(moveProblem(withDefault, 'planner', null, 'approved')).toEqual({ kind: 'invalid', message: "a new row's status must start as 'draft', not 'approved'" });
    // the administrator follows the workflow too: only role requirements do not bind it
    expect(moveProblem(withDefault, undefined, null, 'approved')?.kind).toBe('invalid');
    expect(moveProblem({ ...status, initial: ['draft', 'submitted'] }, 'planner', null, 'submitted')).toBeUndefined();
    expect(allowedStatuses({ ...status, initial: ['draft', 'submitted'] }, 'planner', null, ['draft', 'submitted', 'approved'])).toEqual(['draft', 'submitted']);
    expect(allowedStatuses(status, 'planner', 'submitted', ['draft', 'submitted', 'approved'])).toEqual(['draft', 'submitted']);
    expect(allowedStatuses(status, 'finance', 'submitted', ['draft', 'submitted', 'approved'])).toEqual(['draft', 'submitted', 'approved']);
  });
  it('takes status values as data: a value named like an object member is not a declared move', () => {
    expect(moveProblem(status, 'planner', 'constructor', 'draft')).toEqual({ kind: 'invalid', message: "status cannot go from 'constructor' to 'draft' ('constructor' is final)" });
    expect(moveProblem(status, 'planner', '__proto__', 'draft')?.kind).toBe('invalid');
    expect(lockProblem({ ...status, locked: { approved: [] } }, 'planner', 'toString')).toBeUndefined();
  });

  it('a locking status lets only its roles (and the administrator) change the row', () => {
    const locking = { ...status, locked: { approved: ['finance'], submitted: [] } };
    expect(lockProblem(locking, 'planner', 'approved')).toBe("the row is status 'approved', which locks it (only finance may change it)");
    expect(lockProblem(locking, 'finance', 'approved')).toBeUndefined();
    expect(lockProblem(locking, undefined, 'approved')).toBeUndefined();
    expect(lockProblem(locking, 'finance', 'submitted')).toBe("the row is status 'submitted', which locks it");
    expect(lockProblem(locking, 'planner', 'draft')).toBeUndefined();
  });
});

describe('workflow YAML', () => {
  const files = (forecast: string) => ({ ...BASE, 'inputs/forecast.yml': forecast });
  const forecast = (more: string[]) =>
    ['key: [account_id]', 'columns:', '  account_id: { type: string }', '  amount: { type: number }', "  status: { type: enum, values: [a, b], transitions: { a: [b, { to: a, roles: [finance] }] } }", ...more, ''].join('\n');
  it('loads transitions, approval and actions into the IR', async () => {
    const res = await loadProject(writeProject(files(forecast(['approval: { required_for: [planner], when: { amount: { gt: 10 } } }', 'actions:', '  go: { set: { status: b }, roles: [planner], confirm: true, comment: required }']))));
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const t = res.value.inputs.forecast!;
    expect(t.columns.find((c) => c.name === 'status')?.transitions).toEqual({ a: [{ to: 'b' }, { to: 'a', roles: ['finance'] }] });
    expect(t.approval).toEqual({ requiredFor: ['planner'], when: { amount: { gt: 10 } } });
    expect(t.actions?.go).toEqual({ name: 'go', set: { status: 'b' }, roles: ['planner'], confirm: true, commentRequired: true });
    expect(res.value.confirmThreshold).toBeUndefined();
  });
  it('reports unknown values, roles and columns with their positions', async () => {
    const res = await loadProject(
      writeProject(files(forecast(['approval: { required_for: [boss], when: { amout: { gt: 10 } } }', 'actions:', '  go: { set: { status: b, account_id: x, nope: 1 } }']).replace('[b, {', '[c, {'))),
    );
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.diagnostics.map((d) => d.code).sort()).toEqual(['invalid-value', 'invalid-value', 'unknown-column', 'unknown-column', 'unknown-role']);
  });
  it('reads confirm_threshold from project.yml', async () => {
    const res = await loadProject(writeProject({ ...BASE, 'project.yml': `${BASE['project.yml']}confirm_threshold: 25\n` }));
    expect(res.ok && res.value.confirmThreshold).toBe(25);
  });
});

describe('CLI --key pairs', () => {
  it('a repeated column starts the next key', () => {
    expect(keysFromPairs(['id=1', 'q=a', 'id=2', 'q=b'])).toEqual([{ id: '1', q: 'a' }, { id: '2', q: 'b' }]);
  });
});
