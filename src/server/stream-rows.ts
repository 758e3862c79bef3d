import type { ServerResponse } from 'node:http';
import type { HttpContext } from '../http/context.js';
import { base64, toJson } from '../http/to-json.js';
import { ModelReadFailed, type ModelRow, type ModelRows } from '../library/model-rows.js';

/** Output format of a streamed read. */
export type StreamFormat = 'json' | 'csv';

/** The connection a streamed body goes out on (Node's HTTP server: {@link connectionOf}). */
export interface StreamConnection {
  /** Send what was written, then close without completing the body, which every HTTP client reports as a body cut short. */
  end(): void;
  /** Close at once. */
  drop(): void;
  /** Bytes sent on the connection so far: the client's progress. */
  written(): number;
}

/** Options of {@link streamRows}. */
export interface StreamRowsOptions {
  format: StreamFormat;
  /** Called when reading fails after the response has started (the response is then cut off). */
  onError?: (err: unknown) => void;
  /**
   * The connection, where there is one. A failure after the first rows then ends it once the
   * failure line is written (without it the body errors, and a server may drop the connection
   * before the line is sent); and a client that takes nothing for `stallMs` — no byte sent while
   * the body waits for it — loses its read: the read is closed, which frees its warehouse
   * connection, `onStall` is called and the connection dropped.
   */
  connection?: StreamConnection;
  stallMs?: number;
  onStall?: () => void;
  /** Called once when the read ends, however it ends (all rows sent, failed, cancelled, stalled). */
  onEnd?: () => void;
}

/** Milliseconds a streamed read waits for its client to take anything (`serve`'s default). */
export const STREAM_STALL_MS = 60_000;

/** One CSV field (RFC 4180): null is empty, text with a comma, quote or line break is quoted. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    value instanceof Date
      ? value.toISOString()
      : value instanceof Uint8Array
        ? base64(value)
        : typeof value === 'object'
          ? toJson(value)
          : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The last line of a stream that failed after it started: its status (200) is already sent, so the
 * failure is said in the body — after which a JSON body does not parse — and the connection is
 * then closed before the chunked body is complete, which every HTTP client reports.
 */
export function streamFailureLine(err: unknown): string {
  const error = err instanceof ModelReadFailed ? err.error : { code: 'internal', message: 'the read failed; the server log has the details' };
  return `\nwriteback-error: ${error.code}: ${error.message.replace(/[\r\n]+/g, ' ')}\n`;
}

/**
 * {@link StreamRowsOptions.connection} for a request served by Node's HTTP server, undefined where
 * the request came from no socket. `end` closes the socket once what is queued is sent — a client
 * that never closes its own side (the server's sockets allow half-open connections) does not keep it.
 */
export function connectionOf(c: HttpContext): StreamConnection | undefined {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing) return undefined;
  return {
    end: () => {
      const socket = outgoing.socket;
      socket?.end(() => socket.destroy());
    },
    drop: () => outgoing.socket?.destroy(),
    written: () => outgoing.socket?.bytesWritten ?? 0,
  };
}

/**
 * A response that streams rows as they are read, never holding the whole result: JSON
 * `{"rows":[…],"next_cursor":…}` or CSV with a header line. Backpressure comes from the
 * pull-based stream: the next chunk is read only when the client has taken the previous one.
 */
export function streamRows(source: ModelRows, options: StreamRowsOptions): Response {
  const encoder = new TextEncoder();
  const chunks = source.chunks();
  const csv = options.format === 'csv';
  let sent = 0;
  let failed: unknown;
  const line = (row: ModelRow) =>
    csv ? `${source.columns.map((c) => csvField(row[c])).join(',')}\r\n` : `${sent === 0 ? '' : ','}${toJson(row)}`;
  const tail = () => {
    if (csv) return '';
    const next = source.nextCursor();
    return `],"next_cursor":${next === null ? 'null' : JSON.stringify(next)}}`;
  };

  const { connection } = options;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    options.onEnd?.();
  };
  /** Closed, cancelled or cut: nothing more is read, and nothing more is a failure. */
  let over = false;
  let stalled: NodeJS.Timeout | undefined;
  /**
   * While the body waits for its client (not while a chunk is read from the warehouse): every
   * `stallMs`, the client must have taken something, else the read ends and the connection drops.
   */
  const waitForClient = () => {
    clearTimeout(stalled);
    if (!connection || options.stallMs === undefined) return;
    const ms = options.stallMs;
    let seen = connection.written();
    const check = () => {
      const now = connection.written();
      if (now !== seen) {
        seen = now;
        stalled = setTimeout(check, ms).unref();
        return;
      }
      over = true;
      source.close();
      void chunks.return(undefined).catch(() => undefined);
      end();
      options.onStall?.();
      connection.drop();
    };
    stalled = setTimeout(check, ms).unref();
  };
  const finish = () => {
    over = true;
    clearTimeout(stalled);
    end();
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csv ? `${source.columns.map(csvField).join(',')}\r\n` : '{"rows":['));
      waitForClient();
    },
    async pull(controller) {
      clearTimeout(stalled);
      // The failure line was queued by the previous pull. Taking it from the queue calls this pull,
      // and the server writes it when that read resolves: the connection ends on the next turn of
      // the event loop (after the line, which ending the socket still sends) — unless the client
      // takes nothing meanwhile — and the server cancels this body once the socket has closed.
      if (failed !== undefined) {
        over = true;
        if (!connection) return controller.error(failed);
        setImmediate(() => connection.end());
        waitForClient();
        return new Promise<void>(() => undefined);
      }
      if (over) return;
      try {
        const next = await chunks.next();
        // the client went away (or stalled) while the chunk was read: its end is not a failure
        if (over) return;
        if (next.done) {
          finish();
          controller.enqueue(encoder.encode(tail()));
          controller.close();
          return;
        }
        let text = '';
        for (const row of next.value) {
          text += line(row);
          sent += 1;
        }
        if (text) controller.enqueue(encoder.encode(text));
        waitForClient();
      } catch (err) {
        if (over) return;
        source.close();
        end();
        options.onError?.(err);
        failed = err ?? new Error('stream failed');
        controller.enqueue(encoder.encode(streamFailureLine(err)));
        waitForClient();
      }
    },
    async cancel() {
      finish();
      // a body cancelled before its first read never started the generator, whose `finally` would close the read
      source.close();
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    },
  });
}
