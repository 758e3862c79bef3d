import { z } from 'zod';
import { limitParam, wireRegistry } from '../http/wire-schemas.js';

/** Default and largest page of `GET /api/v1/inputs/{t}/context`. */
export const CONTEXT_LIMITS = { default: 1000, max: 10_000 };

/** Query of `GET /api/v1/inputs/{t}/context`. */
export const ContextQuerySchema = z.strictObject({
  limit: limitParam(CONTEXT_LIMITS.max, `Page size, 1 to ${CONTEXT_LIMITS.max}; default ${CONTEXT_LIMITS.default}.`),
  cursor: z.string().min(1).optional().describe('`next_cursor` of the previous page.'),
});

/** `GET /api/v1/me`. */
export const MeResponseSchema = z
  .object({
    user: z.string(),
    role: z.string().nullable().describe('null = administrator (every permission).'),
    attributes: z.record(z.string(), z.string()),
    dev_user: z.boolean().describe('Signed in by `serve --dev-user` (no token sent).'),
    project: z.string(),
    name: z.string().nullable().describe("Display name from the identity provider's claims (browser sessions); null otherwise."),
    email: z.string().nullable().describe("E-mail address from the identity provider's claims (browser sessions); null otherwise."),
    csrf_token: z.string().nullable().describe('Send it as the header `X-CSRF-Token` on every POST of a browser session (and as the field `csrf_token` of the sign-out form); null for API tokens and `--dev-user`.'),
    sign_out: z.string().nullable().describe('Where a browser session signs out: POST here with `csrf_token`; null when there is no session (an API token is forgotten by the client).'),
  })
  .register(wireRegistry, { id: 'MeResponse' });

/** `GET /api/v1/inputs/{t}/context`. */
export const ContextResponseSchema = z
  .object({
    source: z.string().nullable().describe('`<source>.<table>` the input links to; null when it links to none.'),
    link: z.record(z.string(), z.string()).describe('Input key column → source column.'),
    columns: z.array(z.string()),
    rows: z.array(z.record(z.string(), z.unknown())),
    next_cursor: z.string().nullable(),
  })
  .register(wireRegistry, { id: 'ContextResponse' });

/** `GET /api/v1/inputs/{t}/columns/{c}/values`. */
export const SourceValuesResponseSchema = z
  .object({
    source: z.string().describe('`<source>.<table>.<column>`.'),
    values: z.array(z.string()),
    truncated: z.boolean().describe('More values exist than were returned (at most 5,000).'),
  })
  .register(wireRegistry, { id: 'SourceValuesResponse' });

/** `GET /api/v1/inputs/{t}/planning-context`. */
export const PlanningContextResponseSchema = z
  .object({
    source: z.string().nullable().describe('`<source>.<table>` of `planning.context`; null when the table declares none.'),
    label: z.string().nullable(),
    rows: z.array(z.record(z.string(), z.string().nullable())).describe('One per (key, across value) found: the input key columns of `context.on`, the across column, and `value` (as text).'),
    truncated: z.boolean().describe('More than 20,000 values exist; the rest were not returned.'),
  })
  .register(wireRegistry, { id: 'PlanningContextResponse' });

/** `GET /api/v1/models`. */
export const ModelListResponseSchema = z
  .object({
    models: z.array(
      z.object({
        name: z.string(),
        description: z.string().optional(),
        kind: z.enum(['enrich', 'override', 'append', 'sql']),
        from: z.string().optional().describe('The base relation (`<source>.<table>` or a model); absent for SQL models.'),
        inputs: z.array(z.string()).describe('Every input table the model reads, directly or through upstream models.'),
        uses: z
          .array(
            z.object({
              input: z.string(),
              on: z.record(z.string(), z.string()).describe('Input column → base column it is joined on.'),
              columns: z.array(z.string()),
              overrides: z.boolean().describe('Each column replaces the base column of the same name where the input set it; `_overridden` names them per row.'),
            }),
          )
          .describe('How a structured model uses its direct inputs (empty for SQL models).'),
        scenarios: z.boolean().describe('An input it reads has scenarios: `GET /models/{m}/rows?scenario=` applies.'),
      }),
    ),
  })
  .register(wireRegistry, { id: 'ModelListResponse' });
