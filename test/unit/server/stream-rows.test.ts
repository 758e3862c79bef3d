import { describe, expect, it } from 'vitest';
import type { Row, RowStream } from '../../../src/adapters/adapter.js';
import { csvField, streamRows } from '../../../src/server/stream-rows.js';

function fakeStream(columns: string[], chunks: Row[][]): RowStream & { closed: () => boolean } {
  let closed = false;
  return {
    columns,
    async *chunks() {
      try {
        for (const c of chunks) yield c;
      } finally {
        closed = true;
      }
    },
    close() {
      closed = true;
    },
    closed: () => closed,
  };
}

describe('streamRows', () => {
  it('streams JSON across chunks', async () => {
    const res = streamRows(fakeStream(['a'], [[{ a: 1 }, { a: 2 }], [{ a: 3 }]]), { format: 'json' });
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ rows: [{ a: 1 }, { a: 2 }, { a: 3 }], next_cursor: null });
  });

  it('stops at the page size, gives the next cursor and releases the stream', async () => {
    const s = fakeStream(['a'], [[{ a: 1 }], [{ a: 2 }]]);
    const res = streamRows(s, { format: 'json', limit: 2, nextCursor: () => 'next' });
    expect(await res.json()).toEqual({ rows: [{ a: 1 }, { a: 2 }], next_cursor: null });
    const s1 = fakeStream(['a'], [[{ a: 1 }, { a: 2 }], [{ a: 3 }]]);
    const res1 = streamRows(s1, { format: 'json', limit: 2, nextCursor: () => 'next' });
    expect(await res1.json()).toEqual({ rows: [{ a: 1 }, { a: 2 }], next_cursor: 'next' });
    const s2 = fakeStream(['a'], [[{ a: 1 }, { a: 2 }, { a: 3 }]]);
    const res2 = streamRows(s2, { format: 'json', limit: 2, nextCursor: () => 'next' });
    expect(await res2.json()).toEqual({ rows: [{ a: 1 }, { a: 2 }], next_cursor: 'next' });
    expect(s2.closed()).toBe(true);
  });

  it('streams CSV with a header, quoting and ISO timestamps; null is empty', async () => {
    const rows = [{ id: 'x,1', note: 'say "hi"', at: new Date('2026-01-02T03:04:05.006Z'), n: null }];
    const res = streamRows(fakeStream(['id', 'note', 'at', 'n'], [rows]), { format: 'csv' });
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await res.text()).toBe('id,note,at,n\r\n"x,1","say ""hi""",2026-01-02T03:04:05.006Z,\r\n');
  });

  it('writes the header of an empty result', async () => {
    expect(await streamRows(fakeStream(['a', 'b'], []), { format: 'csv' }).text()).toBe('a,b\r\n');
    expect(await streamRows(fakeStream(['a'], []), { format: 'json' }).json()).toEqual({ rows: [], next_cursor: null });
  });

  it('escapes CSV fields', () => {
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(true)).toBe('true');
    expect(csvField(undefined)).toBe('');
  });
});
