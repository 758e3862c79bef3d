/**
 * Backend (server → client) messages of the PostgreSQL protocol 3.0, encoded as Buffers
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html).
 */

/** The fields of an ErrorResponse / NoticeResponse. */
export interface PgErrorFields {
  severity: 'ERROR' | 'FATAL' | 'NOTICE' | 'WARNING';
  /** SQLSTATE, five characters. */
  code: string;
  message: string;
  detail?: string | undefined;
  hint?: string | undefined;
  /** 1-based character position in the statement. */
  position?: number | undefined;
}

/** A Postgres type as RowDescription / ParameterDescription carry it. */
export interface WireColumn {
  name: string;
  typeOid: number;
  typeSize: number;
  typeModifier: number;
}

/** Builds one message: type byte, Int32 length (itself included), body. */
class MessageBuilder {
  private readonly parts: Buffer[] = [];
  private length = 0;

  private push(b: Buffer): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }

  int16(n: number): this {
    const b = Buffer.allocUnsafe(2);
    b.writeInt16BE(n);
    return this.push(b);
  }

  int32(n: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(n);
    return this.push(b);
  }

  cstring(s: string): this {
    return this.push(Buffer.from(`${s.replace(/\0/g, '')}\0`, 'utf8'));
  }

  bytes(b: Buffer): this {
    return this.push(b);
  }

  byte(c: string): this {
    return this.push(Buffer.from(c, 'latin1'));
  }

  build(type: string): Buffer {
    const head = Buffer.allocUnsafe(5);
    head.write(type, 0, 'latin1');
    head.writeInt32BE(this.length + 4, 1);
    return Buffer.concat([head, ...this.parts], this.length + 5);
  }
}

const empty = (type: string): Buffer => new MessageBuilder().build(type);

/** AuthenticationOk. */
export const authenticationOk = (): Buffer => new MessageBuilder().int32(0).build('R');
/** AuthenticationCleartextPassword. */
export const authenticationCleartextPassword = (): Buffer => new MessageBuilder().int32(3).build('R');
/** ParameterStatus: a run-time setting the client tracks. */
export const parameterStatus = (name: string, value: string): Buffer => new MessageBuilder().cstring(name).cstring(value).build('S');
/** BackendKeyData: what a CancelRequest must name. */
export const backendKeyData = (pid: number, secret: number): Buffer => new MessageBuilder().int32(pid).int32(secret).build('K');
/** ReadyForQuery with the transaction status. */
export const readyForQuery = (status: 'idle' | 'transaction' | 'error'): Buffer =>
  new MessageBuilder().byte(status === 'idle' ? 'I' : status === 'transaction' ? 'T' : 'E').build('Z');
export const parseComplete = (): Buffer => empty('1');
export const bindComplete = (): Buffer => empty('2');
export const closeComplete = (): Buffer => empty('3');
export const noData = (): Buffer => empty('n');
export const portalSuspended = (): Buffer => empty('s');
export const emptyQueryResponse = (): Buffer => empty('I');
/** CommandComplete with its tag (`SELECT 3`, `SET`, …). */
export const commandComplete = (tag: string): Buffer => new MessageBuilder().cstring(tag).build('C');

/** ParameterDescription: the type OID of each `$n`. */
export function parameterDescription(oids: number[]): Buffer {
  const m = new MessageBuilder().int16(oids.length);
  for (const oid of oids) m.int32(oid);
  return m.build('t');
}

/** RowDescription; `formats[i]` 1 = binary, else text. */
export function rowDescription(columns: WireColumn[], formats: readonly boolean[] = []): Buffer {
  const m = new MessageBuilder().int16(columns.length);
  columns.forEach((c, i) => {
    m.cstring(c.name).int32(0).int16(0).int32(c.typeOid).int16(c.typeSize).int32(c.typeModifier).int16(formats[i] ? 1 : 0);
  });
  return m.build('T');
}

/** DataRow: text values as UTF-8, binary values as given, null as length -1. */
export function dataRow(values: readonly (string | Buffer | null)[]): Buffer {
  const m = new MessageBuilder().int16(values.length);
  for (const v of values) {
    if (v === null) m.int32(-1);
    else {
      const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
      m.int32(b.length).bytes(b);
    }
  }
  return m.build('D');
}

function fields(m: MessageBuilder, e: PgErrorFields): MessageBuilder {
  m.byte('S').cstring(e.severity).byte('V').cstring(e.severity).byte('C').cstring(e.code).byte('M').cstring(e.message);
  if (e.detail !== undefined) m.byte('D').cstring(e.detail);
  if (e.hint !== undefined) m.byte('H').cstring(e.hint);
  if (e.position !== undefined) m.byte('P').cstring(String(e.position));
  return m.cstring('');
}

/** ErrorResponse. */
export const errorResponse = (e: PgErrorFields): Buffer => fields(new MessageBuilder(), e).build('E');
/** NoticeResponse. */
export const noticeResponse = (e: PgErrorFields): Buffer => fields(new MessageBuilder(), e).build('N');
