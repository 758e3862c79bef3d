import { apiError, fromWriteError } from '../http/api-error.js';
import type { HttpLibrary } from '../http/library.js';
import { sendFailure } from '../http/parse-request.js';
import { route, type Route } from '../http/route.js';
import { jsonResponse } from '../http/to-json.js';
import type { Actor } from '../auth/actor.js';
import { csrfTokenOf } from '../http/csrf.js';
import { CONTEXT_LIMITS, ContextQuerySchema, ContextResponseSchema, MeResponseSchema, ModelListResponseSchema, PlanningContextResponseSchema, SourceValuesResponseSchema } from './form-schemas.js';
import { PAGE_CSP, pageCsp, renderPage } from './page-shell.js';
import { assetsDir, readAsset } from './static-assets.js';

/** Options of {@link formRoutes}. */
export interface FormOptions {
  /** The `--dev-user` actor: pages sign in automatically. */
  devUser?: Actor | undefined;
  /** The identity provider's origin, where signing out continues (OpenID Connect sign-in). */
  signOutOrigin?: string | undefined;
}

function pageResponse(body: string, status = 200, csp = PAGE_CSP): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
  });
}

const PAGE = { 'text/html': 'The page shell; `/assets/app.js` fills it from the API.' };

/**
 * The planner pages: `/` (the input tables), `/forms/{table}`, `/assets/*`, plus three small
 * API routes the pages need: `GET /api/v1/me` (who is signed in), `GET /api/v1/inputs/{table}/context`
 * (the linked source's rows, under the caller's row filter) and
 * `GET /api/v1/inputs/{table}/columns/{column}/values` (a column's allowed values from a source).
 */
export function formRoutes(wb: HttpLibrary, options: FormOptions = {}): Route[] {
  const dir = assetsDir();
  const csp = pageCsp(options.signOutOrigin !== undefined ? [options.signOutOrigin] : []);
  const shell = (table?: string, model?: string) => ({
    project: wb.project.name,
    ...(options.devUser ? { devUser: options.devUser.user } : {}),
    ...(table !== undefined ? { page: 'form' as const, table } : model !== undefined ? { page: 'model' as const, model } : { page: 'index' as const }),
  });
  const page = { tags: ['pages'], auth: 'none' as const, touches: 'nothing' as const, errors: [] };

  return [
    route({ ...page, method: 'get', path: '/', operationId: 'indexPage', summary: 'The page listing the input tables the signed-in user may read', responses: { 200: { description: 'HTML', text: PAGE } }, handler: () => pageResponse(renderPage(shell()), 200, csp) }),
    route({
      ...page,
      method: 'get',
      path: '/tokens',
      operationId: 'tokensPage',
      summary: "The signed-in person's access tokens for their scripts: create (the secret shown once), list, revoke",
      responses: { 200: { description: 'HTML', text: PAGE } },
      handler: () => pageResponse(renderPage({ ...shell(), page: 'tokens' }), 200, csp),
    }),
    route({ ...page, method: 'get', path: '/forms', operationId: 'formsPage', summary: 'Redirects to `/`', responses: { 302: { description: 'To `/`' } }, handler: (c) => c.redirect('/') }),
    route({
      ...page,
      method: 'get',
      path: '/forms/{table}',
      operationId: 'formPage',
      summary: 'The form of one input table (a 404 page for a table the project does not declare)',
      params: { table: 'Input table name.' },
      responses: { 200: { description: 'HTML', text: PAGE }, 404: { description: 'HTML: the table is not declared', text: PAGE } },
      handler: (c) => {
        const table = c.req.param('table') ?? '';
        const known = Object.hasOwn(wb.project.inputs, table);
        return pageResponse(renderPage(shell(table)), known ? 200 : 404, csp);
      },
    }),
    route({
      ...page,
      method: 'get',
      path: '/models/{model}',
      operationId: 'modelPage',
      summary: "One model's merged rows, read only, under the caller's row filters (a 404 page for a model the project does not declare)",
      params: { model: 'Model name.' },
      responses: { 200: { description: 'HTML', text: PAGE }, 404: { description: 'HTML: the model is not declared', text: PAGE } },
      handler: (c) => {
        const model = c.req.param('model') ?? '';
        const known = wb.project.models.some((m) => m.name === model);
        return pageResponse(renderPage(shell(undefined, model)), known ? 200 : 404, csp);
      },
    }),
    route({
      ...page,
      method: 'get',
      path: '/assets/{name}',
      operationId: 'pageAsset',
      summary: "The pages' JavaScript modules, CSS and icon (plain file names only)",
      params: { name: 'File name, e.g. `app.js`.' },
      responses: { 200: { description: 'The file', text: { 'text/javascript': 'An ES module.', 'text/css': 'A stylesheet.', 'image/svg+xml': 'An icon.' } } },
      errors: ['not_found'],
      handler: (c) => {
        const asset = readAsset(dir, c.req.param('name') ?? '');
        if (!asset) return sendFailure(c, apiError('not_found', `no asset ${c.req.param('name')}`));
        return new Response(asset.body, { headers: { 'content-type': asset.type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' } });
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/me',
      operationId: 'me',
      summary: 'Who the caller is (token, browser session or `--dev-user`), with the CSRF token a browser session sends on POSTs',
      tags: ['forms'],
      auth: 'caller',
      responses: { 200: { description: 'OK', json: MeResponseSchema } },
      errors: [],
      handler: (c) => {
        const actor = c.get('actor');
        const credential = c.get('credential');
        const session = credential.kind === 'session' ? credential : undefined;
        const person = credential.kind === 'session' || credential.kind === 'proxy' ? credential : undefined;
        return c.json({
          user: actor.user,
          role: actor.role ?? null,
          attributes: actor.attributes ?? {},
          dev_user: options.devUser !== undefined && options.devUser.user === actor.user && c.req.header('authorization') === undefined,
          project: wb.project.name,
          name: person?.name ?? null,
          email: person?.email ?? null,
          csrf_token: csrfTokenOf(credential) ?? null,
          sign_out: session ? '/auth/logout' : null,
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/models',
      operationId: 'listModels',
      summary: 'The models the caller may read (read on every input each includes), with the inputs each reads and which base columns an input overrides',
      tags: ['forms'],
      auth: 'caller',
      responses: { 200: { description: 'OK', json: ModelListResponseSchema } },
      errors: [],
      handler: (c) => c.json({ models: wb.models.list(c.get('actor')) }),
    }),
    route({
      method: 'get',
      path: '/api/v1/inputs/{table}/context',
      operationId: 'readContext',
      summary: "Rows of the source the table links to, under the caller's row filter (needs `read`; 403 when a row filter cannot be placed on the source)",
      tags: ['forms'],
      auth: 'caller',
      params: { table: 'Input table name.' },
      query: ContextQuerySchema,
      responses: { 200: { description: 'OK', json: ContextResponseSchema } },
      errors: ['forbidden', 'not_found'],
      handler: async (c, { query }) => {
        const res = await wb.sources.context(c.req.param('table') ?? '', {
          actor: c.get('actor'),
          limit: query.limit ?? CONTEXT_LIMITS.default,
          ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
        });
        if (!res.ok) return sendFailure(c, fromWriteError(res.error));
        return jsonResponse({ source: res.source, link: res.link, columns: res.columns, rows: res.rows, next_cursor: res.nextCursor });
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/inputs/{table}/planning-context',
      operationId: 'readPlanningContext',
      summary: "The `planning.context` values of the table's across values (e.g. actuals per account and quarter), under the caller's row filter (needs `read`; none when the filter cannot be placed on the context source)",
      tags: ['forms'],
      auth: 'caller',
      params: { table: 'Input table name.' },
      responses: { 200: { description: 'OK', json: PlanningContextResponseSchema } },
      errors: ['forbidden', 'not_found'],
      handler: async (c) => {
        const res = await wb.sources.planningContext(c.req.param('table') ?? '', c.get('actor'));
        return res.ok ? c.json({ source: res.source, label: res.label, rows: res.rows, truncated: res.truncated }) : sendFailure(c, fromWriteError(res.error));
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/inputs/{table}/columns/{column}/values',
      operationId: 'readSourceValues',
      summary: 'The allowed values of a column declared `values: { source, column }`: distinct, non-null, ordered, at most 5,000 (needs `read`; 404 for an unknown table or column, or a column without source values)',
      tags: ['forms'],
      auth: 'caller',
      params: { table: 'Input table name.', column: 'Column name.' },
      responses: { 200: { description: 'OK', json: SourceValuesResponseSchema } },
      errors: ['forbidden', 'not_found'],
      handler: async (c) => {
        const res = await wb.sources.values(c.req.param('table') ?? '', c.req.param('column') ?? '', c.get('actor'));
        return res.ok ? c.json({ source: res.source, values: res.values, truncated: res.truncated }) : sendFailure(c, fromWriteError(res.error));
      },
    }),
  ];
}
