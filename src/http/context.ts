import type { Context, Hono } from 'hono';
import type { Actor } from '../auth/actor.js';

/** Per-request values set by the middleware. */
export interface HttpVariables {
  /** Who is calling (from the bearer token, or the dev user). Absent role = administrator. */
  actor: Actor;
  /** How the caller signed in. Ambient credentials (`session`, `proxy`) need a CSRF token on state-changing requests. */
  credential: Credential;
}

/** How a request was signed in. */
export type Credential =
  | { kind: 'token'; tokenId: string }
  | {
      kind: 'session';
      sessionId: string;
      csrfToken: string;
      /** Display name and e-mail from the sign-in's claims. */
      name?: string | null;
      email?: string | null;
      /** When the person signed in (ISO `Z`). */
      signedInAt?: string;
    }
  | { kind: 'proxy'; csrfToken: string; /** Display name and e-mail from the assertion's claims. */ name?: string | null; email?: string | null }
  | { kind: 'dev' }
  | { kind: 'admin' };

/** The Hono environment of every route. */
export type HttpEnv = { Variables: HttpVariables };

/** The Hono app type of the API. */
export type HttpApp = Hono<HttpEnv>;

/** The context a route handler gets. */
export type HttpContext = Context<HttpEnv>;
