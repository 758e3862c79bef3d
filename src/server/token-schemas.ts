import { z } from 'zod';
import { wireRegistry } from '../http/wire-schemas.js';

/** A stored token as listed (the secret is never stored). */
export const TokenInfoSchema = z
  .object({
    tokenId: z.string(),
    user: z.string(),
    role: z.string(),
    attributes: z.record(z.string(), z.string()),
    createdAt: z.string(),
    createdBy: z.string(),
    revokedAt: z.string().nullable(),
    kind: z.enum(['service', 'personal']).describe('`service`: created by an administrator (`writeback token create`); `personal`: created by a signed-in user for their scripts.'),
    name: z.string().nullable().describe('What the token is for.'),
    expiresAt: z.string().nullable().describe('When it stops signing in (ISO `Z`); null = never.'),
    lastUsedAt: z.string().nullable().describe('When it last signed a request in (ISO `Z`, updated at most once a minute); null = never used.'),
  })
  .register(wireRegistry, { id: 'TokenInfo' });

export const TokensResponseSchema = z.object({ tokens: z.array(TokenInfoSchema) }).register(wireRegistry, { id: 'TokensResponse' });
export const TokenCreatedSchema = z.object({ token: z.string().describe('The secret: shown once.'), info: TokenInfoSchema }).register(wireRegistry, { id: 'TokenCreated' });
export const TokenRevokedSchema = z.object({ info: TokenInfoSchema }).register(wireRegistry, { id: 'TokenRevoked' });
