import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import { startServer } from '../../../src/server/start-server.js';
import { applyThroughServer } from '../../../src/server/admin-apply.js';
import { adminRequest } from '../../../src/runtime/admin-client.js';
import { silentLogger } from '../../../src/server/logger.js';
import type { HttpLibrary } from '../../../src/http/library.js';
import { findRunningServer } from '../../../src/runtime/find-running-server.js';
import { builtArgv } from '../../helpers/built.js';
import { appliedDemoProject } from './demo-project.js';
import { call } from './http-client.js';

const ROW = { account_id: 'acc_001', quarter: '2026-Q4', amount: '123.45' };

async function logRows(dir: string): Promise<{ amount: string; _user: string }[]> {
  const wb = await openProject(dir);
  try {
    return await wb.adapter.query<{ amount: string; _user: string }>('select amount, _user from writeback.revenue_forecast__log');
  } finally {
    await wb.close();
  }
}

describe('server lifecycle', () => {
  it('close() finishes an in-flight write, closes the DB and removes the discovery file', async () => {
    const dir = await appliedDemoProject();
    const wb = await openProject(dir);
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // The library as the server sees it, with a write that waits at a gate once it has started.
    const gated: HttpLibrary = {
      project: wb.project,
      targetName: wb.targetName,
      publishSnapshots: (o) => wb.publishSnapshots(o),
      tokens: wb.tokens,
      sessions: wb.sessions,
      users: wb.users,
      verify: (o) => wb.verify(o),
      reload: (p) => wb.reload(p),
      quiesce: (fn) => wb.quiesce(fn),
      close: () => wb.close(),
      models: wb.models,
      sources: wb.sources,
      deploy: wb.deploy,
      inputs: {
        ...wb.inputs,
        write: async (table, rows, opts) => {
          entered();
          await gate;
          return wb.inputs.write(table, rows, opts);
        },
      },
    };
    const server = await startServer(gated, { port: 0, devUser: { user: 'dev' }, logger: silentLogger, snapshot: { delayMs: 50 } });
    expect(findRunningServer(dir)?.port).toBe(server.port);

    const pending = call(server.url, 'POST', '/api/v1/inputs/revenue_forecast/rows', { body: { rows: [ROW] } });
    await inside;
    const closing = server.close();
    const refused = await fetch(`${server.url}/healthz`).then((r) => r.status, () => 'refused');
    expect([503, 'refused']).toContain(refused);
    release();
    const res = await pending;
    expect(res.status).toBe(200);
    await closing;
    expect(existsSync(join(dir, 'target', 'server.json'))).toBe(false);
    expect(findRunningServer(dir)).toBeUndefined();
    expect(await logRows(dir)).toEqual([{ amount: '123.45', _user: 'dev' }]);
  });

  it('a separate `serve` process in dev-user mode binds 127.0.0.1, warns, and shuts down cleanly on SIGTERM', async () => {
    const dir = await appliedDemoProject();
    const child = spawn(process.execPath, [...builtArgv(join(import.meta.dirname, 'serve-child.ts')), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');
    for (let i = 0; i < 600 && !stdout.includes('ready'); i++) await new Promise((r) => setTimeout(r, 100));
    const [, port, host] = /ready (\d+) (\S+)/.exec(stdout) ?? [];
    expect(host).toBe('127.0.0.1');
    expect(stderr).toContain('DEVELOPMENT MODE');
    const discovery = JSON.parse(readFileSync(join(dir, 'target', 'server.json'), 'utf8')) as { pid: number; host: string };
    expect(discovery).toMatchObject({ pid: child.pid, host: '127.0.0.1' });

    const res = await call(`http://127.0.0.1:${port}`, 'POST', '/api/v1/inputs/revenue_forecast/rows', { body: { rows: [ROW] } });
    expect(res.status).toBe(200);
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(existsSync(join(dir, 'target', 'server.json'))).toBe(false);
    expect(await logRows(dir)).toEqual([{ amount: '123.45', _user: 'dev' }]);
  });

  it('applies a changed project through the running server (`writeback apply` while `serve` holds the file)', async () => {
    const dir = await appliedDemoProject();
    const wb = await openProject(dir);
    const server = await startServer(wb, { port: 0, devUser: { user: 'dev' }, logger: silentLogger, snapshot: false, apply: applyThroughServer(wb, { defaultUser: 'tester' }) });
    try {
      const running = findRunningServer(dir)!;
      const nothing = await adminRequest(running, 'POST', 'apply', {});
      expect(nothing.body).toMatchObject({ ok: true, applied: false, operations: [] });
      const yml = readFileSync(join(dir, 'inputs', 'account_category.yml'), 'utf8').replace(
        '  reviewed:',
        "  ticket:     { type: string, description: 'Support ticket.' }\n  reviewed:",
      );
      writeFileSync(join(dir, 'inputs', 'account_category.yml'), yml);
      const dry = await adminRequest(running, 'POST', 'apply', { dry_run: true });
      expect(dry.body).toMatchObject({ ok: true, applied: false });
      const rejectedBefore = await call(server.url, 'POST', '/api/v1/inputs/account_category/rows', { body: { rows: [{ account_id: 'acc_001', ticket: 'T-1' }] } });
      expect(rejectedBefore.status).toBe(422);
      const applied = await adminRequest(running, 'POST', 'apply', { user: 'ci' });
      expect(applied.status, JSON.stringify(applied.body)).toBe(200);
      expect(applied.body).toMatchObject({ ok: true, applied: true });
      const written = await call(server.url, 'POST', '/api/v1/inputs/account_category/rows', { body: { rows: [{ account_id: 'acc_001', ticket: 'T-1' }] } });
      expect(written.status, written.text).toBe(200);
      const bad = await adminRequest(running, 'POST', 'apply', { colour: 'red' });
      expect(bad.status).toBe(400);
    } finally {
      await server.close();
    }
  });
});
