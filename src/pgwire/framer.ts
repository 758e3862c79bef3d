import type { Socket } from 'node:net';

/**
 * Read the messages of a signed-in client (type byte, Int32 length, body) one at a time: the
 * socket is paused while `handle` runs, so a client that sends faster than statements run is held
 * back by TCP instead of filling memory. A declared length above `maxBytes` (or below 4) ends the
 * connection through `onViolation`. `handle` answering false stops reading.
 */
export function readMessages(socket: Socket, maxBytes: number, handle: (message: Buffer) => Promise<boolean>, onViolation: (reason: string) => void): void {
  let parts: Buffer[] = [];
  let size = 0;
  let busy = false;
  let stopped = false;

  const take = (n: number): Buffer => {
    const all = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    const message = all.subarray(0, n);
    const rest = all.subarray(n);
    parts = rest.length > 0 ? [rest] : [];
    size = rest.length;
    return message;
  };

  /** The length of the next message once its header is here, else undefined. */
  const nextLength = (): number | undefined => {
    if (size < 5) return undefined;
    if (parts[0]!.length < 5) {
      const joined = Buffer.concat(parts, size);
      parts = [joined];
    }
    return parts[0]!.readInt32BE(1) + 1;
  };

  const pump = async () => {
    if (busy || stopped) return;
    busy = true;
    socket.pause();
    try {
      for (;;) {
        const length = nextLength();
        if (length === undefined) break;
        if (length < 5 || length - 1 > maxBytes) {
          stopped = true;
          onViolation(length < 5 ? 'invalid message length' : `message of ${length - 1} bytes exceeds the limit of ${maxBytes}`);
          return;
        }
        if (size < length) break;
        if (!(await handle(take(length)))) {
          stopped = true;
          return;
        }
      }
    } finally {
      busy = false;
      if (!stopped) socket.resume();
    }
  };

  socket.on('data', (chunk: Buffer) => {
    if (stopped) return;
    parts.push(chunk);
    size += chunk.length;
    void pump();
  });
}
