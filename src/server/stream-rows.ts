import type { Row, RowStream } from '../adapters/adapter.js';

/** Output format of a streamed read. */
export type StreamFormat = 'json' | 'csv';

/** Options of {@link streamRows}. */
export interface StreamRowsOptions {
  format: StreamFormat;
  /** Page size: the stream was asked for `limit + 1` rows; the extra one only says that a next page exists. */
  limit?: number;
  /** The cursor of the next page, used when more rows remain. */
  nextCursor?: () => string;
  /** Called when reading fails after the response has started (the response is then cut off). */
  onError?: (err: unknown) => void;
}

/** JSON.stringify that keeps big integers exact and binary readable. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
  );
}

/** One CSV field (RFC 4180): null is empty, text with a comma, quote or line break is quoted. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    value instanceof Date ? value.toISOString() : typeof value === 'object' ? toJson(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A response that streams rows as they are read, never holding the whole result: JSON
 * `{"rows":[…],"next_cursor":…}` or CSV with a header line. Backpressure comes from the
 * pull-based stream: the next chunk is read only when the client has taken the previous one.
 */
export function streamRows(source: RowStream, options: StreamRowsOptions): Response {
  const encoder = new TextEncoder();
  const chunks = source.chunks();
  const csv = options.format === 'csv';
  let sent = 0;
  let more = false;
  const line = (row: Row) =>
    csv ? `${source.columns.map((c) => csvField(row[c])).join(',')}\r\n` : `${sent === 0 ? '' : ','}${toJson(row)}`;
  const tail = () =>
    csv ? '' : `],"next_cursor":${more && options.nextCursor ? JSON.stringify(options.nextCursor()) : 'null'}}`;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csv ? `${source.columns.map(csvField).join(',')}\r\n` : '{"rows":['));
    },
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) {
          controller.enqueue(encoder.encode(tail()));
          controller.close();
          return;
        }
        let text = '';
        for (const row of next.value) {
          if (options.limit !== undefined && sent >= options.limit) {
            more = true;
            break;
          }
          text += line(row);
          sent += 1;
        }
        if (text) controller.enqueue(encoder.encode(text));
        if (more) {
          await chunks.return(undefined);
          controller.enqueue(encoder.encode(tail()));
          controller.close();
        }
      } catch (err) {
        source.close();
        options.onError?.(err);
        controller.error(err);
      }
    },
    async cancel() {
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
