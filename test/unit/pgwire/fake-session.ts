import { SqlError, type PgType, type SqlDescription, type SqlOutcome, type SqlSession } from '../../../src/sqlsession/types.js';

const INT4: PgType = { oid: 23, name: 'int4', size: 4, modifier: -1 };
const TEXT: PgType = { oid: 25, name: 'text', size: -1, modifier: -1 };

/**
 * A tiny stand-in SQL session for protocol-level tests of the wire (the real one is
 * src/sqlsession): `rows N` returns N int4 rows 1..N in column `n`; `echo $1, $2` returns its
 * text parameters; `slow` waits until cancelled (57014); `set …` is `SET`; anything else is 42P01.
 */
export class FakeSession implements SqlSession {
  readonly user = 'fake';
  readonly database = 'fake';
  transactionStatus: 'idle' | 'transaction' | 'error' = 'idle';
  closed = false;
  cancelled = 0;
  ran: string[] = [];
  /** Rows handed to the wire (and accepted by it). */
  rowsSent = 0;
  private wake: (() => void) | undefined;

  async describe(sql: string): Promise<SqlDescription> {
    const s = sql.trim();
    if (/^rows \d+$/.test(s)) return { columns: [{ name: 'n', type: INT4 }], paramTypes: [] };
    if (/^echo/.test(s)) {
      const n = (s.match(/\$\d+/g) ?? []).length;
      return { columns: Array.from({ length: n }, (_, i) => ({ name: `p${i + 1}`, type: TEXT })), paramTypes: Array.from({ length: n }, () => TEXT) };
    }
    if (s === 'slow') return { columns: [{ name: 'n', type: INT4 }], paramTypes: [] };
    if (/^set /i.test(s)) return { columns: [], paramTypes: [] };
    throw new SqlError('42P01', `relation "${s}" does not exist`);
  }

  async run(sql: string, params: (string | Buffer | null)[], onRow: (row: (string | Buffer | null)[]) => void | Promise<void>, opts?: { binaryColumns?: boolean[] }): Promise<SqlOutcome> {
    const { columns } = await this.describe(sql);
    const s = sql.trim();
    this.ran.push(s);
    const rows = /^rows (\d+)$/.exec(s);
    if (rows) {
      for (let i = 1; i <= Number(rows[1]); i++) {
        let v: string | Buffer = String(i);
        if (opts?.binaryColumns?.[0]) {
          v = Buffer.alloc(4);
          v.writeInt32BE(i);
        }
        await onRow([v]);
        this.rowsSent += 1;
      }
      return { tag: `SELECT ${rows[1]}`, columns };
    }
    if (s.startsWith('echo')) {
      await onRow(params.map((p) => (p === null ? null : String(p))));
      return { tag: 'SELECT 1', columns };
    }
    if (s === 'slow') {
      await new Promise<void>((resolve) => (this.wake = resolve));
      throw new SqlError('57014', 'canceling statement due to user request');
    }
    return { tag: 'SET', columns: [], parameterStatus: { DateStyle: 'ISO, MDY' } };
  }

  split(sql: string): string[] {
    return sql
      .split(';')
      .map((s) => s.replace(/--.*$/gm, '').trim())
      .filter((s) => s !== '');
  }

  cancel(): void {
    this.cancelled += 1;
    this.wake?.();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
