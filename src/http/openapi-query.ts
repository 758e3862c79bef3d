import { z } from 'zod';

/**
 * OpenAPI query parameters generated from a query schema (`z.strictObject` of the route): each
 * field's JSON Schema as the request sees it (`io: 'input'`: strings with their pattern), its
 * `.describe()` text, and whether it is required — so the document cannot drift from the checks.
 */
export function queryParameters(schema: z.ZodObject): Record<string, unknown>[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { $schema: _s, description, ...json } = z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return {
      name,
      in: 'query',
      required: !(field as z.ZodType).safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: json,
    };
  });
}
