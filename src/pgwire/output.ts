import type { Socket } from 'node:net';

/** Flush to the socket once this many bytes are buffered (rows are sent while a result streams). */
const FLUSH_BYTES = 64 * 1024;

/**
 * Backend messages on their way to one client: buffered, written at flush points (ReadyForQuery,
 * Flush, a full buffer), and — the backpressure — a flush waits until the socket has drained, so
 * a slow client slows the statement that produces its rows instead of filling memory.
 */
export class Output {
  private parts: Buffer[] = [];
  private size = 0;
  private closed = false;

  constructor(private readonly socket: () => Socket) {}

  /** Queue one message; when the buffer is full, the returned promise waits for the flush. */
  send(message: Buffer): Promise<void> | undefined {
    if (this.closed) return undefined;
    this.parts.push(message);
    this.size += message.length;
    return this.size >= FLUSH_BYTES ? this.flush() : undefined;
  }

  /** Write what is buffered; resolves once the socket accepts more (or is gone). */
  async flush(): Promise<void> {
    if (this.size === 0 || this.closed) return;
    const chunk = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    const socket = this.socket();
    if (socket.destroyed || !socket.writable) {
      this.closed = true;
      throw new ClientGone();
    }
    if (socket.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', gone);
        resolve();
      };
      const gone = () => {
        socket.off('drain', done);
        socket.off('close', gone);
        this.closed = true;
        reject(new ClientGone());
      };
      socket.on('drain', done);
      socket.on('close', gone);
    });
  }

  /** Drop what is buffered and send nothing more. */
  close(): void {
    this.closed = true;
    this.parts = [];
    this.size = 0;
  }
}

/** The client closed its connection while rows were being sent. */
export class ClientGone extends Error {
  constructor() {
    super('the client closed the connection');
  }
}
