import type { Project, InputTable } from '../ir/types.js';
import type { AuthenticatedActor, CreateTokenInput, PersonalTokenInput, TokenInfo, TokenSignIn } from '../auth/types.js';
import type { PersonalTokenLimit } from '../auth/tokens.js';
import type { Writeback } from '../library/writeback.js';
import type { Workflows } from '../workflow/workflows.js';
import type { Actor } from '../auth/actor.js';
import type { GridReadOptions, GridReadResult } from '../write/grid-read.js';
import type { Outcome } from '../rules/outcome.js';
import type { HistoryOptions, HistoryResult, ReadOptions, ReadResult, VerifyReport, WireRow, WriteOptions, WriteResult } from '../write/types.js';

/**
 * What the HTTP layer (server and forms) uses of the library (`openProject(...)` returns it; see
 * src/library/CONTEXT.md). Declared structurally so tests may pass a wrapper. Every warehouse
 * access is a library method.
 */
export interface HttpLibrary {
  readonly project: Project;
  /** The target of project.yml the library is connected to (its `auth:` is what the server serves). */
  readonly targetName: string;
  /** Read-only copies of the warehouse for BI tools (src/library/writeback.ts). */
  publishSnapshots: Writeback['publishSnapshots'];
  inputs: {
    list(actor?: Actor): InputTable[];
    write(table: string, rows: WireRow[], opts: WriteOptions): Promise<WriteResult>;
    delete(table: string, keys: WireRow[], opts: WriteOptions): Promise<WriteResult>;
    rows(table: string, opts?: ReadOptions): Promise<ReadResult>;
    grid(table: string, opts?: GridReadOptions): Promise<GridReadResult>;
    history(table: string, opts?: HistoryOptions): Promise<HistoryResult>;
  };
  /** Merged-view reads (src/library/model-rows.ts). */
  models: Writeback['models'];
  /** The linked source's rows and a column's source values (src/library/source-context.ts, source-values.ts). */
  sources: Writeback['sources'];
  /** Plan/apply through this connection, and whether the warehouse matches the project (src/library/deployment.ts). */
  deploy: Pick<Writeback['deploy'], 'drift' | 'check' | 'apply' | 'versions' | 'prune'>;
  /** One read-only SQL statement as the administrator (admin routes only: no row filters; src/library/read-query.ts). */
  query?: Writeback['query'];
  tokens: {
    create(input: CreateTokenInput): Promise<Outcome<{ token: string; info: TokenInfo }>>;
    list(): Promise<TokenInfo[]>;
    revoke(tokenId: string): Promise<Outcome<{ info: TokenInfo }>>;
    authenticate(token: string): Promise<AuthenticatedActor | null>;
    /** The actor of a token, or why it cannot sign in (`expired` answers 401 "token expired"). */
    signIn(token: string): Promise<TokenSignIn>;
    createPersonal(owner: { user: string; role: string; attributes: Record<string, string> }, input: PersonalTokenInput): Promise<Outcome<{ token: string; info: TokenInfo }>>;
    listOwn(user: string): Promise<TokenInfo[]>;
    revokeOwn(user: string, tokenId: string): Promise<Outcome<{ info: TokenInfo }>>;
    personalTokenLimit(): PersonalTokenLimit;
  };
  /** Browser sessions of OpenID Connect sign-in (src/auth/sessions.ts). */
  sessions: Pick<Writeback['sessions'], 'create' | 'authenticate' | 'revoke' | 'purgeEnded'>;
  /** The users directory (`_wb_users`; src/auth/users.ts): sign-in routes record who signed in. */
  users: Writeback['users'];
  /** Scenarios, pending changes and actions (src/workflow/workflows.ts). */
  scenarios?: Workflows['scenarios'];
  pending?: Workflows['pending'];
  actions?: Workflows['actions'];
  verify(opts?: { tables?: string[] }): Promise<VerifyReport>;
  /** Delete idempotency records past the project's retention; how many (src/library/writeback.ts). */
  pruneIdempotency?: Writeback['pruneIdempotency'];
  reload(project: Project): Promise<void>;
  /** Run `fn` with no write in flight; writes arriving meanwhile wait (apply through the server). */
  quiesce<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
