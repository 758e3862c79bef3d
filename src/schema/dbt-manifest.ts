import { z } from 'zod';

/** The `dbt_schema_version`s of the manifests writeback reads (dbt-core 1.6 to 1.11 write v10 to v12). */
export const SUPPORTED_MANIFEST_VERSIONS = [10, 11, 12] as const;

/** `https://schemas.getdbt.com/dbt/manifest/v12.json` → 12; undefined for anything else. */
export function manifestVersion(schemaUrl: string): number | undefined {
  const m = /^https:\/\/schemas\.getdbt\.com\/dbt\/manifest\/v(\d+)\.json$/.exec(schemaUrl);
  return m ? Number(m[1]) : undefined;
}

/** A node of a dbt manifest, as far as writeback reads it: where its relation is. */
export const manifestNodeSchema = z.object({
  unique_id: z.string(),
  resource_type: z.string(),
  name: z.string(),
  package_name: z.string(),
  database: z.string().nullish(),
  schema: z.string(),
  alias: z.string().nullish(),
  /** The quoted, qualified relation dbt builds; null for ephemeral models and nodes without one. */
  relation_name: z.string().nullish(),
  version: z.union([z.string(), z.number()]).nullish(),
  latest_version: z.union([z.string(), z.number()]).nullish(),
  description: z.string().nullish(),
});

/** The parts of dbt's `target/manifest.json` writeback reads (every other key is ignored). */
export const manifestSchema = z.object({
  metadata: z.object({ dbt_schema_version: z.string(), dbt_version: z.string().optional(), project_name: z.string().nullish() }),
  nodes: z.record(z.string(), manifestNodeSchema),
  /** Disabled nodes by unique id (to say "disabled" rather than "not found"). */
  disabled: z.record(z.string(), z.array(z.object({ name: z.string(), resource_type: z.string(), package_name: z.string() }))).nullish(),
});

/** A parsed manifest (the parts writeback reads). */
export type Manifest = z.infer<typeof manifestSchema>;
/** One node of it. */
export type ManifestNode = z.infer<typeof manifestNodeSchema>;
