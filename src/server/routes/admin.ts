import { z } from 'zod';
import { apiError, fromWriteError } from '../../http/api-error.js';
import type { HttpLibrary } from '../../http/library.js';
import { sendFailure } from '../../http/parse-request.js';
import { route, type Route } from '../../http/route.js';
import { WireValueSchema, wireRegistry } from '../../http/wire-schemas.js';
import { ApplyBodySchema, ApplyResponseSchema } from '../admin-apply.js';
import type { ServerOptions } from '../server-options.js';

const TokenCreateSchema = z
  .strictObject({
    user: z.string().min(1),
    role: z.string().min(1),
    attributes: z.record(z.string(), z.string()).optional(),
    created_by: z.string().min(1).optional(),
  })
  .register(wireRegistry, { id: 'TokenCreateRequest' });

const VerifySchema = z.strictObject({ tables: z.array(z.string()).optional() }).register(wireRegistry, { id: 'VerifyRequest' });

/** A stored token as listed (the secret is never stored). */
const TokenInfoSchema = z
  .object({
    tokenId: z.string(),
    user: z.string(),
    role: z.string(),
    attributes: z.record(z.string(), z.string()),
    createdAt: z.string(),
    createdBy: z.string(),
    revokedAt: z.string().nullable(),
  })
  .register(wireRegistry, { id: 'TokenInfo' });

const TokensResponseSchema = z.object({ tokens: z.array(TokenInfoSchema) }).register(wireRegistry, { id: 'TokensResponse' });
const TokenCreatedSchema = z.object({ token: z.string().describe('The secret: shown once.'), info: TokenInfoSchema }).register(wireRegistry, { id: 'TokenCreated' });
const TokenRevokedSchema = z.object({ info: TokenInfoSchema }).register(wireRegistry, { id: 'TokenRevoked' });

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

/**
 * `/api/v1/admin/*` besides the input and workflow routes: what the CLI does through a running
 * server (`verify`, `token`, `apply`). Authenticated with the per-process credential of
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
      method: 'post',
      path: `${base}/apply`,
      operationId: 'adminApply',
      summary: "Plan the project on disk against the server's connection and apply it (the write path waits meanwhile); `writeback apply` uses it while the server holds the DuckDB file",
      body: ApplyBodySchema,
      bodyLimit: 'admin',
      responses: { 200: { description: 'Applied, or nothing to do, or the dry run', json: ApplyResponseSchema } },
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
