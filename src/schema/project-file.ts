import { z } from 'zod';
import { descriptionSchema, perTargetSchema, scalarSchema } from './common.js';

/** A text setting that must not be empty (it may hold `{{ env('X') }}`). */
const settingText = z.string().min(1);
/** A duration: `30s`, `15m`, `12h`, `90d` (checked by the loader, src/schema/auth-settings.ts; a bare number is refused there with the format). */
const durationText = z.union([z.string(), z.number()]);

/** `auth.oidc`: OpenID Connect sign-in (authorization code flow with PKCE). */
export const oidcSignInSchema = z.strictObject({
  /** The identity provider's issuer URL (its discovery document is `<issuer>/.well-known/openid-configuration`). */
  issuer: settingText,
  client_id: settingText,
  /** Absent = a public client (PKCE only); usually `{{ env('…') }}`. */
  client_secret: settingText.optional(),
  /** `<public origin of writeback>/auth/callback`. */
  redirect_url: settingText,
  /** Default: `[openid, profile, email]`; must hold `openid`. */
  scopes: z.array(settingText).min(1).optional(),
});

/** `auth.proxy`: a signed identity assertion (a JWT) an authenticating proxy adds to every request. */
export const proxySignInSchema = z.strictObject({
  /** The request header holding the JWT (e.g. `x-goog-iap-jwt-assertion`). */
  header: settingText,
  issuer: settingText,
  /** The `aud` the assertion must carry: one value or a list. */
  audience: z.union([settingText, z.array(settingText).min(1)]),
  /** The proxy's signing keys: a JWKS URL, or (`jwks_file`) a JWKS file in the project directory. */
  jwks_url: settingText.optional(),
  jwks_file: settingText.optional(),
  /** Accepted JWS algorithms; default `[RS256, ES256]`; never `none` nor HS*. */
  algorithms: z.array(z.string()).min(1).optional(),
});

/** `auth.claims`: how the identity provider's claims give the display name, e-mail, role and attributes. */
export const claimsMappingSchema = z.strictObject({
  /** Claim with the display name; default `name`. */
  name: settingText.optional(),
  /** Claim with the e-mail address; default `email`. */
  email: settingText.optional(),
  role: z.strictObject({
    /** The claim read (a text or a list of texts, e.g. `groups`). */
    claim: settingText,
    /** Claim value → role, in order: the first listed value the user holds wins. Absent: a claim value that is a role's name. */
    map: z.record(z.string(), z.string()).optional(),
  }),
  /** User attribute → the claim it is read from (e.g. `region: region`). */
  attributes: z.record(z.string(), settingText).optional(),
});

/** `targets.<t>.auth`: how people sign in when this target is served (exactly one of `oidc`, `proxy`). */
export const authSchema = z.strictObject({
  oidc: oidcSignInSchema.optional(),
  proxy: proxySignInSchema.optional(),
  claims: claimsMappingSchema,
  /** Browser sessions: `lifetime` (default 12h) and `idle_timeout` (default 1h). */
  session: z.strictObject({ lifetime: durationText.optional(), idle_timeout: durationText.optional() }).optional(),
  /** Personal access tokens: the longest expiry a user may choose (default 90d). */
  personal_tokens: z.strictObject({ max_lifetime: durationText.optional() }).optional(),
});

/** `targets.<t>.postgres_endpoint`: serve the PostgreSQL wire protocol for BI tools (DuckDB targets). */
export const postgresEndpointSchema = z.strictObject({
  /** Default 5433; 0 = any free port. */
  port: z.number().int().min(0).max(65535).optional(),
  /** Bind address; default 127.0.0.1. Any other address needs `tls`. */
  host: settingText.optional(),
  /** PEM certificate and private key files (relative to the project directory, or absolute). */
  tls: z.strictObject({ cert_file: settingText, key_file: settingText }).optional(),
  /** Longest a statement runs; default 30s. */
  statement_timeout: durationText.optional(),
  /** Most rows a statement returns (one more fails it); default 1000000. */
  max_rows: z.number().int().min(1).optional(),
  /** Client connections at once; default 64. */
  max_connections: z.number().int().min(1).max(10_000).optional(),
  /** Memory of the warehouse engine, which its statements share with the server's writes (e.g. 4GB); default half the machine's. */
  memory_limit: settingText.optional(),
});

/** A DuckDB target: a file path relative to the project directory. */
export const duckdbTargetSchema = z.strictObject({
  type: z.literal('duckdb'),
  /** Default: `target/<target name>.duckdb`. */
  path: z.string().optional(),
  /** Sign-in when this target is served; absent = API tokens only. */
  auth: authSchema.optional(),
  /** The Postgres-protocol endpoint `serve`/`dev` open for BI tools; absent = off (`--postgres-port` turns it on). */
  postgres_endpoint: postgresEndpointSchema.optional(),
});

/** A cloud/server target; settings stay raw strings (`{{ env('X') }}` is resolved at connect time), `auth` aside. */
export const remoteTargetSchema = z
  .object({
    type: z.enum(['postgres', 'snowflake', 'bigquery']),
    /** Sign-in when this target is served; absent = API tokens only. */
    auth: authSchema.optional(),
    /** Refused by the loader: BI tools connect to this warehouse itself. */
    postgres_endpoint: z.unknown().optional(),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean()]));

/** One entry of `targets:`. */
export const targetSchema = z.discriminatedUnion('type', [duckdbTargetSchema, remoteTargetSchema]);

/** One table of a source (`{}` or null allowed). */
export const sourceTableSchema = z
  .strictObject({
    description: descriptionSchema,
    /** The physical table name when it differs (e.g. upper case on Snowflake). */
    identifier: z.string().optional(),
    /** dbt-backed sources: the model, seed or snapshot (`name` or `package.name`) when it is not named like the table. */
    ref: z.string().optional(),
    /** dbt-backed sources: the version of a versioned dbt model; default its latest. */
    version: z.union([z.string(), z.number()]).optional(),
  })
  .nullable();

/** One entry of `sources:`. */
export const sourceSchema = z.strictObject({
  description: descriptionSchema,
  /** Schema (dataset) for every target, or per target. Default: the source name. */
  schema: perTargetSchema.optional(),
  /** Database (project) for every target, or per target. Default: the connection's. */
  database: perTargetSchema.optional(),
  tables: z.union([z.array(z.string()), z.record(z.string(), sourceTableSchema)]),
  /** The tables are dbt models, seeds or snapshots: their relations come from dbt's manifest (a path, or one per target). */
  dbt: z.strictObject({ manifest: perTargetSchema }).optional(),
});

/** One entry of `seeds:`: a CSV file loaded into a source table, or just its path. */
export const seedSchema = z.union([
  z.string(),
  z.strictObject({
    file: z.string(),
    /** `<source>.<table>`; default: the source table named like the file. */
    into: z.string().optional(),
    column_types: z.record(z.string(), z.string()).optional(),
  }),
]);

/** One entry of `roles:` (`{}` or null allowed). */
export const roleSchema = z
  .strictObject({
    description: descriptionSchema,
    /** User attributes a row filter may use as `user.<attribute>`. */
    attributes: z.array(z.string()).optional(),
  })
  .nullable();

/** `scenarios:` — which roles may create and archive scenarios (the administrator always may). */
export const scenarioPermissionsSchema = z.strictObject({
  /** Roles that may create scenarios. Default: every role with `write` on an input table with `scenarios: true`. */
  create: z.array(z.string()).optional(),
  /** Roles that may archive any scenario. Default: every role with `approve` on such a table, plus each scenario's creator. */
  archive: z.array(z.string()).optional(),
});

/** `project.yml`. */
export const projectFileSchema = z.strictObject({
  name: z.string(),
  description: descriptionSchema,
  /** Optional when there is exactly one target. */
  default_target: z.string().optional(),
  /** Default: `{ dev: { type: duckdb, path: target/warehouse.duckdb } }`. */
  targets: z.record(z.string(), targetSchema).optional(),
  schemas: z.strictObject({ inputs: z.string().optional(), views: z.string().optional() }).optional(),
  sources: z.record(z.string(), sourceSchema).optional(),
  seeds: z.array(seedSchema).optional(),
  vars: z.record(z.string(), scalarSchema).optional(),
  roles: z.record(z.string(), roleSchema).optional(),
  /** Who may create and archive scenarios; absent = derived from the input tables' permissions. */
  scenarios: scenarioPermissionsSchema.optional(),
  /** HTTP and CLI writes that change more rows than this need `"confirm": true` (`--yes`); default 100. */
  confirm_threshold: z.number().int().positive().optional(),
  /** Days an idempotency record is kept: a retry with the same key within them is answered from it (default 7). */
  idempotency_retention_days: z.number().int().min(1).max(3650).optional(),
});

/** The parsed shape of `project.yml`. */
export type ProjectFile = z.infer<typeof projectFileSchema>;
/** The parsed shape of one source. */
export type SourceEntry = z.infer<typeof sourceSchema>;
/** The parsed shape of one target. */
export type TargetEntry = z.infer<typeof targetSchema>;
/** The parsed shape of `targets.<t>.postgres_endpoint`. */
export type PostgresEndpointEntry = z.infer<typeof postgresEndpointSchema>;
/** The parsed shape of `targets.<t>.auth`. */
export type AuthEntry = z.infer<typeof authSchema>;
/** The parsed shape of one seed. */
export type SeedEntry = z.infer<typeof seedSchema>;
