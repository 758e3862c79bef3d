import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { editDistance } from '../diagnostics/message-text.js';
import { manifestSchema, manifestVersion, SUPPORTED_MANIFEST_VERSIONS, type Manifest, type ManifestNode } from '../schema/dbt-manifest.js';

/** Why a manifest cannot be used (the parameters of `dbt-manifest`). */
export type ManifestProblem =
  | { problem: 'missing'; file: string }
  | { problem: 'unreadable'; file: string; reason: string }
  | { problem: 'invalid'; file: string; detail: string }
  | { problem: 'unsupported'; file: string; found: string; supported: string[] };

/** Manifests read during one load, by path as written (several sources may share one). */
export type ManifestCache = Map<string, { ok: true; manifest: Manifest } | { ok: false; problem: ManifestProblem }>;

/** Reads and checks dbt's `manifest.json` at `file` (relative to the project directory `dir`). */
export function readManifest(dir: string, file: string, cache: ManifestCache): { ok: true; manifest: Manifest } | { ok: false; problem: ManifestProblem } {
  const cached = cache.get(file);
  if (cached) return cached;
  const result = readUncached(isAbsolute(file) ? file : join(dir, file), file);
  cache.set(file, result);
  return result;
}

function readUncached(path: string, file: string): { ok: true; manifest: Manifest } | { ok: false; problem: ManifestProblem } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, problem: { problem: 'missing', file } };
    return { ok: false, problem: { problem: 'unreadable', file, reason: code === 'EISDIR' ? 'it is a folder' : (err as Error).message } };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: { problem: 'invalid', file, detail: `not JSON (${(err as Error).message})` } };
  }
  const version = typeof json === 'object' && json !== null ? (json as { metadata?: { dbt_schema_version?: unknown } }).metadata?.dbt_schema_version : undefined;
  if (typeof version !== 'string') return { ok: false, problem: { problem: 'invalid', file, detail: 'it has no `metadata.dbt_schema_version`' } };
  const n = manifestVersion(version);
  const supported = SUPPORTED_MANIFEST_VERSIONS.map((v) => `https://schemas.getdbt.com/dbt/manifest/v${v}.json`);
  if (n === undefined || !(SUPPORTED_MANIFEST_VERSIONS as readonly number[]).includes(n)) return { ok: false, problem: { problem: 'unsupported', file, found: version, supported } };
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: { problem: 'invalid', file, detail: `\`${issue?.path.join('.') ?? ''}\`: ${issue?.message ?? 'unexpected shape'}` } };
  }
  return { ok: true, manifest: parsed.data };
}

/** Why a ref does not name one relation (the parameters of `dbt-node`, without the manifest). */
export type NodeProblem =
  | { problem: 'not-found'; ref: string; close: string[] }
  | { problem: 'disabled'; ref: string }
  | { problem: 'ambiguous'; ref: string; packages: string[] }
  | { problem: 'no-relation'; ref: string; resource: string }
  | { problem: 'no-version'; ref: string; version: string; versions: string[] };

/** The resource types whose nodes are relations a source may name. */
const RELATION_TYPES = new Set(['model', 'seed', 'snapshot']);

/**
 * The model, seed or snapshot `ref` names (`name` or `package.name`), like dbt's `ref()`: a
 * versioned model resolves to `version` when given, else to its latest version.
 */
export function findNode(manifest: Manifest, ref: string, version: string | undefined): { ok: true; node: ManifestNode } | { ok: false; problem: NodeProblem } {
  const dot = ref.indexOf('.');
  const pkg = dot > 0 ? ref.slice(0, dot) : undefined;
  const name = dot > 0 ? ref.slice(dot + 1) : ref;
  const candidates = Object.values(manifest.nodes).filter((n) => RELATION_TYPES.has(n.resource_type));
  let matches = candidates.filter((n) => n.name === name && (pkg === undefined || n.package_name === pkg));
  if (matches.length === 0) {
    const disabled = Object.values(manifest.disabled ?? {}).flat().some((n) => RELATION_TYPES.has(n.resource_type) && n.name === name && (pkg === undefined || n.package_name === pkg));
    if (disabled) return { ok: false, problem: { problem: 'disabled', ref } };
    const names = [...new Set(candidates.map((n) => n.name))];
    const close = names
      .map((n) => ({ n, d: editDistance(name, n) }))
      .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 3)) || x.n.includes(name) || name.includes(x.n))
      .sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : 1))
      .slice(0, 5)
      .map((x) => x.n);
    return { ok: false, problem: { problem: 'not-found', ref, close } };
  }
  const packages = [...new Set(matches.map((n) => n.package_name))].sort();
  if (packages.length > 1) return { ok: false, problem: { problem: 'ambiguous', ref, packages } };
  if (matches.length > 1 || version !== undefined) {
    const versions = matches.flatMap((n) => (n.version === null || n.version === undefined ? [] : [String(n.version)])).sort();
    const wanted = version ?? (matches[0]?.latest_version !== null && matches[0]?.latest_version !== undefined ? String(matches[0].latest_version) : versions.at(-1));
    matches = matches.filter((n) => String(n.version) === wanted);
    if (matches.length !== 1) return { ok: false, problem: { problem: 'no-version', ref, version: wanted ?? '', versions } };
  }
  const node = matches[0]!;
  if (!node.relation_name) return { ok: false, problem: { problem: 'no-relation', ref, resource: node.resource_type } };
  return { ok: true, node };
}
