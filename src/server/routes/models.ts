import { fromWriteError } from '../../http/api-error.js';
import type { HttpContext } from '../../http/context.js';
import type { HttpLibrary } from '../../http/library.js';
import { sendFailure } from '../../http/parse-request.js';
import { route, type Route } from '../../http/route.js';
import { ModelRowsQuerySchema, ModelRowsResponseSchema } from '../../http/wire-schemas.js';
import type { ServerLogger } from '../logger.js';
import { dropConnection, endConnection, streamRows, type StreamFormat } from '../stream-rows.js';

function wantsCsv(c: HttpContext, format: StreamFormat | undefined): boolean {
  if (format) return format === 'csv';
  return /\btext\/csv\b/i.test(c.req.header('accept') ?? '');
}

/** `GET /api/v1/models/{model}/rows`: a merged view, streamed as JSON (or CSV), with the caller's row filters. */
export function modelRoutes(wb: HttpLibrary, logger: ServerLogger, stallMs: number): Route[] {
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
        const read = await wb.models.rows(c.req.param('model') ?? '', {
          actor: c.get('actor'),
          ...(scenario !== undefined ? { scenario } : {}),
          ...(limit !== undefined ? { limit } : {}),
          ...(cursor !== undefined ? { cursor } : {}),
        });
        if (!read.ok) {
          if (read.error.code === 'model_failed') logger.error('model read failed', { model: c.req.param('model'), error: read.error.cause ?? read.error.message });
          return sendFailure(c, fromWriteError(read.error));
        }
        const closeConnection = endConnection(c);
        const drop = dropConnection(c);
        const model = read.rows.model;
        return streamRows(read.rows, {
          format: wantsCsv(c, format) ? 'csv' : 'json',
          ...(closeConnection ? { closeConnection } : {}),
          ...(drop
            ? {
                stall: {
                  ms: stallMs,
                  cut: () => {
                    logger.warn('model read stopped: its client took nothing for too long', { model, waitedMs: stallMs });
                    drop();
                  },
                },
              }
            : {}),
          onError: (err) => logger.error('model stream failed', { model, error: err instanceof Error ? err.message : String(err) }),
        });
      },
    }),
  ];
}
