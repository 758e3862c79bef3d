import type { ServerResponse } from 'node:http';
import type { HttpContext } from '../http/context.js';
import { base64, toJson } from '../http/to-json.js';
import { ModelReadFailed, type ModelRow, type ModelRows } from '../library/model-rows.js';

/** Output format of a streamed read. */
export type StreamFormat = 'json' | 'csv';

/** Options of {@link streamRows}. */
export interface StreamRowsOptions {
  format: StreamFormat;
  /** Called when reading fails after the response has started (the response is then cut off). */
  onError?: (err: unknown) => void;
  /**
   * Close the connection, sending first what was written to it, without completing the body (see
   * {@link endConnection}); called once the failure line was written. Without it a failure errors
   * the body, and a server may then drop the connection before the failure line is sent.
   */
  closeConnection?: () => void;
  /**
   * A client that takes nothing for `ms` (while no chunk is being read) loses its read: the read
   * is closed, which frees its warehouse connection, and `cut` drops the connection (see
   * {@link dropConnection}). Without it a client that never reads holds its read for ever.
   */
  stall?: { ms: number; cut: () => void };
}

/** Milliseconds a streamed read waits for its client to take the next chunk (`serve`'s default). */
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

/** {@link StreamRowsOptions.stall}'s `cut` for a request served by Node's HTTP server: the socket is destroyed. */
export function dropConnection(c: HttpContext): (() => void) | undefined {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  return outgoing ? () => outgoing.socket?.destroy() : undefined;
}

/**
 * {@link StreamRowsOptions.closeConnection} for a request served by Node's HTTP server: the socket
 * is ended (what is queued is sent, then a FIN) without the chunked body's last chunk, which every
 * HTTP client reports as a body cut short, and closed once that is sent — a client that never
 * closes its own side (the server's sockets allow half-open connections) does not keep it.
 * Undefined where the request came from no socket.
 */
export function endConnection(c: HttpContext): (() => void) | undefined {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  return outgoing
    ? () => {
        const socket = outgoing.socket;
        socket?.end(() => socket.destroy());
      }
    : undefined;
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

  /** Closed, cancelled or cut: nothing more is read or sent, and nothing more is a failure. */
  let over = false;
  let stalled: NodeJS.Timeout | undefined;
  /** Between chunks: wait for the client to take the next one, for `stall.ms` at most. */
  const waitForClient = () => {
    clearTimeout(stalled);
    if (!options.stall || over) return;
    const { ms, cut } = options.stall;
    stalled = setTimeout(() => {
      over = true;
      source.close();
      void chunks.return(undefined).catch(() => undefined);
      cut();
    }, ms);
    stalled.unref();
  };
  const finish = () => {
    over = true;
    clearTimeout(stalled);
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
      // the event loop (after the line, which ending the socket still sends), and the server cancels
      // this body once the socket has closed.
      if (failed !== undefined) {
        finish();
        if (!options.closeConnection) return controller.error(failed);
        setImmediate(options.closeConnection);
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
        options.onError?.(err);
        failed = err ?? new Error('stream failed');
        controller.enqueue(encoder.encode(streamFailureLine(err)));
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
