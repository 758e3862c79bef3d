import { describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import { startServer } from '../../../src/server/start-server.js';
import type { ServerLogger } from '../../../src/server/logger.js';
import { appliedDemoProject } from './demo-project.js';
import { call } from './http-client.js';

// Idempotency records are kept `idempotency_retention_days` (default 7): within them a retry with
// the same Idempotency-Key is answered from the record; after them the record is deleted (by
// `serve`, at start and hourly) and the key names a new request.

const ROW = { account_id: 'acc_001', quarter: '2026-Q4', amount: '123.45' };
const DAY = 86_400_000;

type Line = { level: string; msg: string; fields: Record<string, unknown> };

function recordingLogger(): ServerLogger & { lines: Line[] } {
  const lines: Line[] = [];
  const log = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => void lines.push({ level, msg, fields });
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

describe('idempotency retention', () => {
  it('a record is replayed within the retention and deleted after it; the same key then writes again', async () => {
    const dir = await appliedDemoProject();
    const wb = await openProject(dir);
    try {
      const first = await wb.inputs.write('revenue_forecast', [ROW], { user: 'ana', requestId: 'k1' });
      expect(first.ok).toBe(true);
      expect(await wb.pruneIdempotency(new Date(Date.now() + 6 * DAY))).toBe(0);
      expect(await wb.inputs.write('revenue_forecast', [ROW], { user: 'ana', requestId: 'k1' })).toMatchObject({ ok: true, replayed: true });

      expect(await wb.pruneIdempotency(new Date(Date.now() + 8 * DAY))).toBe(1);
      const again = await wb.inputs.write('revenue_forecast', [{ ...ROW, amount: '5.00', _version: 1 }], { user: 'ana', requestId: 'k1' });
      expect(again.ok).toBe(true);
      expect(again).toMatchObject({ replayed: false });
      expect((await wb.verify()).ok).toBe(true);
    } finally {
      await wb.close();
    }
  });

  it('project.yml idempotency_retention_days sets the retention', async () => {
    const dir = await appliedDemoProject();
    const wb = await openProject(dir);
    try {
      await wb.inputs.write('revenue_forecast', [ROW], { user: 'ana', requestId: 'k2' });
      await wb.reload({ ...wb.project, idempotencyRetentionDays: 1 });
      expect(await wb.pruneIdempotency(new Date(Date.now() + 2 * DAY))).toBe(1);
    } finally {
      await wb.close();
    }
  });

  it('serve deletes expired records when it starts, and says how many', async () => {
    const dir = await appliedDemoProject();
    const wb = await openProject(dir);
    await wb.inputs.write('revenue_forecast', [ROW], { user: 'ana', requestId: 'old' });
    await wb.inputs.write('revenue_forecast', [{ ...ROW, quarter: '2027-Q1' }], { user: 'ana', requestId: 'fresh' });
    await wb.adapter.execute(`update writeback._wb_idempotency set created_at = created_at - interval 30 day where request_id like '%"old"%'`);
    const logger = recordingLogger();
    const server = await startServer(wb, { port: 0, logger, snapshot: false, discovery: false, devUser: { user: 'ana' } });
    try {
      for (let i = 0; i < 200 && !logger.lines.some((l) => l.msg === 'expired idempotency records deleted'); i++) await new Promise((r) => setTimeout(r, 25));
      expect(logger.lines).toContainEqual({ level: 'info', msg: 'expired idempotency records deleted', fields: { deleted: 1 } });
      // the fresh key is still answered from its record
      const retry = await call<{ replayed?: boolean }>(server.url, 'POST', '/api/v1/inputs/revenue_forecast/rows', {
        body: { rows: [{ ...ROW, quarter: '2027-Q1' }] },
        headers: { 'idempotency-key': 'fresh' },
      });
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ replayed: true });
    } finally {
      await server.close();
    }
  });
});
