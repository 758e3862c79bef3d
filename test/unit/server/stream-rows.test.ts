import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { HttpEnv } from '../../../src/http/context.js';
import { ModelReadFailed, modelFailed, type ModelRow, type ModelRows } from '../../../src/library/model-rows.js';
import { connectionOf, csvField, streamRows, type StreamConnection } from '../../../src/server/stream-rows.js';

/** Model rows from chunks; `failAt` = index of the chunk whose read fails as the warehouse would. */
function fakeRows(columns: string[], chunks: ModelRow[][], opts: { next?: string; failAt?: number; delayMs?: number } = {}): ModelRows & { closed: () => boolean } {
  let closed = false;
  return {
    model: 'm',
    columns,
    async *chunks() {
      try {
        for (const [i, c] of chunks.entries()) {
          // a chunk that takes a while to read, as from a warehouse
          if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
          if (i === opts.failAt) throw new ModelReadFailed(modelFailed('m', new Error('Out of Range Error: Overflow in addition of INT64'), undefined));
          yield c;
        }
      } finally {
        closed = true;
      }
    },
    close() {
      closed = true;
    },
    nextCursor: () => opts.next ?? null,
    closed: () => closed,
  };
}

/** Everything the body delivered before it ended, and how it ended. */
async function drain(res: Response): Promise<{ text: string; failed: boolean }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, failed: false };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, failed: true };
  }
}

/** A server of one route streaming `source` with the route's options; `errors` collects onError's. */
async function serveRows(source: ModelRows, stallMs?: number) {
  const errors: unknown[] = [];
  const app = new Hono<HttpEnv>();
  app.get('/rows', (c) => {
    const connection = connectionOf(c);
    return streamRows(source, {
      format: 'csv',
      onError: (e) => errors.push(e),
      ...(connection ? { connection } : {}),
      ...(stallMs !== undefined ? { stallMs } : {}),
    });
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((listening) => server.once('listening', listening));
  return { server, errors, port: (server.address() as AddressInfo).port };
}
describe('streamRows', () => {
  it('streams JSON across chunks, with the next cursor of the rows read', async () => {
    const res = streamRows(fakeRows(['a'], [[{ a: 1 }, { a: 2 }], [{ a: 3 }]]), { format: 'json' });
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ rows: [{ a: 1 }, { a: 2 }, { a: 3 }], next_cursor: null });
    const paged = streamRows(fakeRows(['a'], [[{ a: 1 }]], { next: 'abc' }), { format: 'json' });
    expect(await paged.json()).toEqual({ rows: [{ a: 1 }], next_cursor: 'abc' });
  });

  it('streams CSV with a header, quoting and ISO timestamps; null is empty', async () => {
    const rows = [{ id: 'x,1', note: 'say "hi"', at: new Date('2026-01-02T03:04:05.006Z'), n: null }];
    const res = streamRows(fakeRows(['id', 'note', 'at', 'n'], [rows]), { format: 'csv' });
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await res.text()).toBe('id,note,at,n\r\n"x,1","say ""hi""",2026-01-02T03:04:05.006Z,\r\n');
  });

  it('writes the header of an empty result', async () => {
    expect(await streamRows(fakeRows(['a', 'b'], []), { format: 'csv' }).text()).toBe('a,b\r\n');
    expect(await streamRows(fakeRows(['a'], []), { format: 'json' }).json()).toEqual({ rows: [], next_cursor: null });
  });

  it('a failure after the first chunk ends the body with the reason, then errors it (JSON that does not parse)', async () => {
    const logged: unknown[] = [];
    const source = fakeRows(['a'], [[{ a: 1 }], [{ a: 2 }]], { failAt: 1 });
    const { text, failed } = await drain(streamRows(source, { format: 'json', onError: (e) => logged.push(e) }));
    expect(failed).toBe(true);
    expect(text.startsWith('{"rows":[{"a":1}')).toBe(true);
    expect(text).toMatch(/\nwriteback-error: model_failed: model 'm' failed in the warehouse: Out of Range Error: Overflow in addition of INT64\n$/);
    expect(() => JSON.parse(text)).toThrow();
    expect(logged).toHaveLength(1);
    expect(source.closed()).toBe(true);
  });

  it('a CSV stream that fails says so on its last line and errors', async () => {
    const { text, failed } = await drain(streamRows(fakeRows(['a'], [[{ a: 1 }], [{ a: 2 }]], { failAt: 1 }), { format: 'csv' }));
    expect(failed).toBe(true);
    expect(text).toMatch(/^a\r\n1\r\n\nwriteback-error: model_failed: /);
  });

  it('a body cancelled before its first read closes the read (a client gone while the first rows were computed)', async () => {
    const source = fakeRows(['a'], [[{ a: 1 }]]);
    await streamRows(source, { format: 'json' }).body!.cancel();
    expect(source.closed()).toBe(true);
  });

  it('over a real socket, to a client that reads slowly, a failure after the last chunk still sends its line, then cuts the body', async () => {
    // 60 chunks of ~170 KB: the socket's buffers fill, so the server waits for the client between writes
    const chunk = (k: number) => Array.from({ length: 2048 }, (_, j) => ({ i: k * 2048 + j, pad: 'x'.repeat(80) }));
    const source = fakeRows(['i', 'pad'], [...Array.from({ length: 60 }, (_, k) => chunk(k)), []], { failAt: 60 });
    const { server, port } = await serveRows(source);
    try {
      const received = await new Promise<string>((done, fail) => {
        const socket = connect(port, '127.0.0.1', () => socket.write('GET /rows HTTP/1.1\r\nHost: localhost\r\n\r\n'));
        const parts: Buffer[] = [];
        socket.pause();
        setTimeout(() => socket.resume(), 500);
        socket.on('data', (b: Buffer) => parts.push(b));
        socket.on('error', fail);
        socket.on('close', () => done(Buffer.concat(parts).toString('utf8')));
      });
      expect(received.startsWith('HTTP/1.1 200')).toBe(true);
      // the line, in its chunk, and no last chunk (`0\r\n\r\n`): the server closed the connection
      expect(received.slice(-200)).toMatch(/\r\n\nwriteback-error: model_failed: model 'm' failed in the warehouse: Out of Range Error: Overflow in addition of INT64\n\r\n$/);
      expect(received.split('\r\n').filter((l) => /^\d+,x+$/.test(l))).toHaveLength(60 * 2048);
      expect(source.closed()).toBe(true);
    } finally {
      server.close();
    }
  });

  it('closes the connection after a failure line, even to a client that never closes its side', async () => {
    const source = fakeRows(['i'], [[{ i: 1 }], []], { failAt: 1 });
    const { server, port } = await serveRows(source);
    const connections = () => new Promise<number>((done, fail) => server.getConnections((err, n) => (err ? fail(err) : done(n))));
    try {
      // a half-open client: the server's FIN does not end its side
      const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => socket.write('GET /rows HTTP/1.1\r\nHost: localhost\r\n\r\n'));
      socket.on('error', () => {});
      const parts: Buffer[] = [];
      socket.on('data', (b: Buffer) => parts.push(b));
      await new Promise((ended) => socket.once('end', ended));
      expect(Buffer.concat(parts).toString('utf8')).toMatch(/writeback-error: model_failed: /);
      expect(socket.writable).toBe(true);
      // the server's socket goes away although the client's side stays open (fails by the test's timeout otherwise)
      while ((await connections()) > 0) await new Promise((r) => setTimeout(r, 20));
      socket.destroy();
    } finally {
      server.close();
    }
  });

  const bigChunks = (n: number) => Array.from({ length: n }, (_, k) => Array.from({ length: 2048 }, (_, j) => ({ i: k * 2048 + j, pad: 'x'.repeat(80) })));

  it('a client that stops reading loses its read after the stall time: the read is closed and the connection dropped', async () => {
    const source = fakeRows(['i', 'pad'], bigChunks(200));
    const { server, errors, port } = await serveRows(source, 300);
    try {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /rows HTTP/1.1\r\nHost: localhost\r\n\r\n'));
      socket.on('error', () => undefined);
      const closed = new Promise<number>((done) => socket.on('close', () => done(received)));
      let received = 0;
      socket.on('data', (b: Buffer) => (received += b.length));
      // takes the first bytes, then nothing: the server's buffers fill and it waits
      socket.once('data', () => socket.pause());
      while (!source.closed()) await new Promise((r) => setTimeout(r, 20));
      // the server gave up: what it had sent is there to read, then the connection ends (a paused socket sees no end)
      socket.resume();
      expect(await closed).toBeLessThan(200 * 2048 * 90);
      expect(errors).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('a client that goes away mid-stream closes the read and is no failure', async () => {
    const source = fakeRows(['i', 'pad'], bigChunks(200), { delayMs: 5 });
    const { server, errors, port } = await serveRows(source, 60_000);
    try {
      await new Promise<void>((done) => {
        const socket = connect(port, '127.0.0.1', () => socket.write('GET /rows HTTP/1.1\r\nHost: localhost\r\n\r\n'));
        let received = 0;
        socket.on('data', (b: Buffer) => {
          received += b.length;
          if (received > 1_000_000) socket.destroy();
        });
        socket.on('close', () => done());
      });
      while (!source.closed()) await new Promise((r) => setTimeout(r, 10));
      // the chunk being read when the client left must not be reported as the read's failure
      await new Promise((r) => setTimeout(r, 100));
      expect(errors).toEqual([]);
    } finally {
      server.close();
    }
  });

  /** A connection whose progress the test sets; `dropped` resolves when the stream drops it. */
  function fakeConnection() {
    let bytes = 0;
    let drop = () => {};
    const dropped = new Promise<void>((r) => (drop = r));
    const connection: StreamConnection = { end: () => undefined, drop: () => drop(), written: () => bytes };
    return { connection, dropped, progress: (n: number) => (bytes += n) };
  }

  it('a slow client that keeps taking bytes keeps its read, however long a chunk takes to send', async () => {
    const source = fakeRows(['i'], [[{ i: 1 }], [{ i: 2 }]]);
    const { connection, dropped, progress } = fakeConnection();
    const reader = streamRows(source, { format: 'csv', connection, stallMs: 50 }).body!.getReader();
    let cut = false;
    void dropped.then(() => (cut = true));
    await reader.read();
    // the next chunk waits for this client for 8 stall periods, while it takes a few bytes at a time
    for (let i = 0; i < 20; i++) {
      progress(100);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(cut).toBe(false);
    expect(source.closed()).toBe(false);
    // then it takes nothing: dropped (fails by the test's timeout otherwise)
    await dropped;
    expect(source.closed()).toBe(true);
  });

  it('a read that fails while its client takes nothing is dropped too, not held for ever by the failure line', async () => {
    const source = fakeRows(['i'], [[{ i: 1 }], [{ i: 2 }]], { failAt: 1 });
    const { connection, dropped } = fakeConnection();
    const errors: unknown[] = [];
    const reader = streamRows(source, { format: 'csv', connection, stallMs: 50, onError: (e) => errors.push(e) }).body!.getReader();
    await reader.read(); // the header
    await reader.read(); // the first chunk; the next read fails and queues its line, which nobody takes
    await dropped;
    expect(errors).toHaveLength(1);
    expect(source.closed()).toBe(true);
  });

  it('escapes CSV fields', () => {
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(true)).toBe('true');
    expect(csvField(undefined)).toBe('');
  });
});
