import type { SnowflakeSession } from './snowflake-session.js';

/**
 * The adapter's current Snowflake session, re-opened when it is lost. `number` counts sessions
 * (1 for the first); it changes as soon as a loss is known, so a caller that compares it before
 * its next statement knows that what lived in the old session (temporary tables) is gone.
 * Concurrent callers share one re-open: a single new connection, never several.
 */
export class SnowflakeSessions {
  private current: SnowflakeSession | undefined;
  private opening: Promise<SnowflakeSession> | undefined;
  private closed = false;
  number = 1;

  /** `open` connects and sets a new session up (the same settings as the first one). */
  constructor(
    first: SnowflakeSession,
    private readonly open: () => Promise<SnowflakeSession>,
  ) {
    this.current = first;
  }

  /** The session the next statement runs on, opening a new one when the last was lost or the SDK reports it down. */
  async get(): Promise<SnowflakeSession> {
    this.check();
    if (this.current) return this.current;
    if (this.closed) throw new Error('the Snowflake adapter is closed');
    this.opening ??= this.open()
      .then((session) => {
        this.current = session;
        return session;
      })
      .finally(() => {
        this.opening = undefined;
      });
    return this.opening;
  }

  /** Forget the current session when the SDK reports it down (isUp() false). */
  check(): void {
    if (this.current?.isUp?.() === false) this.lost(this.current);
  }

  /** True when `session` is the current one and not known lost. */
  isCurrent(session: SnowflakeSession): boolean {
    this.check();
    return this.current === session;
  }

  /** `session` is gone: the next `get()` opens another. Counted once, however many statements report it. */
  lost(session: SnowflakeSession): void {
    if (this.current !== session) return;
    this.current = undefined;
    this.number++;
    void session.destroy().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    const opening = this.opening?.catch(() => undefined);
    const session = this.current ?? (await opening);
    this.current = undefined;
    await session?.destroy().catch(() => undefined);
  }
}

/** Snowflake's id of each open session (`current_session()`, read when it is set up). */
export const sessionIds = new WeakMap<SnowflakeSession, string>();

/**
 * Abort the transactions the given (lost) sessions left open, from another session. A session that
 * disconnects mid-transaction leaves it detached, holding its table locks until Snowflake aborts
 * it (after it has blocked another transaction for 5 minutes idle): the next writer of that table
 * would wait that long. Best effort: SHOW TRANSACTIONS lists the user's own, and only those of the
 * lost sessions are aborted; any failure is left to Snowflake's own timeout.
 */
export async function abortDetached(session: SnowflakeSession, lostSessionIds: string[]): Promise<void> {
  try {
    const shown = await session.execute('show transactions', []);
    for (const t of shown.rows) {
      if (!lostSessionIds.includes(String(t.session)) || String(t.state).toLowerCase() !== 'running') continue;
      await session.execute('select system$abort_transaction(to_number(?))', [String(t.id)]);
    }
  } catch {
    // Snowflake aborts a detached transaction by itself once it blocks another one
  }
}
