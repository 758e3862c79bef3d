import type { Context, Hono } from 'hono';
import type { Actor } from '../auth/actor.js';

/** Per-request values set by the middleware. */
export interface HttpVariables {
  /** Who is calling (from the bearer token, or the dev user). Absent role = administrator. */
  actor: Actor;
}

/** The Hono environment of every route. */
export type HttpEnv = { Variables: HttpVariables };

/** The Hono app type of the API. */
export type HttpApp = Hono<HttpEnv>;

/** The context a route handler gets. */
export type HttpContext = Context<HttpEnv>;
