import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStartupMessage } from 'pg-gateway';
import { startPgEndpoint, type PgEndpoint } from '../../../src/pgwire/endpoint.js';
import { FakeSession } from './fake-session.js';
import { message, rawClient } from './raw-client.js';
import { PSQL, psqlUnavailable } from '../../integration/pgwire/psql.js';

/** Why psql cannot run here (skipped with the install command; never skipped in CI, where it then fails). */
const noPsql = process.env.CI === 'true' ? undefined : psqlUnavailable();

// The wire protocol against a stand-in session (fake-session.ts): what Postgres clients see of
// framing, portals, errors and cancel. The endpoint over the real session is
// test/integration/pgwire.
const TOKEN = 'wb_aaaaaaaaaaaa_secret';
const valid = new Set([TOKEN, 'wb_cccccccccccc_revocable']);
const sessions: FakeSession[] = [];
const logs: { message: string; fields?: Record<string, unknown> }[] = [];
let endpoint: PgEndpoint;

beforeAll(async () => {
  endpoint = await startPgEndpoint({
    port: 0,
    host: '127.0.0.1',
    limits: { statementTimeoutMs: 30_000, maxRows: 1000 },
    maxConnections: 3,
    tokenRecheckMs: 0,
    database: 'demo',
    viewsSchema: 'planning',
    async signIn(token) {
      return valid.has(token)
        ? { ok: true, actor: { tokenId: 'aaaaaaaaaaaa', user: 'ana', role: 'planner', attributes: {}, createdAt: '', createdBy: '', kind: 'service', name: null, expiresAt: null, revokedAt: null, lastUsedAt: null } as never }
        : { ok: false, reason: 'invalid' };
    },
    async openSession() {
      const s = new FakeSession();
      sessions.push(s);
      return { ok: true, session: s };
    },
    logger: {
      info: (message, fields) => logs.push({ message, ...(fields ? { fields } : {}) }),
      warn: (message, fields) => logs.push({ message, ...(fields ? { fields } : {}) }),
      error: (message, fields) => logs.push({ message, ...(fields ? { fields } : {}) }),
    },
  });
});
afterAll(async () => {
  await endpoint?.close();
});

const client = async (password = TOKEN) => {
  const c = new pg.Client({ host: '127.0.0.1', port: endpoint.port, user: 'whoever', password, database: 'demo' });
  await c.connect();
  return c;
};

describe('Postgres wire protocol over a session (fake session)', () => {
  it('simple query: RowDescription, rows and the command tag; several statements in order, stopping at the first error', async () => {
    const c = await client();
    try {
      const r = await c.query('rows 3');
      expect(r.fields.map((f) => [f.name, f.dataTypeID])).toEqual([['n', 23]]);
      expect(r.rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(r.command).toBe('SELECT');
      const multi = (await c.query('rows 1; rows 2')) as unknown as pg.QueryResult[];
      expect(multi.map((m) => m.rowCount)).toEqual([1, 2]);
      await expect(c.query('rows 1; nope; rows 2')).rejects.toMatchObject({ code: '42P01', message: 'relation "nope" does not exist' });
      expect(sessions.at(-1)!.ran.at(-1)).toBe('rows 1');
      const empty = await c.query('-- nothing');
      expect(empty.rows).toEqual([]);
    } finally {
      await c.end();
    }
  });

  it('extended query: bound parameters, binary results, and Execute row limits resumed after PortalSuspended', async () => {
    const c = await client();
    try {
      const echoed = await c.query({ text: 'echo $1, $2', values: ["l'été", null] });
      expect(echoed.rows).toEqual([{ p1: "l'été", p2: null }]);
      const named = await c.query({ name: 'five', text: 'rows 5', rows: 2 } as pg.QueryConfig);
      expect(named.rows.map((r: { n: number }) => r.n)).toEqual([1, 2, 3, 4, 5]);
      const again = await c.query({ name: 'five', text: 'rows 5' });
      expect(again.rowCount).toBe(5);
      // pg asks for every result column in binary format
      const binaryQuery: pg.QueryConfig & { binary: boolean } = { text: 'rows 2', binary: true };
      const binary = await c.query(binaryQuery);
      expect(binary.rows).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await c.end();
    }
  });

  it('an error in the extended protocol skips to Sync; the connection then answers again', async () => {
    const c = await client();
    try {
      await expect(c.query({ text: 'missing_table', values: [1] })).rejects.toMatchObject({ code: '42P01' });
      const r = await c.query({ name: 'one', text: 'rows 1' });
      expect(r.rows).toEqual([{ n: 1 }]);
      await expect(c.query({ text: 'echo $1', values: ['a', 'b'] })).rejects.toMatchObject({ code: '08P01' });
      expect((await c.query('rows 1')).rowCount).toBe(1);
    } finally {
      await c.end();
    }
  });

  it('CancelRequest with the BackendKeyData cancels the running statement; a wrong key cancels nothing', async () => {
    const c = await client();
    const internals = c as unknown as { processID: number; secretKey: number };
    const cancel = (secret: number) =>
      new Promise<void>((resolve) => {
        const s = connect(endpoint.port, '127.0.0.1', () => {
          const b = Buffer.alloc(16);
          b.writeInt32BE(16, 0);
          b.writeInt32BE(80877102, 4);
          b.writeInt32BE(internals.processID, 8);
          b.writeInt32BE(secret, 12);
          s.write(b);
        });
        s.on('close', () => resolve());
      });
    try {
      const running = c.query('slow').then(() => undefined, (err: unknown) => err);
      const session = sessions.at(-1)!;
      await cancel((internals.secretKey + 1) | 0);
      expect(session.cancelled).toBe(0);
      await cancel(internals.secretKey);
      expect(await running).toMatchObject({ code: '57014' });
      expect(session.cancelled).toBe(1);
      expect((await c.query('rows 1')).rowCount).toBe(1);
    } finally {
      await c.end();
    }
  });

  it('a wrong token is FATAL 28P01 in Postgres words, nothing of it echoed, and logged with the client address', async () => {
    await expect(client(`wb_bbbbbbbbbbbb_${'g'.repeat(43)}`)).rejects.toMatchObject({ code: '28P01', message: 'password authentication failed for user "whoever"' });
    expect(logs.find((l) => l.message === 'postgres connection refused' && l.fields?.['token'] === 'bbbbbbbbbbbb')?.fields).toMatchObject({ sqlstate: '28P01', startup_user: 'whoever' });
    expect(JSON.stringify(logs)).not.toContain('ggggggg');
  });

  it('a token revoked while its connection is open ends the connection at the next statement (FATAL 28000)', async () => {
    const c = await client('wb_cccccccccccc_revocable');
    const ended = new Promise<unknown>((resolve) => c.on('error', resolve));
    expect((await c.query('rows 1')).rowCount).toBe(1);
    valid.delete('wb_cccccccccccc_revocable');
    await expect(c.query('rows 1')).rejects.toMatchObject({ code: '28000', message: 'the API token of this connection was revoked' });
    await ended.catch(() => undefined);
    expect(sessions.at(-1)!.closed).toBe(true);
  });

  it('a GSSENCRequest is declined with N and the start-up goes on (libpq sends one when it holds Kerberos credentials)', async () => {
    const s = connect(endpoint.port, '127.0.0.1');
    const received: Buffer[] = [];
    const next = (bytes: number) =>
      new Promise<Buffer>((resolve) => {
        const check = () => {
          const all = Buffer.concat(received);
          if (all.length >= bytes) {
            received.length = 0;
            if (all.length > bytes) received.push(all.subarray(bytes));
            s.off('data', onData);
            resolve(all.subarray(0, bytes));
          }
        };
        const onData = (d: Buffer) => {
          received.push(d);
          check();
        };
        s.on('data', onData);
        check();
      });
    await new Promise<void>((resolve) => s.once('connect', () => resolve()));
    const gss = Buffer.alloc(8);
    gss.writeInt32BE(8, 0);
    gss.writeInt32BE(80877104, 4);
    s.write(gss);
    expect((await next(1)).toString()).toBe('N');
    s.write(createStartupMessage({ majorVersion: 3, minorVersion: 0, parameters: { user: 'ana', database: 'demo' } }));
    const auth = await next(9);
    expect([auth.toString('latin1', 0, 1), auth.readInt32BE(5)]).toEqual(['R', 3]);
    s.destroy();
  });

  it('a client that goes away in the middle of a large result ends its statement and its session', async () => {
    const c = await client();
    const session = sessions.at(-1)!;
    const stream = (c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream;
    c.on('error', () => undefined);
    const running = c.query('rows 5000000').then(
      () => 'finished',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 50));
    stream.destroy();
    expect(await running).toBe('failed');
    while (!session.closed) await new Promise((r) => setTimeout(r, 10));
    // the statement stopped when its rows could no longer be sent
    const sent = session.rowsSent;
    await new Promise((r) => setTimeout(r, 50));
    expect(session.rowsSent).toBe(sent);
    expect(sent).toBeLessThan(5_000_000);
  });

  it('Describe of a statement answers ParameterDescription and RowDescription (or NoData); after an error every message up to Sync is skipped', async () => {
    const c = await rawClient(endpoint.port, TOKEN);
    try {
      const int32 = (n: number) => {
        const b = Buffer.alloc(4);
        b.writeInt32BE(n);
        return b;
      };
      c.send(message('P', 'q', 'echo $1', 0), message('D', Buffer.from('S'), 'q'), message('P', 's', 'set x to 1', 0), message('D', Buffer.from('S'), 's'), message('S'));
      const described = await c.until('Z');
      expect(described.map((m) => m.type)).toEqual(['1', 't', 'T', '1', 't', 'n', 'Z']);
      const params = described[1]!.body;
      expect([params.readInt16BE(0), params.readInt32BE(2)]).toEqual([1, 25]);
      // a failing Parse: the Bind, Execute and Describe after it are skipped, Sync answers ReadyForQuery
      c.send(
        message('P', '', 'no_such_thing', 0),
        message('B', '', '', 0, 0, 0),
        message('E', '', int32(0)),
        message('D', Buffer.from('S'), 'q'),
        message('S'),
      );
      const skipped = await c.until('Z');
      expect(skipped.map((m) => m.type)).toEqual(['E', 'Z']);
      // pipelined in one write: two Bind/Execute rounds on the named statement, each value its own
      c.send(
        message('B', '', 'q', 0, 1, int32(2), Buffer.from('hi'), 0),
        message('E', '', int32(0)),
        message('B', '', 'q', 0, 1, int32(-1), 0),
        message('E', '', int32(0)),
        message('C', Buffer.from('S'), 'q'),
        message('S'),
      );
      const rounds = await c.until('Z');
      expect(rounds.map((m) => m.type)).toEqual(['2', 'D', 'C', '2', 'D', 'C', '3', 'Z']);
      expect(rounds[1]!.body.toString('utf8', 6)).toBe('hi');
      expect(rounds[4]!.body.readInt32BE(2)).toBe(-1);
    } finally {
      c.socket.destroy();
    }
  });

  it('max_connections: one more client is refused with 53300; Terminate closes the session', async () => {
    const open = [await client(), await client(), await client()];
    await expect(client()).rejects.toMatchObject({ code: '53300' });
    const before = sessions.length;
    await Promise.all(open.map((c) => c.end()));
    while (endpoint.connections() > 0) await new Promise((r) => setTimeout(r, 10));
    expect(sessions.slice(before - 3, before).every((s) => s.closed)).toBe(true);
    expect(endpoint.connections()).toBe(0);
  });

  it('connections that never sign in neither count toward max_connections nor keep a real client out', async () => {
    // ten silent sockets, with three places to sign in (as many as max_connections): each newcomer drops the oldest
    const silent: Socket[] = [];
    for (let i = 0; i < 10; i++)
      silent.push(await new Promise<Socket>((ready) => {
        const s: Socket = connect(endpoint.port, '127.0.0.1', () => ready(s));
        s.on('error', () => undefined);
      }));
    const closed = silent.map((s) => new Promise<void>((done) => (s.closed ? done() : s.on('close', () => done()))));
    try {
      const real = [await client(), await client(), await client()];
      expect((await real[0]!.query('rows 1')).rows).toHaveLength(1);
      // max_connections still bounds the sessions
      await expect(client()).rejects.toMatchObject({ code: '53300' });
      // dropped oldest first: 7 as the silent ones came, one more as the first client came (three were then signing in)
      await Promise.all(closed.slice(0, 8));
      expect(silent.slice(8).every((s) => !s.closed)).toBe(true);
      // one log line for the lot (at most one every 10 s: a flood does not flood the log)
      expect(logs.filter((l) => l.message.startsWith('postgres connections closed: too many waiting to sign in'))).toHaveLength(1);
      await Promise.all(real.map((c) => c.end()));
    } finally {
      for (const s of silent) s.destroy();
    }
    while (endpoint.connections() > 0) await new Promise((r) => setTimeout(r, 10));
  });

  it('a client whose password is being checked is never dropped for newcomers', async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let checking = () => {};
    const checked = new Promise<void>((r) => (checking = r));
    const slow = await startPgEndpoint({
      port: 0, host: '127.0.0.1', limits: { statementTimeoutMs: 30_000, maxRows: 10 }, maxConnections: 2, database: 'demo', viewsSchema: 'planning',
      async signIn() {
        checking();
        await gate;
        return { ok: true, actor: { tokenId: 'aaaaaaaaaaaa', user: 'ana', role: 'planner', attributes: {}, createdAt: '', createdBy: '', kind: 'service', name: null, expiresAt: null, revokedAt: null, lastUsedAt: null } as never };
      },
      openSession: async () => ({ ok: true, session: new FakeSession() }),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const silent: Socket[] = [];
    try {
      const c = new pg.Client({ host: '127.0.0.1', port: slow.port, user: 'whoever', password: TOKEN, database: 'demo' });
      const connected = c.connect();
      await checked;
      // while its token is checked, ten sockets that send nothing arrive (two may wait)
      for (let i = 0; i < 10; i++)
        silent.push(await new Promise<Socket>((ready) => {
          const s: Socket = connect(slow.port, '127.0.0.1', () => ready(s));
          s.on('error', () => undefined);
        }));
      release();
      await connected;
      expect((await c.query('rows 2')).rows).toHaveLength(2);
      await c.end();
    } finally {
      for (const s of silent) s.destroy();
      await slow.close();
    }
  });

  it('a refused sign-in is logged once, not again when its time to sign in runs out', async () => {
    const own: { message: string; fields?: Record<string, unknown> }[] = [];
    const quick = await startPgEndpoint({
      port: 0, host: '127.0.0.1', limits: { statementTimeoutMs: 30_000, maxRows: 10 }, maxConnections: 2, authTimeoutMs: 200, database: 'demo', viewsSchema: 'planning',
      signIn: async () => ({ ok: false, reason: 'invalid' }),
      openSession: async () => ({ ok: true, session: new FakeSession() }),
      logger: { info: () => undefined, warn: (message, fields) => own.push({ message, ...(fields ? { fields } : {}) }), error: (message, fields) => own.push({ message, ...(fields ? { fields } : {}) }) },
    });
    try {
      const c = new pg.Client({ host: '127.0.0.1', port: quick.port, user: 'whoever', password: 'wb_bbbbbbbbbbbb_wrong', database: 'demo' });
      await expect(c.connect()).rejects.toMatchObject({ code: '28P01' });
      await new Promise((r) => setTimeout(r, 400));
      expect(own.map((l) => l.fields?.['reason'])).toEqual(['invalid or revoked token']);
    } finally {
      await quick.close();
    }
  });

  it.skipIf(Boolean(noPsql))(`psql runs statements and prints the rows${noPsql ? ` (skipped: ${noPsql})` : ''}`, async () => {
    const r = await promisify(execFile)(PSQL, ['-h', '127.0.0.1', '-p', String(endpoint.port), '-U', 'ana', '-d', 'demo', '-X', '-A', '-t', '-c', 'rows 3'], {
      env: { ...process.env, PGPASSWORD: TOKEN },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['1', '2', '3']);
  });
});
