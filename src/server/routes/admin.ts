import { z } from 'zod';
import { apiError, fromWriteError } from '../../http/api-error.js';
import type { HttpLibrary } from '../../http/library.js';
import { sendFailure } from '../../http/parse-request.js';
import { route, type Route } from '../../http/route.js';
import { WireValueSchema, wireRegistry } from '../../http/wire-schemas.js';
import { ApplyBodySchema, ApplyResponseSchema } from '../admin-apply.js';
import type { ServerOptions } from '../server-options.js';
import { QUERY_LIMITS } from '../../library/read-query.js';
import { TokenCreatedSchema, TokenRevokedSchema, TokensResponseSchema } from '../token-schemas.js';

const TokenCreateSchema = z
  .strictObject({
    user: z.string().min(1),
    role: z.string().min(1),
    attributes: z.record(z.string(), z.string()).optional(),
    created_by: z.string().min(1).optional(),
    name: z.string().min(1).optional().describe('What the token is for.'),
    expires_at: z.string().optional().describe('When it stops signing in (ISO 8601, in the future); absent = never.'),
  })
  .register(wireRegistry, { id: 'TokenCreateRequest' });

const VerifySchema = z.strictObject({ tables: z.array(z.string()).optional() }).register(wireRegistry, { id: 'VerifyRequest' });

const VerifyReportSchema = z
  .object({
    ok: z.boolean(),
    tables: z.array(z.object({ table: z.string(), entries: z.number().int(), stateRows: z.number().int() })),
    problems: z.array(
      z.object({
        table: z.string(),
        kind: z.enum(['state-drift', 'broken-chain', 'chain-head-mismatch']),
        message: z.string(),
        key: z.record(z.string(), WireValueSchema).optional(),
        scenario: z.string().optional(),
        entryId: z.string().optional(),
        seq: z.number().int().optional(),
      }),
    ),
  })
  .register(wireRegistry, { id: 'VerifyReport' });

const VersionsQuerySchema = z.strictObject({ model: z.string().min(1).optional().describe('Only this model.') });

const VersionInfoSchema = z
  .object({
    model: z.string(),
    version: z.number().int(),
    fingerprint: z.string(),
    appliedAt: z.string().describe('ISO 8601, UTC.'),
    appliedBy: z.string(),
    view: z.object({ schema: z.string(), name: z.string() }),
    exists: z.boolean().describe('False once pruned (the registry row stays as history).'),
    latest: z.boolean().describe('The alias `<model>` points at this version.'),
  })
  .register(wireRegistry, { id: 'VersionInfo' });

const VersionsResponseSchema = z.object({ versions: z.array(VersionInfoSchema) }).register(wireRegistry, { id: 'VersionsResponse' });

const PruneSchema = z
  .strictObject({
    keep: z.number().int().min(1).describe('Versions to keep per model (the newest; never the one the alias points at, nor one a kept version reads).'),
    dry_run: z.boolean().optional().describe('Report what would be dropped, drop nothing.'),
  })
  .register(wireRegistry, { id: 'PruneRequest' });

const PruneResponseSchema = z
  .object({
    dropped: z.array(z.object({ model: z.string(), version: z.number().int(), view: z.object({ schema: z.string(), name: z.string() }) })),
    dry_run: z.boolean(),
  })
  .register(wireRegistry, { id: 'PruneResponse' });

const QuerySchema = z
  .strictObject({
    sql: z.string().min(1).describe('Exactly one statement that the warehouse classifies as a read (SELECT, WITH … SELECT, FROM, VALUES, DESCRIBE, SHOW).'),
    limit: z.number().int().min(1).max(QUERY_LIMITS.max).optional().describe(`Rows returned at most (default ${QUERY_LIMITS.default}).`),
  })
  .register(wireRegistry, { id: 'QueryRequest' });

const QueryResponseSchema = z
  .object({
    columns: z.array(z.object({ name: z.string(), type: z.string() })),
    rows: z.array(z.record(z.string(), z.unknown())),
    row_count: z.number().int().describe('Rows the statement produced in all.'),
    truncated: z.boolean().describe('More rows than `limit`: only the first ones are returned.'),
  })
  .register(wireRegistry, { id: 'QueryResponse' });

/**
 * `/api/v1/admin/*` besides the input and workflow routes: what the CLI does through a running
 * server (`verify`, `token`, `plan`/`apply`, `versions`, `prune`, `query`). Authenticated with the per-process credential of
 * target/server.json; the caller acts as administrator.
 */
export function adminRoutes(wb: HttpLibrary, options: Pick<ServerOptions, 'apply' | 'onWrite'>): Route[] {
  const base = '/api/v1/admin';
  const common = { tags: ['admin'], auth: 'admin' as const };
  return [
    route({
      ...common,
      method: 'post',
      path: `${base}/verify`,
      operationId: 'adminVerify',
      summary: "Replay every input's log and compare with its state; recompute every hash chain",
      body: VerifySchema,
      bodyOptional: true,
      responses: { 200: { description: 'The report (`ok: false` lists the problems)', json: VerifyReportSchema } },
      errors: ['not_found'],
      handler: async (c, { body }) => {
        const unknown = (body?.tables ?? []).filter((t) => !Object.hasOwn(wb.project.inputs, t));
        if (unknown.length > 0) return sendFailure(c, apiError('not_found', `unknown input table${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `'${t}'`).join(', ')}`));
        return c.json(await wb.verify(body?.tables ? { tables: body.tables } : {}));
      },
    }),
    route({
      ...common,
      method: 'get',
      path: `${base}/tokens`,
      operationId: 'adminListTokens',
      summary: 'Every API token (revoked ones too); secrets are never stored',
      responses: { 200: { description: 'OK', json: TokensResponseSchema } },
      errors: [],
      handler: async (c) => c.json({ tokens: await wb.tokens.list() }),
    }),
    route({
      ...common,
      method: 'post',
      path: `${base}/tokens`,
      operationId: 'adminCreateToken',
      summary: 'Create an API token for a user with a role and its attributes',
      body: TokenCreateSchema,
      responses: { 201: { description: 'Created (the secret is shown once)', json: TokenCreatedSchema } },
      errors: [],
      handler: async (c, { body: b }) => {
        const result = await wb.tokens.create({
          user: b.user,
          role: b.role,
          ...(b.attributes ? { attributes: b.attributes } : {}),
          ...(b.created_by ? { createdBy: b.created_by } : {}),
          ...(b.name ? { name: b.name } : {}),
          ...(b.expires_at ? { expiresAt: b.expires_at } : {}),
        });
        return result.ok ? c.json({ token: result.token, info: result.info }, 201) : sendFailure(c, fromWriteError(result.error));
      },
    }),
    route({
      ...common,
      method: 'post',
      path: `${base}/tokens/{id}/revoke`,
      operationId: 'adminRevokeToken',
      summary: 'Revoke a token (it answers 401 from then on)',
      params: { id: 'Token id (`tokenId`).' },
      responses: { 200: { description: 'Revoked', json: TokenRevokedSchema } },
      errors: ['not_found'],
      handler: async (c) => {
        const result = await wb.tokens.revoke(c.req.param('id') ?? '');
        return result.ok ? c.json({ info: result.info }) : sendFailure(c, fromWriteError(result.error));
      },
    }),
    route({
      ...common,
      method: 'get',
      path: `${base}/versions`,
      operationId: 'adminListVersions',
      summary: 'Every applied version of every model (or one), newest last; `writeback versions`',
      query: VersionsQuerySchema,
      responses: { 200: { description: 'OK', json: VersionsResponseSchema } },
      errors: ['not_found'],
      touches: 'nothing',
      handler: async (c, { query }) => {
        const result = await wb.deploy.versions(query.model);
        return result.ok ? c.json({ versions: result.versions }) : sendFailure(c, fromWriteError(result.error));
      },
    }),
    route({
      ...common,
      method: 'post',
      path: `${base}/prune`,
      operationId: 'adminPruneVersions',
      summary: 'Drop old model version views, keeping the newest `keep` of each model; `writeback prune`',
      body: PruneSchema,
      responses: { 200: { description: 'What was dropped (or would be, with `dry_run`)', json: PruneResponseSchema } },
      errors: [],
      touches: 'nothing',
      handler: async (c, { body }) => {
        const result = await wb.deploy.prune({ keep: body.keep, ...(body.dry_run ? { dryRun: true } : {}) });
        return result.ok ? c.json({ dropped: result.dropped, dry_run: result.dryRun }) : sendFailure(c, fromWriteError(result.error));
      },
    }),
    route({
      ...common,
      method: 'post',
      path: `${base}/query`,
      operationId: 'adminQuery',
      summary: 'Run one read-only SQL statement as the administrator (no row filters); `writeback query`',
      description:
        'Admin credential only: the statement reads whatever the warehouse connection may read, so it is never offered to signed-in users. ' +
        'The warehouse classifies the statement (DuckDB: its prepared statement type must be SELECT); it runs in a transaction that is rolled back.',
      body: QuerySchema,
      responses: { 200: { description: 'The first `limit` rows', json: QueryResponseSchema } },
      errors: ['not_found'],
      touches: 'nothing',
      handler: async (c, { body }) => {
        if (!wb.query) return sendFailure(c, apiError('not_found', 'this server does not run SQL queries'));
        const result = await wb.query(body.sql, body.limit !== undefined ? { limit: body.limit } : {});
        return result.ok ? c.json({ columns: result.columns, rows: result.rows, row_count: result.row_count, truncated: result.truncated }) : sendFailure(c, fromWriteError(result.error));
      },
    }),
    route({
      ...common,
      method: 'post',
      path: `${base}/apply`,
      operationId: 'adminApply',
      summary: "Plan the project on disk against the server's connection and apply it (the write path waits meanwhile); `writeback apply`, and with `dry_run` `writeback plan`",
      body: ApplyBodySchema,
      bodyLimit: 'admin',
      responses: { 200: { description: 'Applied, or nothing to do, or the dry run (`writeback plan`)', json: ApplyResponseSchema } },
      errors: ['validation_failed', 'not_found'],
      touches: 'nothing',
      handler: async (c, { body }) => {
        if (!options.apply) return sendFailure(c, apiError('not_found', 'this server does not apply project changes (run `writeback apply` after stopping it, or use `writeback dev`)'));
        const result = await options.apply(body);
        if (result.status < 400) options.onWrite?.('*');
        return new Response(JSON.stringify(result.body), { status: result.status, headers: { 'content-type': 'application/json; charset=utf-8' } });
      },
    }),
  ];
}
