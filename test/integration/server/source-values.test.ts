import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../../src/server/create-server.js';
import { silentLogger } from '../../../src/server/logger.js';
import type { HttpApp as ServerApp } from '../../../src/http/context.js';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { appliedDemoProject, tokenFor } from './demo-project.js';

type Values = { values: string[]; truncated: boolean };
type Failure = { error: { code: string; message: string; details: unknown[] } };

const PATH = '/api/v1/inputs/account_category/columns/category/values';

/** The names of seeds/categories.csv, in order. */
function seedCategories(): string[] {
  const lines = readFileSync(join(import.meta.dirname, '../../../seeds/categories.csv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => l.split(',')[0]!).sort();
}

describe('GET /api/v1/inputs/{t}/columns/{c}/values (demo project)', () => {
  let wb: Writeback;
  let app: ServerApp;
  const tokens = { fin: '', ana: '', aud: '' };
  const get = async <T>(path: string, token?: string) => {
    const res = await app.fetch(new Request(`http://test${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }));
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    const dir = await appliedDemoProject();
    // a declared role that account_category grants nothing (roles are not part of the applied state)
    const yml = join(dir, 'project.yml');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace(/^roles:\n/m, 'roles:\n  auditor:\n    description: Sees nothing of account_category.\n'));
    wb = await openProject(dir);
    tokens.fin = await tokenFor(wb, 'fin', 'finance');
    tokens.ana = await tokenFor(wb, 'ana', 'planner', { region: 'EMEA' });
    tokens.aud = await tokenFor(wb, 'aud', 'auditor');
    app = createServer(wb, { logger: silentLogger });
  });

  afterAll(async () => {
    await wb?.close();
  });

  it('answers the distinct values of the source column, ordered', async () => {
    const res = await get<Values>(PATH, tokens.fin);
    expect(res.status).toBe(200);
    expect(res.body.values).toEqual(seedCategories());
    expect(res.body.truncated).toBe(false);
    // a planner's row filter is on the linked accounts, not on the lookup: same list
    expect((await get<Values>(PATH, tokens.ana)).body.values).toEqual(seedCategories());
  });

  it('404s an unknown table, an unknown column and a column without source values', async () => {
    for (const path of [
      '/api/v1/inputs/nope/columns/category/values',
      '/api/v1/inputs/account_category/columns/nope/values',
      '/api/v1/inputs/account_category/columns/reason/values',
      '/api/v1/inputs/account_category/columns/account_id/values',
    ]) {
      const res = await get<Failure>(path, tokens.fin);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('401s without a token and 403s a role that may not read the table', async () => {
    const anonymous = await get<Failure>(PATH);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    const denied = await get<Failure>(PATH, tokens.aud);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
  });
});
