import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

/**
 * Give the copied demo's revenue_forecast the workflow features the form shows (when the demo does
 * not declare them already): a status column with transitions, approval of large planner
 * forecasts, a one-click `submit` action, and `approve` for finance.
 */
export function addWorkflows(projectDir: string): void {
  const path = join(projectDir, 'inputs', 'revenue_forecast.yml');
  const doc = parseDocument(readFileSync(path, 'utf8'));
  if (!doc.hasIn(['columns', 'status'])) {
    doc.setIn(['columns', 'status'], doc.createNode({
      type: 'enum',
      values: ['draft', 'submitted', 'approved'],
      default: 'draft',
      description: 'Review status.',
      transitions: { draft: ['submitted'], submitted: ['draft', { to: 'approved', roles: ['finance'] }], approved: [{ to: 'draft', roles: ['finance'] }] },
    }));
  }
  if (!doc.has('approval')) doc.set('approval', doc.createNode({ required_for: ['planner'], when: { amount: { gt: 1000000 } } }));
  if (!doc.has('actions')) {
    doc.set('actions', doc.createNode({ submit: { description: 'Send the forecast to finance for review', set: { status: 'submitted' }, roles: ['planner', 'finance'], confirm: true } }));
  }
  doc.setIn(['permissions', 'finance', 'approve'], true);
  writeFileSync(path, doc.toString());
}
