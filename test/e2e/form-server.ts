import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openProject } from '../../src/library/open-project.js';
import type { Writeback } from '../../src/library/writeback.js';
import { startServer, type RunningHttpServer } from '../../src/server/start-server.js';
import { silentLogger } from '../../src/server/logger.js';
import type { Actor } from '../../src/auth/actor.js';
import { openAdapter, resolveTarget } from '../../src/adapters/registry.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { planProject } from '../../src/plan/plan-project.js';
import { loadProject } from '../../src/project/load-project.js';
import { addWorkflows } from './demo-workflows.js';
import { demoTokens } from '../integration/server/demo-project.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * A temp copy of the root demo with the form's workflow features, planned and applied. Without
 * `planning`, revenue_forecast's `planning:` is removed, so the grid starts empty and flat (what the
 * flat-grid tests exercise); test/e2e/planning-grid.test.ts keeps it.
 */
export function appliedDemo(planning: boolean, acrossFromSource: boolean): Promise<string> {
  return appliedCopy(ROOT, (dir) => {
    addWorkflows(dir);
    if (planning && !acrossFromSource) return;
    const path = join(dir, 'inputs', 'revenue_forecast.yml');
    const doc = parseDocument(readFileSync(path, 'utf8'));
    if (!planning) doc.delete('planning');
    else doc.setIn(['planning', 'across', 'values'], doc.createNode({ source: 'finance.actuals', column: 'quarter' }));
    writeFileSync(path, doc.toString());
  });
}

/** A temp copy of the project at `from` (changed by `prepare`, if given), planned and applied to its default target. */
export async function appliedCopy(from: string, prepare?: (dir: string) => void): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'wb-forms-'));
  for (const part of ['project.yml', 'inputs', 'models', 'macros', 'seeds']) if (existsSync(join(from, part))) cpSync(join(from, part), join(dir, part), { recursive: true });
  prepare?.(dir);
  const loaded = await loadProject(dir);
  if (!loaded.ok) throw new Error(`${from} does not load: ${JSON.stringify(loaded.diagnostics)}`);
  const target = resolveTarget(loaded.value);
  const adapter = await openAdapter(loaded.value, target);
  try {
    const plan = await planProject(loaded.value, { targetName: target.name, adapter, user: 'test' });
    if (!plan.ok) throw new Error(`${from} does not plan: ${JSON.stringify(plan.diagnostics)}`);
    const applied = await applyPlan(plan.value, adapter);
    if (!applied.ok) throw new Error(`${from} does not apply: ${JSON.stringify(applied.diagnostics)}`);
  } finally {
    await adapter.close();
  }
  return dir;
}

/** A real server on an ephemeral port over an applied copy of the root demo, and tokens for its users. */
export interface FormServer {
  dir: string;
  wb: Writeback;
  server: RunningHttpServer;
  /** Same library, second server in `--dev-user` mode. */
  dev: RunningHttpServer;
  tokens: Record<'ana' | 'bob' | 'fin' | 'fin2' | 'vic', string>;
  close(): Promise<void>;
}

/**
 * Start the demo behind a token-only server and a `--dev-user demo` server (both on port 0);
 * `planning`: keep the demo's planning grid; `acrossFromSource`: with its across values read from
 * finance.actuals.quarter; `devUser`: who the dev server signs in (default `demo`, an administrator).
 */
export async function startFormServer(opts: { planning?: boolean; acrossFromSource?: boolean; devUser?: Actor } = {}): Promise<FormServer> {
  const dir = await appliedDemo(opts.planning ?? false, opts.acrossFromSource ?? false);
  const wb = await openProject(dir);
  const tokens = await demoTokens(wb);
  const common = { port: 0, logger: silentLogger, snapshot: false as const, discovery: false };
  const server = await startServer(wb, { ...common, closeLibrary: false });
  const devUser: Actor = opts.devUser ?? { user: 'demo' };
  const dev = await startServer(wb, { ...common, devUser, closeLibrary: false });
  return {
    dir, wb, server, dev, tokens,
    async close() {
      await dev.close();
      await server.close();
      await wb.close();
    },
  };
}

/** A fresh user-data dir for one browser. */
export function browserDir(): string {
  return mkdtempSync(join(tmpdir(), 'wb-chromium-'));
}
