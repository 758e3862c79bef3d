import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { type ApiErrorCode, type ApiFailure } from './api-error.js';
import type { HttpApp, HttpContext, HttpEnv } from './context.js';
import { parseJsonBody, parseQuery, sendFailure } from './parse-request.js';

/** Who may call a route: anyone, a signed-in caller (token or dev user), or the CLI (admin credential). */
export type RouteAuth = 'none' | 'caller' | 'admin';

/** One answer a route gives that is not the error shape (errors are listed as codes, see {@link RouteSpec.errors}). */
export interface AnswerSpec {
  description: string;
  /** The JSON body: a zod schema registered in `wireRegistry` (its `id` names the component). */
  json?: z.ZodType;
  /** Other media types: type → description of the text body (`text/csv`, `text/html`, …). */
  text?: Record<string, string>;
}

/** A request header a route reads. */
export interface HeaderSpec {
  name: string;
  description: string;
  /** A JSON Schema of the value (default: a string). */
  schema?: Record<string, unknown>;
}

/**
 * Everything about a route but its handler: what the OpenAPI document says and what the
 * registration enforces (auth, query and body checks, the apply guard), from one definition.
 */
export interface RouteSpec {
  method: 'get' | 'post';
  /** Full path as OpenAPI writes it: `/api/v1/inputs/{table}/rows`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: RouteAuth;
  /** Path parameters: name → description (every `{name}` of `path`). */
  params?: Record<string, string>;
  /** Query parameters, checked (unknown or repeated ones are 400). Without it the query is not read. */
  query?: z.ZodObject;
  /** Query parameters named `<prefix>.<column>` (e.g. `filter.region`), collected apart from `query`; with `repeatable`, one given more than once is the list of its values (else a 400). */
  prefixed?: { prefix: string; description: string; repeatable?: boolean };
  headers?: HeaderSpec[];
  /** JSON request body, checked (400 listing every problem; 413 above the body limit). */
  body?: z.ZodType;
  /** The body may be absent (no Content-Type): then it is `undefined`. */
  bodyOptional?: boolean;
  /** Which body limit applies: the API's or the admin routes' (CLI bulk loads). */
  bodyLimit?: 'default' | 'admin';
  /** Answers by status, besides the error bodies (2xx; also a redirect, or an HTML 404 page). */
  responses: Record<number, AnswerSpec>;
  /**
   * Error codes this route answers besides the ones every route of its kind can (added by
   * {@link errorCodes}); their statuses follow from the codes.
   */
  errors: ApiErrorCode[];
  /**
   * What the apply guard checks (503 `apply_required`): `path` = the table or model in the path
   * (the default), `scenario-tables` = every input table with scenarios, `nothing` = the route
   * never reads the warehouse.
   */
  touches?: 'path' | 'scenario-tables' | 'nothing';
}

/** The parsed parts of a request a handler gets. */
export interface RouteInput<Q, B> {
  query: Q;
  /** `<prefix>.<column>` query parameters by column (a list where the prefix is `repeatable` and the parameter was repeated). */
  prefixed: Record<string, string | string[]>;
  body: B;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A route definition: spec + handler, typed by its query and body schemas. */
export interface RouteDef<Q extends z.ZodObject | undefined, B extends z.ZodType | undefined> extends RouteSpec {
  query?: Q;
  body?: B;
  handler(c: HttpContext, input: RouteInput<Parsed<Q>, Parsed<B>>): Response | Promise<Response>;
}

/** What registering a route needs from the app that mounts it. */
export interface MountSettings {
  bodyLimitBytes: number;
  adminBodyLimitBytes: number;
  /** Signs the caller in (token or dev user). */
  caller: MiddlewareHandler<HttpEnv>;
  /** Checks the admin credential. */
  admin: MiddlewareHandler<HttpEnv>;
  /** 503 `apply_required` when the warehouse is behind the project for what the route touches; `phase` = before or after sign-in. */
  guard?: (spec: RouteSpec, c: HttpContext, phase: 'before-auth' | 'after-auth') => ApiFailure | undefined;
}

/** A route ready to be mounted and documented. */
export interface Route {
  readonly spec: RouteSpec;
  /** Parse the request as the spec says, then run the handler. */
  run(c: HttpContext, settings: Pick<MountSettings, 'bodyLimitBytes' | 'adminBodyLimitBytes'>): Promise<Response>;
}

/** Define a route: the handler gets the query and body typed by their schemas. */
export function route<Q extends z.ZodObject | undefined = undefined, B extends z.ZodType | undefined = undefined>(def: RouteDef<Q, B>): Route {
  const { handler, ...spec } = def;
  return {
    spec,
    async run(c, settings) {
      let query: unknown;
      let prefixed: Record<string, string | string[]> = {};
      if (def.query) {
        const q = parseQuery(c, def.query, def.prefixed);
        if (!q.ok) return sendFailure(c, q.failure);
        query = q.value.query;
        prefixed = q.value.prefixed;
      }
      let body: unknown;
      if (def.body && !(def.bodyOptional && c.req.header('content-type') === undefined)) {
        const limit = def.bodyLimit === 'admin' ? settings.adminBodyLimitBytes : settings.bodyLimitBytes;
        const b = await parseJsonBody(c, def.body, limit);
        if (!b.ok) return sendFailure(c, b.failure);
        body = b.value;
      }
      return handler(c, { query: query as Parsed<Q>, prefixed, body: body as Parsed<B> });
    },
  };
}

/** The Hono path of an OpenAPI path: `{table}` → `:table`. */
export function honoPath(path: string): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

/**
 * Every error code a route can answer: its own, plus `internal` (any route), `unavailable`
 * (shutting down), `unauthorized` (signed-in and admin routes), `forbidden` (signed-in routes: a
 * user the identity provider or proxy signs in without a role), `bad_request` (routes that read
 * a query, a body or path parameters), `unsupported_media_type` and `payload_too_large` (routes
 * with a body), `apply_required` (routes that touch the warehouse).
 */
export function errorCodes(spec: RouteSpec): ApiErrorCode[] {
  const codes = new Set<ApiErrorCode>(spec.errors);
  codes.add('internal');
  codes.add('unavailable');
  if (spec.auth !== 'none') codes.add('unauthorized');
  if (spec.auth === 'caller') codes.add('forbidden');
  if (spec.query || spec.body || spec.prefixed) codes.add('bad_request');
  if (spec.body) {
    codes.add('unsupported_media_type');
    codes.add('payload_too_large');
  }
  if ((spec.touches ?? 'path') !== 'nothing') codes.add('apply_required');
  return [...codes];
}

/** Register routes on an app: apply guard, sign-in, request checks, handler — in that order. */
export function mountRoutes(app: HttpApp, routes: readonly Route[], settings: MountSettings): void {
  for (const r of routes) {
    const { spec } = r;
    const handlers: MiddlewareHandler<HttpEnv>[] = [];
    const guard = settings.guard;
    if (guard) {
      handlers.push(async (c, next) => {
        const refused = guard(spec, c, 'before-auth');
        return refused ? sendFailure(c, refused) : next();
      });
    }
    if (spec.auth === 'caller') handlers.push(settings.caller);
    if (spec.auth === 'admin') handlers.push(settings.admin);
    if (guard) {
      handlers.push(async (c, next) => {
        const refused = guard(spec, c, 'after-auth');
        return refused ? sendFailure(c, refused) : next();
      });
    }
    app.on([spec.method.toUpperCase()], [honoPath(spec.path)], ...handlers, (c) => r.run(c, settings));
  }
}
