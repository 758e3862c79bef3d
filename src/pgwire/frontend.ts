/**
 * Frontend (client → server) messages after start-up, decoded from one whole message (type byte,
 * Int32 length, body). A malformed message throws {@link ProtocolViolation}: the connection answers
 * FATAL 08P01 and closes.
 */

/** A message that does not follow the protocol. */
export class ProtocolViolation extends Error {}

export type FrontendMessage =
  | { type: 'query'; sql: string }
  | { type: 'parse'; name: string; sql: string; paramTypeOids: number[] }
  | { type: 'bind'; portal: string; statement: string; paramFormats: number[]; params: (Buffer | null)[]; resultFormats: number[] }
  | { type: 'describe'; kind: 'S' | 'P'; name: string }
  | { type: 'execute'; portal: string; maxRows: number }
  | { type: 'close'; kind: 'S' | 'P'; name: string }
  | { type: 'sync' }
  | { type: 'flush' }
  | { type: 'terminate' }
  | { type: 'copy' }
  | { type: 'other'; code: string };

class Reader {
  private at = 5;
  constructor(private readonly b: Buffer) {}

  private need(n: number): void {
    if (this.at + n > this.b.length) throw new ProtocolViolation(`message '${String.fromCharCode(this.b[0] ?? 0)}' is too short`);
  }

  int16(): number {
    this.need(2);
    const v = this.b.readInt16BE(this.at);
    this.at += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.b.readInt32BE(this.at);
    this.at += 4;
    return v;
  }

  byte(): string {
    this.need(1);
    return String.fromCharCode(this.b[this.at++]!);
  }

  cstring(): string {
    const end = this.b.indexOf(0, this.at);
    if (end < 0) throw new ProtocolViolation('unterminated string in message');
    const s = this.b.toString('utf8', this.at, end);
    this.at = end + 1;
    return s;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const v = Buffer.from(this.b.subarray(this.at, this.at + n));
    this.at += n;
    return v;
  }

  count(): number {
    const n = this.int16();
    if (n < 0) throw new ProtocolViolation('negative count in message');
    return n;
  }
}

function kindOf(c: string): 'S' | 'P' {
  if (c !== 'S' && c !== 'P') throw new ProtocolViolation(`invalid DESCRIBE/CLOSE message subtype ${JSON.stringify(c)}`);
  return c;
}

/** Decode one frontend message. */
export function decodeFrontend(message: Buffer): FrontendMessage {
  const code = String.fromCharCode(message[0] ?? 0);
  const r = new Reader(message);
  switch (code) {
    case 'Q':
      return { type: 'query', sql: r.cstring() };
    case 'P': {
      const name = r.cstring();
      const sql = r.cstring();
      const n = r.count();
      const paramTypeOids: number[] = [];
      for (let i = 0; i < n; i++) paramTypeOids.push(r.int32());
      return { type: 'parse', name, sql, paramTypeOids };
    }
    case 'B': {
      const portal = r.cstring();
      const statement = r.cstring();
      const paramFormats: number[] = [];
      for (let i = 0, n = r.count(); i < n; i++) paramFormats.push(r.int16());
      const params: (Buffer | null)[] = [];
      for (let i = 0, n = r.count(); i < n; i++) {
        const len = r.int32();
        params.push(len < 0 ? null : r.bytes(len));
      }
      const resultFormats: number[] = [];
      for (let i = 0, n = r.count(); i < n; i++) resultFormats.push(r.int16());
      return { type: 'bind', portal, statement, paramFormats, params, resultFormats };
    }
    case 'D':
      return { type: 'describe', kind: kindOf(r.byte()), name: r.cstring() };
    case 'E':
      return { type: 'execute', portal: r.cstring(), maxRows: r.int32() };
    case 'C':
      return { type: 'close', kind: kindOf(r.byte()), name: r.cstring() };
    case 'S':
      return { type: 'sync' };
    case 'H':
      return { type: 'flush' };
    case 'X':
      return { type: 'terminate' };
    case 'd':
    case 'c':
    case 'f':
      return { type: 'copy' };
    default:
      return { type: 'other', code };
  }
}

/**
 * Per-value formats of Bind: none = all text, one = all that one, else one per value (a count that
 * differs is a protocol violation). `true` = binary.
 */
export function expandFormats(formats: readonly number[], count: number, what: string): boolean[] {
  for (const f of formats) if (f !== 0 && f !== 1) throw new ProtocolViolation(`unsupported format code: ${f}`);
  if (formats.length === 0) return new Array<boolean>(count).fill(false);
  if (formats.length === 1) return new Array<boolean>(count).fill(formats[0] === 1);
  if (formats.length !== count) throw new ProtocolViolation(`bind message has ${formats.length} ${what} formats but ${count} ${what}s`);
  return formats.map((f) => f === 1);
}
