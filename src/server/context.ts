import type { Hono } from 'hono';
import type { Actor } from '../auth/actor.js';

/** Per-request values set by the middleware. */
export interface ServerVariables {
  /** Who is calling (from the bearer token, or the dev user). Absent role = administrator. */
  actor: Actor;
}

/** The Hono app type of the API. */
export type ServerApp = Hono<{ Variables: ServerVariables }>;
