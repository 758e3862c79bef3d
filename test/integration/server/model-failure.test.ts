import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { ModelReadFailed } from '../../../src/library/model-rows.js';
import { silentLogger, type ServerLogger } from '../../../src/server/logger.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import { appliedDemoProject, BROKEN_MODEL } from './demo-project.js';

/** Rows 0…199999; from row 150000 on, x overflows INT64 — long after the first chunk was sent. */
const LATE_OVERFLOW =
  'name: late_overflow\nkind: sql\nsql: |\n  select i, case when i >= 150000 then cast(9223372036854775807 as bigint) + i else i end as x from range(200000) t(i)\n';

/** What a client receives: the text up to where the body ended, and whether it ended in an error. */
async function receive(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; broken: boolean }> {
  const res = await fetch(url, { headers });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { status: res.status, text, broken: false };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { status: res.status, text, broken: true };
  }
}

describe('a model whose SQL fails in the warehouse at read time', () => {
  let dir: string;
  let wb: Writeback;
  let server: RunningHttpServer;
  const errors: string[] = [];
  const logger: ServerLogger = { ...silentLogger, error: (m, f) => errors.push(`${m} ${JSON.stringify(f)}`) };

  beforeAll(async () => {
    dir = await appliedDemoProject((d) => {
      writeFileSync(join(d, 'models', 'broken_total.yml'), BROKEN_MODEL);
      writeFileSync(join(d, 'models', 'late_overflow.yml'), LATE_OVERFLOW);
    });
    wb = await openProject(dir);
    server = await startServer(wb, { port: 0, logger, snapshot: false, discovery: false, devUser: { user: 'dev' } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('is 502 model_failed naming the model and the warehouse message, as JSON and for CSV', async () => {
    for (const query of ['', '?limit=5', '?format=csv']) {
      const res = await fetch(`${server.url}/api/v1/models/broken_total/rows${query}`);
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const body = (await res.json()) as { error: { code: string; message: string; details: { model: string; message: string }[] } };
      expect(body.error.code).toBe('model_failed');
      expect(body.error.message).toMatch(/^model 'broken_total' failed in the warehouse: .*Overflow/);
      expect(body.error.details[0]).toMatchObject({ model: 'broken_total' });
    }
    expect(errors.some((e) => e.includes('broken_total'))).toBe(true);
  });

  it("gives a caller with a role the model's name, not the warehouse's message (it may quote rows outside the caller's filter); the log has it", async () => {
    const made = await wb.tokens.create({ user: 'vi', role: 'viewer' });
    if (!made.ok) throw new Error(made.error.message);
    errors.length = 0;
    const res = await fetch(`${server.url}/api/v1/models/broken_total/rows`, { headers: { authorization: `Bearer ${made.token}` } });
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'model_failed', message: expect.stringMatching(/^model 'broken_total' failed in the warehouse \(its error is in the server log/) } });
    expect(text).not.toMatch(/Overflow|INT64|cast/i);
    expect(errors.some((e) => /broken_total.*Overflow/.test(e))).toBe(true);
  });

  it('a model that fails late in its result ends in an error line and a cut connection, never a truncated body that looks whole', async () => {
    // DuckDB ends a streamed result that fails midway like a finished one; the adapter tells them apart
    for (const headers of [{}, { accept: 'text/csv' }] as Record<string, string>[]) {
      const res = await receive(`${server.url}/api/v1/models/late_overflow/rows`, headers);
      // the rows went out as they were read, so the status was sent before the failure
      expect(res.status).toBe(200);
      expect(res.broken, 'the chunked body is never completed').toBe(true);
      expect(res.text.slice(-400)).toMatch(/\nwriteback-error: model_failed: model 'late_overflow' failed in the warehouse: Out of Range Error: Overflow in addition of INT64[^\n]*\n$/);
      if (!headers.accept) expect(() => JSON.parse(res.text)).toThrow();
      const lines = res.text.split('\n').length;
      if (headers.accept) expect(lines).toBeLessThan(150_000);
    }
    // a page is ordered by every column, so every row is computed before the first is sent: a 502
    const page = await fetch(`${server.url}/api/v1/models/late_overflow/rows?limit=10`);
    expect(page.status).toBe(502);
    expect(await page.json()).toMatchObject({ error: { code: 'model_failed', message: expect.stringMatching(/Overflow/) } });
    // the library's reader throws where the rows stop
    const library = await wb.models.rows('late_overflow');
    if (!library.ok) throw new Error(library.error.message);
    let read = 0;
    const failure = await (async () => {
      for await (const chunk of library.rows.chunks()) read += chunk.length;
    })().then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(ModelReadFailed);
    expect((failure as ModelReadFailed).error).toMatchObject({ code: 'model_failed', message: expect.stringMatching(/Overflow/) });
    expect(read).toBeLessThan(150_000);
  });

  it('an administrator\'s query (writeback query) that fails late fails with the warehouse\'s message, and one that succeeds counts every row', async () => {
    const late = 'select i, case when i >= 150000 then cast(9223372036854775807 as bigint) + i else i end as x from range(200000) t(i)';
    const failed = await wb.query(late, { limit: 5 });
    expect(failed).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/^Out of Range Error: Overflow in addition of INT64/) } });
    // the statement runs again to find the message: a trailing comment is no trouble; after a
    // semicolon it cannot be nested, and the failure is still reported, with what is known
    expect(await wb.query(`${late} -- the end`, { limit: 5 })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^Out of Range Error: Overflow/) } });
    expect(await wb.query(`${late};`, { limit: 5 })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^the read failed in the warehouse after \d+ rows/) } });
    // whatever the result's columns are called
    expect(await wb.query(late.replace('select i,', 'select i as _wb_every, i as _wb_every,'), { limit: 5 })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^Out of Range Error: Overflow/) } });
    const whole = await wb.query(late.replace('150000', '300000'), { limit: 5 });
    if (!whole.ok) throw new Error(whole.error.message);
    expect(whole.row_count).toBe(200_000);
    expect(whole.truncated).toBe(true);
    expect(whole.rows).toEqual([0, 1, 2, 3, 4].map((i) => ({ i, x: i })));
  });

  it('the server keeps serving', async () => {
    expect((await fetch(`${server.url}/api/v1/models/account_forecast/rows?limit=1`)).status).toBe(200);
  });
});
