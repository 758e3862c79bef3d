import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/project/load-project.js';
import type { InputColumn, InputTable } from '../../../src/ir/types.js';
import { conditionHolds, needsApproval } from '../../../src/workflow/approval-rule.js';
import { checkTransitions } from '../../../src/workflow/transitions.js';
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
const cur = (s: string | null) => ({ version: 1, deleted: false, values: ['k', null, s], setColumns: '|id|status|', updatedBy: 'x', updatedAtMs: 0 });

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

describe('status transitions', () => {
  const rows = (s: string) => [{ values: { id: 'k', status: s } }];
  it('allows declared moves, new rows and unchanged values; refuses undeclared moves naming from and to', () => {
    const actor = { user: 'a', role: 'planner' };
    expect(checkTransitions(table, actor, rows('submitted'), [0], () => cur('draft'))).toEqual({ invalid: [], forbidden: [] });
    expect(checkTransitions(table, actor, rows('approved'), [0], () => undefined).invalid).toEqual([]);
    expect(checkTransitions(table, actor, rows('draft'), [0], () => cur('draft')).invalid).toEqual([]);
    const bad = checkTransitions(table, actor, rows('approved'), [3], () => cur('draft'));
    expect(bad.invalid).toEqual([expect.objectContaining({ row: 3, column: 'status', from: 'draft', to: 'approved' })]);
    expect(checkTransitions(table, actor, rows('draft'), [0], () => cur('approved')).invalid[0]?.message).toMatch(/'approved' is final/);
  });
  it('a value once set cannot be cleared (draft → null → approved would skip the declared moves)', () => {
    const cleared = checkTransitions(table, { user: 'a' }, [{ values: { id: 'k', status: null } }], [0], () => cur('draft'));
    expect(cleared.invalid).toEqual([expect.objectContaining({ column: 'status', from: 'draft', to: null, message: "status cannot be cleared once set (it is 'draft')" })]);
    expect(checkTransitions(table, { user: 'a' }, [{ values: { id: 'k', status: null } }], [0], () => undefined).invalid).toEqual([]);
  });
  it('a move that needs a role is forbidden for others; the administrator may make it', () => {
    expect(checkTransitions(table, { user: 'a', role: 'planner' }, rows('approved'), [0], () => cur('submitted')).forbidden).toHaveLength(1);
    expect(checkTransitions(table, { user: 'a', role: 'finance' }, rows('approved'), [0], () => cur('submitted')).forbidden).toHaveLength(0);
    expect(checkTransitions(table, { user: 'a' }, rows('approved'), [0], () => cur('submitted')).forbidden).toHaveLength(0);
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
