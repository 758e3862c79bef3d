import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';

// ajv-formats is CommonJS: its default export is the plugin function
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Json = Record<string, unknown>;
type Operation = { operationId: string; responses: Record<string, { content?: Record<string, { schema?: Json }> }> };
type PathItem = { servers?: { url: string }[] } & Record<string, unknown>;

/** The OpenAPI document the server serves, as the checker reads it. */
export interface ApiDocument {
  servers: { url: string }[];
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, Json> };
}

/** What one answer looked like. */
export interface SeenAnswer {
  method: string;
  /** Path and query, e.g. `/api/v1/inputs/t/rows?limit=5`. */
  url: string;
  status: number;
  contentType: string;
  text: string;
}

/** Match a request path to a path template of the document: `{name}` is one segment. */
function templateRegex(prefix: string, template: string): RegExp {
  const escaped = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  const base = prefix === '/' ? '' : prefix;
  return new RegExp(`^${base}${escaped === '/' && base ? '' : escaped}$`);
}

/**
 * Validates real answers against the OpenAPI document with third-party validators: the document
 * itself with @seriousme/openapi-schema-validator (OpenAPI 3.1 schema), each answer's status and
 * media type against its operation, and each JSON body with ajv (JSON Schema 2020-12, formats).
 * Records which operations were called, so a test can require every one.
 */
export class OpenApiChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly routes: { method: string; regex: RegExp; path: string; op: Operation }[] = [];
  /** operationId → statuses seen. */
  readonly seen = new Map<string, Set<number>>();
  /** Every problem found, one line each. */
  readonly problems: string[] = [];

  constructor(readonly doc: ApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema(doc as unknown as Json, 'openapi');
    for (const [path, item] of Object.entries(doc.paths)) {
      const prefix = item.servers?.[0]?.url ?? doc.servers[0]?.url ?? '/';
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        const op = item[method] as Operation | undefined;
        if (op) this.routes.push({ method: method.toUpperCase(), regex: templateRegex(prefix, path), path, op });
      }
    }
    // literal segments win over templated ones (`/scenarios/compare` before `/scenarios/{name}`)
    this.routes.sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
  }

  /** Validate the document itself against the OpenAPI 3.1 schema; returns the problems. */
  static async validateDocument(doc: unknown): Promise<string[]> {
    const result = await new Validator().validate(structuredClone(doc) as Parameters<Validator['validate']>[0]);
    return result.valid ? [] : (Array.isArray(result.errors) ? result.errors : [result.errors]).map((e) => JSON.stringify(e));
  }

  /** Every operationId of the document. */
  operationIds(): string[] {
    return this.routes.map((r) => r.op.operationId);
  }

  /** The operation a request goes to, or undefined (a route the document does not have). */
  operationOf(method: string, url: string): { path: string; op: Operation } | undefined {
    const pathname = new URL(url, 'http://x').pathname;
    return this.routes.find((r) => r.method === method.toUpperCase() && r.regex.test(pathname));
  }

  /** Check one answer; problems are recorded (and returned). */
  check(answer: SeenAnswer): string[] {
    const where = `${answer.method} ${answer.url} → ${answer.status}`;
    const found = this.operationOf(answer.method, answer.url);
    const problems: string[] = [];
    if (!found) {
      problems.push(`${where}: no such operation in the document`);
    } else {
      const { op, path } = found;
      const statuses = this.seen.get(op.operationId) ?? new Set<number>();
      statuses.add(answer.status);
      this.seen.set(op.operationId, statuses);
      const response = op.responses[String(answer.status)];
      if (!response) {
        problems.push(`${where}: status ${answer.status} is not documented for ${op.operationId} (documented: ${Object.keys(op.responses).join(', ')})`);
      } else {
        const media = answer.contentType.split(';')[0]!.trim().toLowerCase();
        const content = response.content ?? {};
        if (Object.keys(content).length === 0) {
          if (answer.text !== '') problems.push(`${where}: documented without a body, but it has one`);
        } else if (!content[media]) {
          problems.push(`${where}: media type '${media}' is not documented (documented: ${Object.keys(content).join(', ')})`);
        } else if (media === 'application/json') {
          let body: unknown;
          try {
            body = JSON.parse(answer.text);
          } catch {
            problems.push(`${where}: the body is not JSON: ${answer.text.slice(0, 200)}`);
          }
          if (body !== undefined) {
            const pointer = `openapi#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${answer.method.toLowerCase()}/responses/${answer.status}/content/application~1json/schema`;
            let validate = this.compiled.get(pointer);
            if (!validate) {
              validate = this.ajv.compile({ $ref: pointer });
              this.compiled.set(pointer, validate);
            }
            if (!validate(body)) {
              problems.push(`${where}: the body contradicts the document: ${this.ajv.errorsText(validate.errors, { separator: '; ' })} — ${answer.text.slice(0, 300)}`);
            }
          }
        }
      }
    }
    this.problems.push(...problems);
    return problems;
  }

  /** Call the server and check the answer. */
  async call(baseUrl: string, method: string, url: string, opts: { token?: string; body?: unknown; rawBody?: string; contentType?: string; headers?: Record<string, string> } = {}): Promise<SeenAnswer & { json: unknown }> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const res = await fetch(`${baseUrl}${url}`, { method, headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    const answer: SeenAnswer = { method, url, status: res.status, contentType: res.headers.get('content-type') ?? '', text };
    this.check(answer);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { ...answer, json };
  }
}
