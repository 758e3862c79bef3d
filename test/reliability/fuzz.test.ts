import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/create-server.js';
import type { HttpApp as ServerApp } from '../../src/http/context.js';
import type { ServerLogger } from '../../src/server/logger.js';
import { startServer, type RunningHttpServer } from '../../src/server/start-server.js';
import { openProject } from '../../src/library/open-project.js';
import type { Writeback } from '../../src/library/writeback.js';
import { badRequests, type BadRequest } from './bad-requests.js';
import { appliedDemoProject, isErrorShape, LONG, testSeed } from './helpers.js';

const BODY_LIMIT = 32 * 1024;
const IN_PROCESS = LONG ? 50_000 : 5_000;
const OVER_HTTP = LONG ? 2_000 : 300;

describe('fuzzing: generated bad requests', () => {
  let dir: string;
  let wb: Writeback;
  let app: ServerApp;
  let server: RunningHttpServer;
  let token: string;
  const serverErrors: string[] = [];
  const logger: ServerLogger = { info() {}, warn() {}, error: (m, f) => serverErrors.push(`${m} ${JSON.stringify(f)}`) };
  const seed = testSeed();

  const logCount = async () => {
    const rows = await wb.adapter.query<{ n: number }>(
      `select (select count(*) from writeback.revenue_forecast__log) + (select count(*) from writeback.account_category__log) as n`,
    );
    return Number(rows[0]!.n);
  };

  /** Send one generated request through `send` and check the answer. */
  async function check(r: BadRequest, send: (req: Request) => Promise<Response>, base: string): Promise<void> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (r.contentType !== undefined && r.body !== undefined) headers['content-type'] = r.contentType;
    const res = await send(new Request(`${base}${r.path}`, { method: r.method, headers, ...(r.body !== undefined ? { body: r.body } : {}) }));
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    const what = `${r.kind}: ${r.method} ${r.path} → ${res.status} ${text.slice(0, 300)} (seed ${seed}; replay with WRITEBACK_SEED=${seed})`;
    if (!(res.status >= 400 && res.status < 500)) throw new Error(`not a 4xx: ${what}`);
    if (!isErrorShape(body)) throw new Error(`not the documented error shape: ${what}`);
  }

  beforeAll(async () => {
    dir = await appliedDemoProject();
    wb = await openProject(dir);
    const made = await wb.tokens.create({ user: 'fuzzer', role: 'finance' });
    if (!made.ok) throw new Error(made.error.message);
    token = made.token;
    // something in the tables, so updates and deletes have rows to hit
    const seeded = await wb.inputs.write('revenue_forecast', [{ account_id: 'acc_001', quarter: '2026-Q1', amount: '5.00' }], { user: 'seed' });
    if (!seeded.ok) throw new Error(seeded.error.message);
    app = createServer(wb, { bodyLimitBytes: BODY_LIMIT, logger });
    server = await startServer(wb, { port: 0, bodyLimitBytes: BODY_LIMIT, logger, snapshot: false });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`answers ${IN_PROCESS} bad requests (app.fetch) with a 4xx and the error shape, writing nothing`, async () => {
    const before = await logCount();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(badRequests(BODY_LIMIT), async (r) => {
        await check(r, (req) => Promise.resolve(app.fetch(req)), 'http://fuzz.local');
        if (++n % 1000 === 0) expect(await logCount(), `log changed after ${n} requests (seed ${seed})`).toBe(before);
      }),
      { numRuns: IN_PROCESS, seed, endOnFailure: true },
    );
    expect(await logCount()).toBe(before);
    expect(serverErrors, `server logged errors (seed ${seed})`).toEqual([]);
  }, 600_000);

  it(`answers ${OVER_HTTP} bad requests over real HTTP the same way`, async () => {
    const before = await logCount();
    await fc.assert(
      fc.asyncProperty(badRequests(BODY_LIMIT), async (r) => {
        await check(r, (req) => fetch(req), server.url);
      }),
      { numRuns: OVER_HTTP, seed: seed + 1, endOnFailure: true },
    );
    expect(await logCount()).toBe(before);
    expect(serverErrors, `server logged errors (seed ${seed})`).toEqual([]);
  }, 600_000);
});
