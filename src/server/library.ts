import type { Project, InputTable } from '../ir/types.js';
import type { Adapter } from '../adapters/adapter.js';
import type { Actor } from '../auth/actor.js';
import type { HistoryOptions, HistoryResult, ReadOptions, ReadResult, VerifyReport, WireRow, WriteOptions, WriteResult } from '../write/types.js';
import type { Outcome } from '../rules/outcome.js';
import type { AuthenticatedActor, CreateTokenInput, TokenInfo } from '../auth/types.js';
import type { Workflows } from '../workflow/workflows.js';

/**
 * What the server uses of the write-path library (`openProject(...)` returns it; see
 * src/write/CONTEXT.md). Declared structurally so tests may pass a wrapper.
 */
export interface ServerLibrary {
  readonly project: Project;
  readonly adapter: Adapter;
  inputs: {
    list(actor?: Actor): InputTable[];
    write(table: string, rows: WireRow[], opts: WriteOptions): Promise<WriteResult>;
    delete(table: string, keys: WireRow[], opts: WriteOptions): Promise<WriteResult>;
    rows(table: string, opts?: ReadOptions): Promise<ReadResult>;
    history(table: string, opts?: HistoryOptions): Promise<HistoryResult>;
  };
  tokens: {
    create(input: CreateTokenInput): Promise<Outcome<{ token: string; info: TokenInfo }>>;
    list(): Promise<TokenInfo[]>;
    revoke(tokenId: string): Promise<Outcome<{ info: TokenInfo }>>;
    authenticate(token: string): Promise<AuthenticatedActor | null>;
  };
  /** Scenarios, pending changes and actions (issue 5; src/workflow/workflows.ts). */
  scenarios?: Workflows['scenarios'];
  pending?: Workflows['pending'];
  actions?: Workflows['actions'];
  verify(opts?: { tables?: string[] }): Promise<VerifyReport>;
  reload(project: Project): Promise<void>;
  /** Run `fn` with no write in flight; writes arriving meanwhile wait (apply through the server). */
  quiesce<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
