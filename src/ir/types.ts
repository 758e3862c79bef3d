/**
 * The resolved project: plain, serializable data handed from `load/validate/resolve`
 * to `plan` and `emit`. Nothing here knows a dialect or a warehouse.
 */

/** A position in a project file (1-based line and column). */
export interface SourceLocation {
  /** Path relative to the project directory, e.g. `inputs/revenue_forecast.yml`. */
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

/**
 * One piece of a text embedded in a project file (a model's `sql:`, a rendered view): the text's
 * character at `offset` is at `line`:`col`, and each following character of the piece one column
 * further — or, when `fixed`, at `line`:`col` too (text that stands for a `{{ … }}` call or was
 * generated). A piece ends where the next one starts.
 */
export interface TextSpan {
  offset: number;
  line: number;
  col: number;
  fixed?: true;
}

/** Where the characters of a text come from in one project file: spans sorted by offset, the first at 0. */
export interface TextMap {
  /** Path relative to the project directory. */
  file: string;
  spans: TextSpan[];
}

/** Portable column types; each dialect maps them to its own SQL type. */
export type ColumnType =
  | { kind: 'string' }
  | { kind: 'text' }
  | { kind: 'integer' }
  | { kind: 'number' }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'boolean' }
  | { kind: 'date' }
  | { kind: 'timestamp' }
  | { kind: 'enum'; values: string[] };

/** A JSON-compatible scalar as written in YAML (defaults, var values). */
export type Scalar = string | number | boolean | null;

/** Allowed values of a column taken from a column of a source table. */
export interface AllowedFromSource {
  source: string;
  table: string;
  column: string;
}

/** One column of an input table as declared in `inputs/*.yml`, with its type and value rules. */
export interface InputColumn {
  name: string;
  type: ColumnType;
  description?: string;
  /** Key columns are always required. */
  required: boolean;
  default?: Scalar;
  /** Inclusive bounds for numeric types (decimals compared exactly), or ISO strings for date/timestamp. */
  min?: number | string;
  max?: number | string;
  /** A JavaScript regular expression (unanchored unless the pattern anchors itself). */
  pattern?: string;
  maxLength?: number;
  /** Fixed allowed values (non-enum columns), or values read from a source column. */
  allowedValues?: string[] | AllowedFromSource;
  /** Enum status workflow: from value → allowed moves (absent = any move). */
  transitions?: Record<string, Transition[]>;
  /** Enum status workflow: the values a new row may start in (absent: the default when there are transitions, else any). */
  initial?: string[];
  /** Enum status workflow: value → roles that may still change a row in it in `base` (`[]`: only the administrator). */
  locked?: Record<string, string[]>;
  loc: SourceLocation;
}

/** One allowed move of a status column; `roles` absent = any role that may write. */
export interface Transition {
  to: string;
  roles?: string[];
}

/** A condition on a written row's new value (`approval.when`). */
export interface ApprovalCondition {
  gt?: number | string;
  gte?: number | string;
  lt?: number | string;
  lte?: number | string;
  eq?: Scalar;
  ne?: Scalar;
  in?: (string | number | boolean)[];
}

/** Which writes of an input become pending changes. */
export interface ApprovalRule {
  /** Roles whose writes need approval; absent = every role (never the administrator). */
  requiredFor?: string[];
  /** column → condition; a batch needs approval when any row meets any condition. Absent = always. */
  when?: Record<string, ApprovalCondition>;
}

/** A named one-click action: an ordinary write of `set` on selected keys. */
export interface InputAction {
  name: string;
  description?: string;
  /** column → value; `today` / `now` are filled at run time for date / timestamp columns. */
  set: Record<string, Scalar>;
  roles?: string[];
  confirm: boolean;
  commentRequired: boolean;
  webhook?: { url: string; retries: number };
}

/** A row filter over user attributes: input/source column → `user.<attribute>`. */
export interface RowFilter {
  /** Column of the input table, or of its linked source when `onSource` is true. */
  column: string;
  onSource: boolean;
  attribute: string;
}

export interface TablePermission {
  read: boolean;
  write: boolean;
  delete: boolean;
  approve: boolean;
  rowFilter: RowFilter[];
}

export interface SourceTableRef {
  source: string;
  table: string;
}

/** An input table declared in `inputs/*.yml`: the rows people write, with key, columns, link, permissions and workflows. */
export interface InputTable {
  name: string;
  description?: string;
  /** Key column names, in declaration order. */
  key: string[];
  /** Every column (key columns first as declared, then the rest in YAML order). */
  columns: InputColumn[];
  linksTo?: SourceTableRef & { on: Record<string, string> };
  scenarios: boolean;
  /** role name → what that role may do. Roles not listed may do nothing. */
  permissions: Record<string, TablePermission>;
  /** Writes that need approval (pending changes); absent = none. */
  approval?: ApprovalRule;
  /** Named one-click actions. */
  actions?: Record<string, InputAction>;
  /** Template rows and the form's layout; absent = the planner types every key. */
  planning?: Planning;
  loc: SourceLocation;
}

/** Values of another source shown beside planned rows (`planning.context`). */
export interface PlanningContext extends SourceTableRef {
  /** Input key column → context source column. */
  on: Record<string, string>;
  /** The context source column matched with the `across` column's values. */
  across: string;
  /** The context source column shown. */
  value: string;
  label: string;
}

/**
 * `planning:` of an input table: template rows = the linked source rows the caller may see ×
 * `across.values` of one key column; nothing is stored until a value is typed.
 */
export interface Planning {
  rows: 'links_to';
  /**
   * A key column and its values: declared ones (vars already substituted, in declared order), or
   * `source`: the distinct non-null values of a source column, ordered (then `values` is empty).
   */
  across: { column: string; values: string[]; source?: AllowedFromSource };
  layout: 'table' | 'pivot';
  /** The numeric input column of each pivot cell (always set when `layout` is `pivot`). */
  value?: string;
  /** A column of the linked source shown beside the key. */
  label?: string;
  context?: PlanningContext;
}

/** A source table; its location may differ per target ("sources are named per target"). */
export interface SourceTable {
  source: string;
  table: string;
  description?: string;
  /** target name → database (project), expanded for every declared target; absent = the connection's default. */
  database: Record<string, string>;
  /** target name → schema (dataset), expanded for every declared target. */
  schema: Record<string, string>;
  /** The physical table name (defaults to `table`). */
  identifier: string;
  /** Set when the table is a dbt model, seed or snapshot whose relation came from a dbt manifest. */
  dbt?: DbtNodeRef;
}

/** The dbt node a source table stands for (its relation is read from dbt's manifest at load). */
export interface DbtNodeRef {
  /** e.g. `model.jaffle_shop.customers`. */
  uniqueId: string;
  /** `model`, `seed` or `snapshot`. */
  resourceType: string;
  package: string;
  name: string;
  /** The version of a versioned dbt model, when it has versions. */
  version?: string;
}

export interface Source {
  name: string;
  description?: string;
  tables: Record<string, SourceTable>;
  /** dbt-backed source: target name → the manifest its tables were resolved from (relative to the project directory). */
  dbtManifests?: Record<string, string>;
  loc: SourceLocation;
}

export interface Seed {
  /** Path relative to the project directory. */
  file: string;
  /** The source table it fills. */
  into: SourceTableRef;
  /** Column name → portable type; other columns are inferred from the CSV. */
  columnTypes: Record<string, ColumnType>;
  loc: SourceLocation;
}

/** Where a structured model reads its base rows from. */
export type Relation = { kind: 'source'; source: string; table: string } | { kind: 'model'; model: string };

export interface EnrichJoin {
  input: string;
  /** input column → base relation column */
  on: Record<string, string>;
  columns: string[];
}

export type ModelBody =
  | { kind: 'enrich'; from: Relation; joins: EnrichJoin[] }
  | { kind: 'override'; from: Relation; input: string; on: Record<string, string>; columns: string[] }
  | { kind: 'append'; from: Relation; input: string; columns: string[] }
  /** `sqlMap`: where each character of `sql` is in its file (absent: `sql` starts at `sqlLoc` and every line at its column). */
  | { kind: 'sql'; sql: string; sqlLoc: SourceLocation; sqlMap?: TextSpan[] };

/** A merge model declared in `models/`: a view that combines sources, other models and inputs. */
export interface Model {
  name: string;
  description?: string;
  body: ModelBody;
  /** Direct upstream, filled by resolve. */
  dependsOn: { models: string[]; inputs: string[]; sources: SourceTableRef[] };
  loc: SourceLocation;
}

export interface MacroVariant {
  name: string;
  /** `undefined` for the default variant; a dialect name for `snowflake__name` style variants. */
  dialect?: string;
  params: { name: string; default?: Scalar }[];
  body: string;
  loc: SourceLocation;
  /** Location of the first character of `body` in its macros file (added by load). */
  bodyLoc?: SourceLocation;
}

export interface Role {
  name: string;
  description?: string;
  attributes: string[];
}

/**
 * project.yml `scenarios:`: the roles that may create / archive scenarios. An absent list means the
 * default (src/workflow/scenario-permission.ts): create = roles with `write` on an input table with
 * scenarios; archive = roles with `approve` on such a table, plus the scenario's creator.
 */
export interface ScenarioPermissions {
  create?: string[];
  archive?: string[];
}

export type TargetConfig = (
  | { name: string; type: 'duckdb'; path: string }
  | { name: string; type: 'postgres' | 'snowflake' | 'bigquery'; settings: Record<string, string> }
) & {
  /** How people sign in when this target is served (`targets.<t>.auth`); absent = API tokens only. */
  auth?: AuthConfig;
  /** The Postgres-protocol endpoint for BI tools (`targets.<t>.postgres_endpoint`, DuckDB only); absent = off. */
  postgresEndpoint?: PostgresEndpointConfig;
};

/** `targets.<t>.postgres_endpoint` of project.yml, defaults filled in. */
export interface PostgresEndpointConfig {
  /** 0 = any free port. Default 5433. */
  port: number;
  /** Default 127.0.0.1; any other address needs `tls`. */
  host: string;
  /** Certificate and key files as written (relative to the project directory, or absolute). */
  tls?: { certFile: string; keyFile: string };
  /** Default 30 s. */
  statementTimeoutMs: number;
  /** Default 1,000,000. */
  maxRows: number;
  /** Default 64. */
  maxConnections: number;
  /** The warehouse engine's memory limit while the endpoint runs (shared by every statement and the server's writes); undefined = half the machine's memory. */
  memoryLimitBytes?: number;
  loc: SourceLocation;
}

/**
 * `targets.<t>.auth` of project.yml, as declared: text settings may still hold `{{ env('X') }}`
 * (resolved when the server starts, src/auth/auth-config.ts). Exactly one sign-in mode.
 */
export interface AuthConfig {
  sso: OidcSignIn | ProxySignIn;
  /** How the identity provider's claims become the actor's role and attributes. */
  claims: ClaimsMapping;
  /** Browser sessions (OpenID Connect sign-in). */
  session: { lifetimeSeconds: number; idleTimeoutSeconds: number };
  /** Personal access tokens a signed-in user creates for their own scripts. */
  personalTokens: { maxLifetimeSeconds: number };
  loc: SourceLocation;
}

/** OpenID Connect sign-in (authorization code flow with PKCE), `auth.oidc`. */
export interface OidcSignIn {
  kind: 'oidc';
  issuer: string;
  clientId: string;
  /** Absent = a public client (PKCE only). Usually `{{ env('…') }}`. */
  clientSecret?: string;
  /** The URL the identity provider sends the browser back to: `<public origin>/auth/callback`. */
  redirectUrl: string;
  scopes: string[];
  loc: SourceLocation;
}

/** An authenticating proxy's signed identity assertion (a JWT in a request header), `auth.proxy`. */
export interface ProxySignIn {
  kind: 'proxy';
  /** Request header carrying the JWT, lower case (e.g. `x-goog-iap-jwt-assertion`). */
  header: string;
  issuer: string;
  audience: string[];
  /** Where the signing keys are: a JWKS URL, or a JWKS file relative to the project directory. */
  jwks: { url: string } | { file: string };
  /** Accepted JWS algorithms (never `none`). */
  algorithms: string[];
  loc: SourceLocation;
}

/** `auth.claims`: which claim names the user, gives the role, fills each attribute. */
export interface ClaimsMapping {
  /** Claim with the display name (default `name`). */
  name: string;
  /** Claim with the e-mail address (default `email`). */
  email: string;
  /**
   * The role: from `claim` (a string or an array of strings, e.g. `groups`). With `map`, the first
   * entry (in YAML order) whose value the claim holds gives its role; without, the first claim value
   * that is a declared role.
   */
  role: { claim: string; map?: { value: string; role: string }[] };
  /** attribute name → claim name (e.g. `region: region`). */
  attributes: Record<string, string>;
  loc: SourceLocation;
}

/** A loaded, validated project: project.yml, its input tables, models and macros (what `loadProject` returns). */
export interface Project {
  /** Absolute path of the project directory. */
  dir: string;
  name: string;
  defaultTarget: string;
  targets: Record<string, TargetConfig>;
  /** Schema (dataset) names for managed tables and for views. */
  schemas: { inputs: string; views: string };
  sources: Record<string, Source>;
  seeds: Seed[];
  vars: Record<string, Scalar>;
  roles: Record<string, Role>;
  /** Who may create and archive scenarios (project.yml `scenarios:`); absent = the defaults. */
  scenarioPermissions?: ScenarioPermissions;
  inputs: Record<string, InputTable>;
  /** Models in dependency order (upstream first). */
  models: Model[];
  /** macro name → its variants. */
  macros: Record<string, MacroVariant[]>;
  /** HTTP/CLI writes changing more rows than this need confirmation (project.yml `confirm_threshold`; absent = 100). */
  confirmThreshold?: number;
  /** Days idempotency records are kept (project.yml `idempotency_retention_days`; absent = 7). */
  idempotencyRetentionDays?: number;
}
