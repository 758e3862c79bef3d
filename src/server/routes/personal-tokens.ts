import { z } from 'zod';
import { apiError, fromWriteError } from '../../http/api-error.js';
import type { HttpContext } from '../../http/context.js';
import type { HttpLibrary } from '../../http/library.js';
import { sendFailure } from '../../http/parse-request.js';
import { SIGN_IN_PATH } from '../../http/session-cookie.js';
import { route, type Route } from '../../http/route.js';
import { wireRegistry } from '../../http/wire-schemas.js';
import { TokenCreatedSchema, TokenInfoSchema, TokenRevokedSchema } from '../token-schemas.js';

const PersonalTokenCreateSchema = z
  .strictObject({
    name: z.string().min(1).describe('What script or service the token is for.'),
    expires_in_days: z.number().int().min(1).optional().describe('Lifetime in days from now; or give `expires_at`. Neither: the longest lifetime allowed.'),
    expires_at: z.string().optional().describe('When it stops signing in (ISO 8601), in the future and within the longest lifetime allowed.'),
  })
  .register(wireRegistry, { id: 'PersonalTokenCreateRequest' });

const PersonalTokensResponseSchema = z
  .object({
    tokens: z.array(TokenInfoSchema).describe("The caller's personal tokens that are not revoked (expired ones included), oldest first."),
    max_lifetime_days: z.number().describe('The longest lifetime of a personal token on this server, in days (`personal_tokens.max_lifetime`, default 90).'),
    can_create: z.boolean().describe('Whether the caller may create tokens here: a person signed in with a session, a proxy assertion or `--dev-user`, with a role (not a request signed in with a token).'),
  })
  .register(wireRegistry, { id: 'PersonalTokensResponse' });

const TAGS = ['tokens'];

/**
 * A browser session creates tokens only this soon after signing in: a session cookie copied from a
 * browser (it lives up to `session.lifetime`) cannot turn itself into a token that lives for months.
 */
export const FRESH_SIGN_IN_SECONDS = 15 * 60;

/** Why the caller may not create a token (a token, or an administrator without a role); undefined when they may. */
function cannotCreate(c: HttpContext): string | undefined {
  if (c.get('credential').kind === 'token') return 'a token cannot create tokens: sign in to the form (or use `writeback token create`)';
  if (c.get('actor').role === undefined) return 'a personal token carries its creator\'s role, and this user has none (an administrator): use `writeback token create --role …`, or serve with `--dev-user NAME --role ROLE`';
  return undefined;
}

/** Whether a browser session signed in too long ago to create a token (it must sign in again). */
function staleSignIn(c: HttpContext): boolean {
  const credential = c.get('credential');
  if (credential.kind !== 'session') return false;
  const at = Date.parse(credential.signedInAt ?? '');
  return !(Date.now() - at <= FRESH_SIGN_IN_SECONDS * 1000);
}

/**
 * `/api/v1/me/tokens`: personal access tokens a signed-in person creates for their own scripts,
 * with their own role and attributes. Each caller sees and revokes only their own; someone else's
 * token id answers 404 like an unknown one.
 */
export function personalTokenRoutes(wb: HttpLibrary): Route[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/me/tokens',
      operationId: 'listMyTokens',
      summary: "The caller's personal access tokens (never their secrets)",
      tags: TAGS,
      auth: 'caller',
      responses: { 200: { description: 'OK', json: PersonalTokensResponseSchema } },
      errors: [],
      handler: async (c) =>
        c.json({
          tokens: await wb.tokens.listOwn(c.get('actor').user),
          max_lifetime_days: Math.floor(wb.tokens.personalTokenLimit().maxLifetimeSeconds / 86_400),
          can_create: cannotCreate(c) === undefined,
        }),
    }),
    route({
      method: 'post',
      path: '/api/v1/me/tokens',
      operationId: 'createMyToken',
      summary: "Create a personal access token with the caller's role and attributes (the secret is shown once)",
      description:
        'Only a person signed in with a session, a proxy assertion or `--dev-user` may create one (403 for a request signed in with a token); ' +
        `a browser session only within ${FRESH_SIGN_IN_SECONDS / 60} minutes of signing in (else 403 whose details name \`sign_in\`). ` +
        'The expiry is capped by `personal_tokens.max_lifetime` (default 90 days): one in the past or beyond the cap is 400 naming the limit.',
      tags: TAGS,
      auth: 'caller',
      body: PersonalTokenCreateSchema,
      responses: { 201: { description: 'Created (the secret is in `token`, shown this once)', json: TokenCreatedSchema } },
      errors: ['forbidden'],
      handler: async (c, { body }) => {
        const refused = cannotCreate(c);
        if (refused) return sendFailure(c, apiError('forbidden', refused));
        if (staleSignIn(c)) {
          const message = `sign in again to create a token: a browser session creates tokens only within ${FRESH_SIGN_IN_SECONDS / 60} minutes of signing in`;
          return sendFailure(c, apiError('forbidden', message, [{ message, sign_in: `${SIGN_IN_PATH}?return_to=%2Ftokens` }]));
        }
        const actor = c.get('actor');
        const result = await wb.tokens.createPersonal(
          { user: actor.user, role: actor.role ?? '', attributes: actor.attributes ?? {} },
          { name: body.name, ...(body.expires_in_days !== undefined ? { expiresInDays: body.expires_in_days } : {}), ...(body.expires_at !== undefined ? { expiresAt: body.expires_at } : {}) },
        );
        return result.ok ? c.json({ token: result.token, info: result.info }, 201) : sendFailure(c, fromWriteError(result.error));
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/me/tokens/{id}/revoke',
      operationId: 'revokeMyToken',
      summary: 'Revoke one of your personal tokens (it answers 401 from then on); anyone else\'s is 404',
      tags: TAGS,
      auth: 'caller',
      params: { id: 'Token id (`tokenId`).' },
      responses: { 200: { description: 'Revoked', json: TokenRevokedSchema } },
      errors: ['not_found'],
      handler: async (c) => {
        const result = await wb.tokens.revokeOwn(c.get('actor').user, c.req.param('id') ?? '');
        return result.ok ? c.json({ info: result.info }) : sendFailure(c, fromWriteError(result.error));
      },
    }),
  ];
}
