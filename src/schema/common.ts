import { z } from 'zod';

/** A JSON-compatible scalar as written in YAML (defaults, var values). */
export const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A value given once for every target, or per target: `crm` or `{ dev: crm, prod: RAW_CRM }`. */
export const perTargetSchema = z.union([z.string(), z.record(z.string(), z.string())]);

/** An optional free-text description. */
export const descriptionSchema = z.string().optional();

/** `<source>.<table>` as written in YAML (checked for shape by {@link parseSourceTableRef}). */
export const sourceTableRefSchema = z.string();

/** Splits `crm.accounts` into its two names; undefined when it is not exactly two dot-separated parts. */
export function parseSourceTableRef(text: string): { source: string; table: string } | undefined {
  const parts = text.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { source: parts[0], table: parts[1] };
}
