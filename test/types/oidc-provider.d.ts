// The parts of oidc-provider (which ships no types) the test harness uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  /** The Koa context oidc-provider hands to its configuration hooks (only what the harness reads). */
  export interface ProviderContext {
    oidc: { client?: { clientId: string }; session?: { accountId?: string }; entities: { Grant?: unknown } };
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    Grant: new (init: { clientId: string; accountId: string }) => Grant;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
