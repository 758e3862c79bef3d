import { connect, type Socket } from 'node:net';
import { createStartupMessage } from 'pg-gateway';

/** One backend message as read off the wire. */
export interface Received {
  type: string;
  body: Buffer;
}

/** A frontend message: type byte, Int32 length, body. */
export function message(type: string, ...parts: (Buffer | string | number)[]): Buffer {
  const body = Buffer.concat(
    parts.map((p) => {
      if (typeof p === 'string') return Buffer.from(`${p}\0`, 'utf8');
      if (typeof p === 'number') {
        const b = Buffer.alloc(2);
        b.writeInt16BE(p);
        return b;
      }
      return p;
    }),
  );
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/**
 * A hand-driven Postgres client for protocol tests that need exact message sequences: signs in
 * with `password`, then `send` writes raw messages and `until` reads backend messages up to a type.
 */
export async function rawClient(port: number, password: string): Promise<{ socket: Socket; send(...m: Buffer[]): void; until(type: string): Promise<Received[]> }> {
  const socket = connect(port, '127.0.0.1');
  let buffered = Buffer.alloc(0);
  const queue: Received[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (d: Buffer) => {
    buffered = Buffer.concat([buffered, d]);
    while (buffered.length >= 5 && buffered.length >= buffered.readInt32BE(1) + 1) {
      const len = buffered.readInt32BE(1) + 1;
      queue.push({ type: buffered.toString('latin1', 0, 1), body: buffered.subarray(5, len) });
      buffered = buffered.subarray(len);
    }
    wake?.();
  });
  const until = async (type: string): Promise<Received[]> => {
    const out: Received[] = [];
    for (;;) {
      while (queue.length > 0) {
        const m = queue.shift()!;
        out.push(m);
        if (m.type === type) return out;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(createStartupMessage({ majorVersion: 3, minorVersion: 0, parameters: { user: 'raw', database: 'demo' } }));
  await until('R');
  socket.write(message('p', password));
  await until('Z');
  return { socket, send: (...m) => socket.write(Buffer.concat(m)), until };
}
