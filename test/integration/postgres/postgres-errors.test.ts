import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdapter } from '../../../src/adapters/registry.js';
import { UsageError } from '../../../src/adapters/usage-error.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import { planProject } from '../../../src/plan/plan-project.js';
import type { Project } from '../../../src/ir/types.js';
import { testProject } from '../write/fixture.js';
import { freePort, postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';

// Clear errors on a real PostgreSQL server: unreachable host, unknown database, missing grants.
const missing = postgresUnavailable();
let server: PgServer;

const projectOn = (settings: Record<string, string>): Project => {
  const p = testProject('/tmp');
  return { ...p, seeds: [], models: [], defaultTarget: 'pg', targets: { pg: { name: 'pg', type: 'postgres', settings } } };
};

describe.skipIf(Boolean(missing))(`Postgres connection and grant errors${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    server = await startPostgres();
    server.createDatabase('wb_errors');
  }, 120_000);
  afterAll(() => server?.stop());

  it('an unreachable host is a UsageError that names host and port', async () => {
    const port = await freePort();
    const p = projectOn({ host: '127.0.0.1', port: String(port), database: 'x', user: 'postgres' });
    const err = await openAdapter(p, p.targets.pg!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(String(err)).toContain(`cannot reach Postgres at 127.0.0.1:${port}`);
  });

  it('an unknown database is a UsageError that says so', async () => {
    const p = projectOn({ host: '127.0.0.1', port: String(server.port), database: 'nope', user: 'postgres' });
    await expect(openAdapter(p, p.targets.pg!)).rejects.toThrow(/has no database 'nope'/);
  });

  it('a role without grants gets an apply diagnostic that explains the grants it needs', async () => {
    const admin = projectOn({ host: '127.0.0.1', port: String(server.port), database: 'wb_errors', user: 'postgres' });
    const a = await openAdapter(admin, admin.targets.pg!);
    await a.execute('create role wb_reader login');
    await a.execute('revoke create on schema public from public');
    await a.execute('revoke create on database wb_errors from public');
    await a.close();
    const p = projectOn({ host: '127.0.0.1', port: String(server.port), database: 'wb_errors', user: 'wb_reader' });
    const adapter = await openAdapter(p, p.targets.pg!);
    try {
      const plan = await planProject(p, { targetName: 'pg', adapter, user: 'wb_reader' });
      expect(plan.ok).toBe(true);
      if (!plan.ok) return;
      const applied = await applyPlan(plan.value, adapter);
      expect(applied.ok).toBe(false);
      const message = applied.ok ? '' : applied.diagnostics[0]!.message;
      expect(message).toMatch(/lacks a privilege: permission denied for database wb_errors/);
      expect(message).toContain('Least-privilege grants');
      expect(message).toContain('Nothing was changed');
    } finally {
      await adapter.close();
    }
  });
});
