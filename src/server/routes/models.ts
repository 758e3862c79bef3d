import { apiError, fromWriteError } from '../../http/api-error.js';
import type { HttpContext } from '../../http/context.js';
import type { HttpLibrary } from '../../http/library.js';
import { sendFailure } from '../../http/parse-request.js';
import { route, type Route } from '../../http/route.js';
import { ModelRowsQuerySchema, ModelRowsResponseSchema } from '../../http/wire-schemas.js';
import type { ServerLogger } from '../logger.js';
import { connectionOf, streamRows, type StreamFormat } from '../stream-rows.js';

function wantsCsv(c: HttpContext, format: StreamFormat | undefined): boolean {
  if (format) return format === 'csv';
  return /\btext\/csv\b/i.test(c.req.header('accept') ?? '');
}

/**
 * Model reads one user may stream at once: each holds a warehouse connection while its client
 * reads, and the warehouse has few of them for everyone (16 on a DuckDB file).
 */
export const STREAMS_PER_USER = 4;

/** `GET /api/v1/models/{model}/rows`: a merged view, streamed as JSON (or CSV), with the caller's row filters. */
export function modelRoutes(wb: HttpLibrary, logger: ServerLogger, stallMs: number): Route[] {
  const streaming = new Map<string, number>();
  return [
    route({
      method: 'get',
      path: '/api/v1/models/{model}/rows',
      operationId: 'readModelRows',
      summary: "Rows of a merged view with the caller's row filters, streamed (JSON, or CSV with Accept: text/csv or format=csv)",
      description:
        'Without `limit` every row is streamed. A model whose SQL fails in the warehouse is 502 `model_failed` when it fails before the first rows are sent; after that the body ends with a line `writeback-error: model_failed: …` and the connection closes before the chunked body is complete.',
      tags: ['models'],
      auth: 'caller',
      params: { model: 'Model name.' },
      query: ModelRowsQuerySchema,
      headers: [{ name: 'Accept', description: '`text/csv` for CSV (or `format=csv`).' }],
      responses: { 200: { description: 'OK', json: ModelRowsResponseSchema, text: { 'text/csv': 'A header line, then one line per row (RFC 4180); CSV pages carry no cursor.' } } },
      errors: ['forbidden', 'not_found', 'model_failed'],
      handler: async (c, { query }) => {
        const { scenario, limit, cursor, format } = query;
        const user = c.get('actor').user;
        if ((streaming.get(user) ?? 0) >= STREAMS_PER_USER) {
          return sendFailure(c, apiError('unavailable', `${user} has ${STREAMS_PER_USER} model reads streaming already: let one finish, then retry`));
        }
        // taken before the read opens (its first rows may take a while), given back however it ends
        streaming.set(user, (streaming.get(user) ?? 0) + 1);
        const release = () => {
          const left = (streaming.get(user) ?? 1) - 1;
          if (left > 0) streaming.set(user, left);
          else streaming.delete(user);
        };
        let read: Awaited<ReturnType<HttpLibrary['models']['rows']>>;
        try {
          read = await wb.models.rows(c.req.param('model') ?? '', {
            actor: c.get('actor'),
            ...(scenario !== undefined ? { scenario } : {}),
            ...(limit !== undefined ? { limit } : {}),
            ...(cursor !== undefined ? { cursor } : {}),
          });
        } catch (err) {
          release();
          throw err;
        }
        if (!read.ok) {
          release();
          if (read.error.code === 'model_failed') logger.error('model read failed', { model: c.req.param('model'), error: read.error.cause ?? read.error.message });
          return sendFailure(c, fromWriteError(read.error));
        }
        const connection = connectionOf(c);
        const model = read.rows.model;
        return streamRows(read.rows, {
          onEnd: release,
          format: wantsCsv(c, format) ? 'csv' : 'json',
          ...(connection ? { connection } : {}),
          stallMs,
          onStall: () => logger.warn('model read stopped: its client took nothing for too long', { model, waitedMs: stallMs }),
          onError: (err) => logger.error('model stream failed', { model, error: err instanceof Error ? err.message : String(err) }),
        });
      },
    }),
  ];
}
